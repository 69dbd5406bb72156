package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.tcp.CloseReason;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * On a clean simulated 100 Mbit/s path with a 20 ms round trip, a bulk transfer reaches at least 90% of the link rate
 * once slow start is over: goodput (application octets delivered per virtual second) measured over the second half of
 * a 20 MiB transfer.
 */
class TcpThroughputTest {

    static final long LINK_BPS = 100_000_000L;
    static final long ONE_WAY_NANOS = 10_000_000L;
    static final long TRANSFER = 20L << 20;

    @Test
    void bulkReachesNinetyPercentOfTheLinkRateAfterSlowStart() {
        Simulation sim = Simulation.create(42);
        SimHost client = sim.addHost("client", "198.18.0.1", "fd00:5a::1");
        SimHost server = sim.addHost("server", "198.18.0.2", "fd00:5a::2");
        long bdp = LINK_BPS / 8 * 2 * ONE_WAY_NANOS / 1_000_000_000L;
        sim.connect(
                client,
                server,
                LinkParams.DEFAULT
                        .withLatencyNanos(ONE_WAY_NANOS)
                        .withBandwidthBitsPerSecond(LINK_BPS)
                        .withQueueLimitBytes(bdp));
        sim.runFor(1);

        long[] received = {0};
        long[] halfAt = {-1};
        long[] endAt = {-1};
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        server.listen(
                        5001,
                        4,
                        (TcpStream s) -> s.onReadable(() -> {
                            while (true) {
                                buf.clear();
                                int n = s.receive(buf);
                                if (n < 0) {
                                    endAt[0] = sim.nowNanos();
                                    s.close();
                                    return;
                                }
                                if (n == 0) {
                                    return;
                                }
                                received[0] += n;
                                if (halfAt[0] < 0 && received[0] >= TRANSFER / 2) {
                                    halfAt[0] = sim.nowNanos();
                                }
                            }
                        }))
                .value();

        TcpStream c = sim.await(client.connect(server.address(4), 5001));
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long[] sent = {0};
        Runnable pump = () -> {
            while (sent[0] < TRANSFER) {
                if (!chunk.hasRemaining()) {
                    chunk.clear().limit((int) Math.min(chunk.capacity(), TRANSFER - sent[0]));
                }
                int n = c.send(chunk);
                if (n == 0) {
                    return;
                }
                sent[0] += n;
            }
            c.close();
        };
        c.onWritable(pump);
        pump.run();
        CloseReason reason = sim.await(c.closed());

        assertThat(reason).isEqualTo(CloseReason.GRACEFUL);
        assertThat(received[0]).isEqualTo(TRANSFER);
        double seconds = (endAt[0] - halfAt[0]) / 1e9;
        double goodputBps = (TRANSFER - TRANSFER / 2) * 8 / seconds;
        System.out.printf(
                "goodput over the second half: %.2f Mbit/s (%.1f%% of the link)%n",
                goodputBps / 1e6, 100 * goodputBps / LINK_BPS);
        assertThat(goodputBps).isGreaterThanOrEqualTo(0.9 * LINK_BPS);
    }
}
