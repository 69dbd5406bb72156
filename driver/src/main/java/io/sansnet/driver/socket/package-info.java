/**
 * The socket driver: {@link io.sansnet.driver.socket.SocketHttpServer} runs the sans-io HTTP server over kernel TCP
 * with NIO selector loops (one thread each; every connection stays on one loop), non-blocking writes with
 * backpressure, and timers from the loop; {@link io.sansnet.driver.socket.DirectoryFileSource} serves static files
 * from a directory without letting symbolic links escape it; {@link io.sansnet.driver.socket.SocketAppHost} implements
 * the application interface ({@link io.sansnet.stack.app.AppHost}) over the kernel's UDP sockets, so application code
 * written for the simulator runs unchanged on kernel sockets (ping is unsupported: the JDK has no ICMP sockets).
 */
package io.sansnet.driver.socket;
