/**
 * The socket driver: {@link io.sansnet.driver.socket.SocketHttpServer} runs the sans-io HTTP server over kernel TCP
 * with NIO selector loops (one thread each; every connection stays on one loop), non-blocking writes with
 * backpressure, and timers from the loop; {@link io.sansnet.driver.socket.DirectoryFileSource} serves static files
 * from a directory without letting symbolic links escape it.
 */
package io.sansnet.driver.socket;
