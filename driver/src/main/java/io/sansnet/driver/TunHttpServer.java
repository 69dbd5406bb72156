package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.tcp.TcpHttpServer;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.tcp.TcpLayer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sans-io {@link HttpServer} on sansnet's own TCP through a TUN device: a {@link TunAppHost} runs the host with
 * {@code tcp} attached, and a {@link TcpHttpServer} listens on one port of it (the same code that serves on a
 * simulated host). Everything (packets, TCP, the server's connections, handlers, timers) runs on the {@link TunHost}'s
 * loop thread; timers are the loop's own, so no other thread is involved.
 *
 * <pre>{@code
 * TcpLayer tcp = new TcpLayer(host.config(), random);
 * try (TunHttpServer s = TunHttpServer.start(server, device, host, tcp, 80, FaultSpec.NONE, seed, null)) { ... }
 * }</pre>
 */
public final class TunHttpServer implements AutoCloseable {

    /** Backlog of the listening port (connections whose handshake completed but not yet handed to the server). */
    public static final int BACKLOG = TcpHttpServer.DEFAULT_BACKLOG;

    private final TunAppHost app;
    private final GuardedLoop clock;
    private volatile TcpHttpServer http;

    private TunHttpServer(TunAppHost app) {
        this.app = app;
        this.clock = new GuardedLoop(app);
    }

    /**
     * Attaches {@code tcp} to {@code host}, runs {@code host} on {@code device} (with impairment {@code spec} seeded by
     * {@code seed}, recording to {@code recorder} when not null), starts the loop and listens on {@code port}.
     *
     * @throws IllegalArgumentException when the port cannot be listened on (the message says why); the loop is then
     *     stopped and the device closed
     */
    public static TunHttpServer start(
            HttpServer server,
            TunDevice device,
            Host host,
            TcpLayer tcp,
            int port,
            FaultSpec spec,
            long seed,
            PacketRecorder recorder)
            throws NativeException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tcp, "tcp");
        TunHttpServer s = new TunHttpServer(TunAppHost.start(device, host, tcp, spec, seed, recorder));
        AppResult<TcpHttpServer> r = TcpHttpServer.listen(server, s.app, s.clock, port, BACKLOG);
        if (!r.isOk()) {
            s.app.close();
            throw new IllegalArgumentException("cannot listen on TCP port " + port + ": " + r.error());
        }
        s.http = r.value();
        return s;
    }

    /** The driver loop (its counters; {@link TunHost#failure()}). */
    public TunHost loop() {
        return app.loop();
    }

    /** The application interface of the running host (any thread, see {@link TunAppHost}). */
    public TunAppHost appHost() {
        return app;
    }

    /** Connections accepted so far (exact after the loop ended; a recent count while it runs). */
    public long acceptedConnections() {
        return http.acceptedConnections();
    }

    /** Tasks of the server's connections that threw (a bug): each was dropped, the loop went on. */
    public long callbackErrors() {
        return clock.callbackErrors.get();
    }

    /** Waits until the loop ended (after {@link #close()} or a failure). */
    public void awaitTermination() throws InterruptedException {
        app.loop().awaitTermination();
    }

    /**
     * Resets the open connections and stops the loop: the resets are made by a task the caller waits for, so they are
     * written to the device in that task's iteration, before the loop ends and the device closes (see
     * {@link TunAppHost#close()}). Idempotent; any thread but the loop's.
     */
    @Override
    public void close() {
        app.close();
    }

    /**
     * The {@link EventLoop} given to the server's connections: the {@link TunAppHost}'s clock and timers, with every
     * task guarded so that one that throws (a bug) is counted and dropped instead of ending the loop for everyone.
     */
    private static final class GuardedLoop implements EventLoop {
        private final TunAppHost app;
        private final AtomicLong callbackErrors = new AtomicLong();

        GuardedLoop(TunAppHost app) {
            this.app = app;
        }

        @Override
        public long nowNanos() {
            return app.nowNanos();
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            Objects.requireNonNull(task, "task");
            return app.schedule(delayNanos, () -> guarded(task));
        }

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            app.execute(() -> guarded(task));
        }

        private void guarded(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException e) {
                callbackErrors.incrementAndGet();
            }
        }
    }
}
