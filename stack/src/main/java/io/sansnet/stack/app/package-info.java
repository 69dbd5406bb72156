/**
 * The application interface: what application code (echo services, later the HTTP server and client, WebSocket, DNS,
 * and users' own services) sees of the host it runs on. The same code runs unchanged on a simulated host, on the TUN
 * driver and on the socket driver, because each of them implements {@link io.sansnet.stack.app.AppHost}.
 *
 * <h2>Threading model</h2>
 *
 * Every host has one owning loop: the simulation's single thread, or a driver's loop thread. All callbacks
 * ({@link io.sansnet.stack.app.UdpHandler}, timer tasks, {@link io.sansnet.stack.app.AppFuture#onComplete}) run on
 * that loop, one at a time, never re-entrantly inside another call into the host. Application code calls the
 * interface from the loop only; a driver that lets other threads in hands their calls to the loop itself.
 *
 * <h2>Growth</h2>
 *
 * TCP ({@code connect}/{@code listen}) and name resolution join {@link io.sansnet.stack.app.AppHost} as new methods
 * returning {@link io.sansnet.stack.app.AppFuture}s when their issues land; errors are values
 * ({@link io.sansnet.stack.app.AppError}), so adding a kind of failure adds an enum constant, not an exception.
 */
package io.sansnet.stack.app;
