package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The application interface over two {@link TcpLayer}s on two {@link Host}s wired back to back (a lossless link with
 * 1 ms of delay each way), driven by a tiny virtual-time loop.
 */
class TcpLayerTransportTest {

    static final long MS = 1_000_000L;

    /** A virtual-time loop that also carries packets between the two hosts. */
    static final class Pair implements EventLoop {
        record Task(long at, long order, Runnable run) {}

        final PriorityQueue<Task> tasks =
                new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        long now;
        long order;
        final Host a;
        final Host b;
        final TcpLayer layerA;
        final TcpLayer layerB;

        Pair() {
            HostConfig ca = HostConfig.builder().ipv4("198.18.0.1/15").build();
            HostConfig cb = HostConfig.builder().ipv4("198.18.0.2/15").build();
            a = new Host(ca, new SplitMix64(1));
            b = new Host(cb, new SplitMix64(2));
            layerA = new TcpLayer(ca, new SplitMix64(3));
            layerB = new TcpLayer(cb, new SplitMix64(4));
            a.attachTcp(layerA);
            b.attachTcp(layerB);
        }

        @Override
        public long nowNanos() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            Task t = new Task(now + delayNanos, order++, task);
            tasks.add(t);
            return () -> tasks.remove(t);
        }

        private void flush(Host from, Host to) {
            for (byte[] p; (p = from.pollTransmit(now)) != null; ) {
                byte[] packet = p;
                schedule(MS, () -> to.receive(packet, now));
            }
        }

        /** Runs until {@code done} or virtual time passes {@code limit}. */
        void runUntil(BooleanSupplier done, long limit) {
            while (!done.getAsBoolean() && now < limit) {
                flush(a, b);
                flush(b, a);
                long next = Math.min(a.pollTimeout(), b.pollTimeout());
                Task t = tasks.peek();
                if (t != null && t.at <= next) {
                    tasks.poll();
                    now = Math.max(now, t.at);
                    t.run.run();
                } else if (next != Long.MAX_VALUE) {
                    now = Math.max(now, next);
                    a.handleTimeout(now);
                    b.handleTimeout(now);
                } else {
                    return;
                }
            }
        }
    }

    @Test
    void connectEchoAndCloseGracefully() {
        Pair n = new Pair();
        TcpTransport client = new TcpLayerTransport(n.layerA, n);
        TcpTransport server = new TcpLayerTransport(n.layerB, n);
        List<TcpStream> accepted = new ArrayList<>();
        server.listen(7, 16, s -> {
                    accepted.add(s);
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    s.onReadable(() -> {
                        while (true) {
                            buf.clear();
                            int k = s.receive(buf);
                            if (k < 0) {
                                s.close();
                                return;
                            }
                            if (k == 0) {
                                return;
                            }
                            buf.flip();
                            s.send(buf);
                        }
                    });
                })
                .value();
        AppFuture<TcpStream> f = client.connect(Ipv4Address.of("198.18.0.2"), 7);
        n.runUntil(f::isDone, 10_000 * MS);
        TcpStream c = f.result().value();
        assertThat(c.remotePort()).isEqualTo(7);
        assertThat(c.localPort()).isBetween(49152, 65535);

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer rb = ByteBuffer.allocate(4096);
        boolean[] eof = {false};
        c.onReadable(() -> {
            for (int k; ; ) {
                rb.clear();
                k = c.receive(rb);
                if (k < 0) {
                    eof[0] = true;
                    return;
                }
                if (k == 0) {
                    return;
                }
                got.write(rb.array(), 0, k);
            }
        });
        byte[] msg = new byte[20_000];
        new SplitMix64(9).nextBytes(msg);
        assertThat(c.send(msg)).isEqualTo(msg.length);
        c.close();
        n.runUntil(() -> eof[0] && c.closed().isDone(), 60_000 * MS);
        assertThat(got.toByteArray()).isEqualTo(msg);
        assertThat(c.closed().result().value()).isEqualTo(CloseReason.GRACEFUL);
        assertThat(accepted).hasSize(1);
        n.runUntil(() -> accepted.get(0).closed().isDone(), 60_000 * MS);
        assertThat(accepted.get(0).closed().result().value()).isEqualTo(CloseReason.GRACEFUL);
        assertThat(c.send(new byte[1])).isZero();
    }

    @Test
    void connectToClosedPortFailsRefused() {
        Pair n = new Pair();
        AppFuture<TcpStream> f = new TcpLayerTransport(n.layerA, n).connect(Ipv4Address.of("198.18.0.2"), 9);
        n.runUntil(f::isDone, 10_000 * MS);
        AppResult<TcpStream> r = f.result();
        assertThat(r.isOk()).isFalse();
        assertThat(r.error().kind()).isEqualTo(AppError.Kind.REFUSED);
        assertThat(r.error().detail()).startsWith(TcpTransport.REFUSED);
    }

    @Test
    void listenTwiceOnOnePortFails() {
        Pair n = new Pair();
        TcpTransport t = new TcpLayerTransport(n.layerB, n);
        assertThat(t.listen(80, 4, s -> {}).isOk()).isTrue();
        assertThat(t.listen(80, 4, s -> {}).error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
        assertThat(t.listen(0, 4, s -> {}).error().kind()).isEqualTo(AppError.Kind.INVALID_ARGUMENT);
    }
}
