package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.http.server.HttpServer;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpListener;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sans-io {@link HttpServer} on sansnet's own TCP through a TUN device: a {@link TunHost} runs the host, a
 * {@link TcpLayer} attached to it listens on one port, and each accepted {@link io.sansnet.stack.tcp.TcpSocket} is
 * handed to the server as a {@link TcpByteStream}. Everything (packets, TCP, the server's connections, handlers,
 * timers) runs on the {@link TunHost}'s loop thread; timers wait on one small daemon thread that hands due tasks to
 * the loop.
 *
 * <pre>{@code
 * TcpLayer tcp = new TcpLayer(host.config(), random);
 * host.attachTcp(tcp);
 * try (TunHttpServer s = TunHttpServer.start(server, device, host, tcp, 80, FaultSpec.NONE, seed, null)) { ... }
 * }</pre>
 */
public final class TunHttpServer implements AutoCloseable {

    /** Backlog of the listening port (connections whose handshake completed but not yet handed to the server). */
    public static final int BACKLOG = 1024;

    private final TunHost loop;
    private final TcpLayer tcp;
    private final LoopClock clock;
    private final AtomicLong accepted = new AtomicLong();

    private TunHttpServer(TunHost loop, TcpLayer tcp) {
        this.loop = loop;
        this.tcp = tcp;
        this.clock = new LoopClock(loop);
    }

    /**
     * Listens on {@code port} of {@code tcp} (already attached to {@code host}), runs {@code host} on {@code device}
     * (with impairment {@code spec} seeded by {@code seed}, recording to {@code recorder} when not null) and starts
     * the loop.
     *
     * @throws IllegalArgumentException when the port cannot be listened on (the message says why)
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
        TunHost loop = new TunHost(device, host, spec, seed, recorder);
        TunHttpServer s = new TunHttpServer(loop, tcp);
        AppResult<TcpListener> r = tcp.listen(port, BACKLOG, socket -> {
            s.accepted.incrementAndGet();
            TcpByteStream stream = new TcpByteStream(socket, s.clock);
            stream.attach(server.attach(stream, s.clock));
            socket.setHandler(stream);
        });
        if (!r.isOk()) {
            loop.close();
            throw new IllegalArgumentException("cannot listen on TCP port " + port + ": " + r);
        }
        loop.start();
        return s;
    }

    /** The driver loop (its counters; {@link TunHost#failure()}). */
    public TunHost loop() {
        return loop;
    }

    /** Connections accepted so far. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Tasks of the server's connections that threw (a bug): each was dropped, the loop went on. */
    public long callbackErrors() {
        return clock.callbackErrors.get();
    }

    /** Waits until the loop ended (after {@link #close()} or a failure). */
    public void awaitTermination() throws InterruptedException {
        loop.awaitTermination();
    }

    /** Resets the open connections (their RSTs leave in the loop's last turn), stops the loop and the timer thread. */
    @Override
    public void close() {
        loop.execute(tcp::abortAll);
        loop.close();
        clock.stop();
    }

    /**
     * The {@link EventLoop} of the server's connections: a monotonic clock ({@link System#nanoTime()} since start),
     * tasks run on the {@link TunHost} loop, delayed tasks wait on a daemon timer thread first.
     */
    private static final class LoopClock implements EventLoop {
        private final TunHost loop;
        private final long origin = System.nanoTime();
        private final ScheduledThreadPoolExecutor timers;
        private final AtomicLong callbackErrors = new AtomicLong();

        LoopClock(TunHost loop) {
            this.loop = loop;
            this.timers = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "timers " + loop.device().label());
                t.setDaemon(true);
                return t;
            });
            timers.setRemoveOnCancelPolicy(true);
        }

        @Override
        public long nowNanos() {
            return System.nanoTime() - origin;
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            Objects.requireNonNull(task, "task");
            AtomicBoolean pending = new AtomicBoolean(true);
            Runnable once = () -> {
                if (pending.compareAndSet(true, false)) {
                    guarded(task);
                }
            };
            if (delayNanos <= 0) {
                loop.execute(once);
            } else {
                try {
                    timers.schedule(() -> loop.execute(once), delayNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    pending.set(false); // stopping: the task would never run anyway
                }
            }
            return () -> pending.compareAndSet(true, false);
        }

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            loop.execute(() -> guarded(task));
        }

        /** Runs a connection's task; an exception from it is counted, and the loop (all connections) goes on. */
        private void guarded(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException e) {
                callbackErrors.incrementAndGet();
            }
        }

        void stop() {
            timers.shutdownNow();
        }
    }
}
