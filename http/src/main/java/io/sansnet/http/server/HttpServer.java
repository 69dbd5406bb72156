package io.sansnet.http.server;

import io.sansnet.stack.app.EventLoop;

/**
 * The HTTP/1.1 server: routes, configuration, counters and the access log, shared by all its connections (on one or
 * several loops). A transport creates one {@link ServerConnection} per accepted connection, usually through {@link
 * #attach}, which drives it from a {@link ByteStream} and the loop's timers.
 *
 * <pre>{@code
 * HttpServer server = new HttpServer(router, HttpServerConfig.DEFAULT, System::currentTimeMillis, AccessLog.NONE);
 * ByteStreamListener l = server.attach(stream, loop);   // per accepted connection
 * }</pre>
 */
public final class HttpServer {
    private final Router router;
    private final HttpServerConfig config;
    private final DateCache dateCache;
    private final AccessLog accessLog;
    private final ServerCounters counters = new ServerCounters();

    /**
     * @param clock the wall clock for {@code Date} and the access log (injected; never read by the protocol code
     *     itself)
     */
    public HttpServer(Router router, HttpServerConfig config, WallClock clock, AccessLog accessLog) {
        this.router = router;
        this.config = config;
        this.dateCache = new DateCache(clock);
        this.accessLog = accessLog;
    }

    /** A new connection's protocol state, driven by the caller (see {@link ServerConnection}'s contract). */
    public ServerConnection newConnection(long nowNanos, String peer) {
        return new ServerConnection(this, nowNanos, peer);
    }

    /** Serves one accepted byte stream whose callbacks and timers run on {@code loop}. */
    public ByteStreamListener attach(ByteStream stream, EventLoop loop) {
        return new StreamBinding(newConnection(loop.nowNanos(), stream.peer()), stream, loop);
    }

    public ServerCounters counters() {
        return counters;
    }

    public HttpServerConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    DateCache dateCache() {
        return dateCache;
    }

    void log(AccessLog.Entry e) {
        try {
            accessLog.log(e);
        } catch (RuntimeException ignored) {
            // a failing log must not break the connection
        }
    }
}
