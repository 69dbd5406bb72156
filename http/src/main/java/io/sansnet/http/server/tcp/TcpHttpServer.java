package io.sansnet.http.server.tcp;

import io.sansnet.http.server.HttpServer;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.app.TcpServer;
import io.sansnet.stack.app.TcpTransport;
import java.util.Objects;

/**
 * An {@link HttpServer} listening on one port of a {@link TcpTransport} (sansnet's own TCP, on a simulated host or a
 * driver's loop): each accepted stream is served through a {@link TcpStreamByteStream}, its callbacks and the server's
 * timers on {@code loop}. No threads, no clock of its own: time is the loop's.
 *
 * <pre>{@code
 * AppResult<TcpHttpServer> r = TcpHttpServer.listen(server, host, host, 80, TcpHttpServer.DEFAULT_BACKLOG);
 * }</pre>
 */
public final class TcpHttpServer {

    /** Connections whose handshake completed but not yet handed to the server (like {@code somaxconn}'s default). */
    public static final int DEFAULT_BACKLOG = 1024;

    private final HttpServer server;
    private TcpServer listener;
    private long accepted;

    private TcpHttpServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Passive OPEN on {@code port} of {@code transport}; fails as {@link TcpTransport#listen} does (port in use,
     * invalid port).
     */
    public static AppResult<TcpHttpServer> listen(
            HttpServer server, TcpTransport transport, EventLoop loop, int port, int backlog) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(loop, "loop");
        TcpHttpServer s = new TcpHttpServer(server);
        AppResult<TcpServer> r = transport.listen(port, backlog, stream -> {
            s.accepted++;
            TcpStreamByteStream.open(stream, loop, bs -> server.attach(bs, loop));
        });
        if (!r.isOk()) {
            return AppResult.err(r.error().kind(), r.error().detail());
        }
        s.listener = r.value();
        return AppResult.ok(s);
    }

    /** The server (its counters and configuration). */
    public HttpServer server() {
        return server;
    }

    /** The listening port. */
    public int port() {
        return listener.localPort();
    }

    /** Connections accepted so far. */
    public long acceptedConnections() {
        return accepted;
    }

    /** Stops listening; open connections go on until they end. */
    public void close() {
        listener.close();
    }
}
