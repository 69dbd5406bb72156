/**
 * The HTTP/1.1 server on top of the sans-io codec: routes ({@link io.sansnet.http.server.Router}), handlers that return
 * or stream a {@link io.sansnet.http.server.Reply}, and one {@link io.sansnet.http.server.ServerConnection} per
 * connection holding the exchange, the timeouts (header deadline from the first byte, body, idle, handler) and the
 * backpressure rules, with no I/O, threads or clocks: time comes in as {@code nowNanos}, the {@code Date} from an
 * injected {@link io.sansnet.http.server.WallClock}.
 *
 * <p>Transports plug in through {@link io.sansnet.http.server.ByteStream} (bytes out, read interest, half-close,
 * close) and {@link io.sansnet.http.server.ByteStreamListener} (bytes in, EOF, writable), glued to a connection by
 * {@link io.sansnet.http.server.HttpServer#attach}: the socket driver provides them over kernel TCP, and a simulated
 * host or sansnet's own TCP can provide the same. Files for {@link io.sansnet.http.server.StaticFiles} come from a
 * {@link io.sansnet.http.server.FileSource}, also provided by the driver side.
 *
 * <pre>{@code
 * Router routes = Router.builder()
 *         .get("/hello/{name}", req -> Reply.text(200, "Hello, " + req.param("name")))
 *         .post("/echo", req -> Reply.stream(200, Headers.EMPTY, req.body()))
 *         .post("/upload", req -> Reply.withBody(1 << 20, (r, body) -> Reply.text(200, body.length + " bytes")))
 *         .build();
 * HttpServer server = new HttpServer(routes, HttpServerConfig.DEFAULT, clock, AccessLog.NONE);
 * }</pre>
 */
package io.sansnet.http.server;
