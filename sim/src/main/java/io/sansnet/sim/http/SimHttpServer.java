package io.sansnet.sim.http;

import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.server.Router;
import io.sansnet.http.server.StandardRoutes;
import io.sansnet.http.server.WallClock;
import io.sansnet.http.server.tcp.TcpHttpServer;
import io.sansnet.sim.SimHost;
import io.sansnet.stack.app.AppResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP server on a simulated host: the same {@link HttpServer} object the TUN and socket drivers run, on the host's
 * TCP ({@link SimHost} is a {@link io.sansnet.stack.app.TcpTransport}) through {@link TcpHttpServer}. Time is the
 * simulation's virtual clock: the server's timers are simulation events, and its {@code Date} header reads {@link
 * #wallClock}. No threads.
 *
 * <p>The server listens again on every boot of the host (a crash loses the listening port and every connection, as a
 * real crash would); {@link #listenErrors()} holds any boot where listening failed.
 *
 * <pre>{@code
 * SimHttpServer s = SimHttpServer.install(host, SimHttpServer.standardServer(host, HttpServerConfig.DEFAULT), 80);
 * }</pre>
 */
public final class SimHttpServer {

    /**
     * The wall-clock time of virtual time zero: 2026-01-01T00:00:00Z, so {@code Date} headers are the same in every
     * run of a seed.
     */
    public static final long EPOCH_MILLIS_AT_ZERO = 1_767_225_600_000L;

    /** Largest N of {@code /bytes/N} on the simulated server: 64 MiB, plenty for a simulated transfer. */
    public static final long MAX_GENERATED_BYTES = 64L << 20;

    private final SimHost host;
    private final HttpServer server;
    private final int port;
    private final List<TcpHttpServer> boots = new ArrayList<>();
    private final List<String> listenErrors = new ArrayList<>();

    private SimHttpServer(SimHost host, HttpServer server, int port) {
        this.host = host;
        this.server = server;
        this.port = port;
    }

    /** The wall clock of {@code host}'s simulation: {@link #EPOCH_MILLIS_AT_ZERO} plus virtual time. */
    public static WallClock wallClock(SimHost host) {
        return () -> EPOCH_MILLIS_AT_ZERO + host.nowNanos() / 1_000_000L;
    }

    /**
     * A server with the standard routes ({@code /bytes/N} up to {@link #MAX_GENERATED_BYTES}, {@code /echo}, {@code
     * /plaintext}, {@code /json}; no static files), {@code config}, the virtual wall clock and no access log.
     */
    public static HttpServer standardServer(SimHost host, HttpServerConfig config) {
        Router router = StandardRoutes.router(null, MAX_GENERATED_BYTES);
        return new HttpServer(router, config, wallClock(host), AccessLog.NONE);
    }

    /** Runs {@code server} on {@code host}'s TCP {@code port}, from the host's next boot (or now, if it is up). */
    public static SimHttpServer install(SimHost host, HttpServer server, int port) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(server, "server");
        SimHttpServer s = new SimHttpServer(host, server, port);
        host.install(h -> s.start());
        return s;
    }

    private void start() {
        AppResult<TcpHttpServer> r = TcpHttpServer.listen(server, host, host, port, TcpHttpServer.DEFAULT_BACKLOG);
        if (r.isOk()) {
            boots.add(r.value());
        } else {
            listenErrors.add(host.name() + ": cannot listen on TCP port " + port + ": " + r);
        }
    }

    /** The server object (counters, configuration). */
    public HttpServer server() {
        return server;
    }

    /** The listening port. */
    public int port() {
        return port;
    }

    /** Connections accepted over all boots. */
    public long acceptedConnections() {
        long n = 0;
        for (TcpHttpServer b : boots) {
            n += b.acceptedConnections();
        }
        return n;
    }

    /** How many boots started listening. */
    public int listens() {
        return boots.size();
    }

    /** Boots on which listening failed (each one line); empty when every boot listened. */
    public List<String> listenErrors() {
        return List.copyOf(listenErrors);
    }
}
