package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Two connections wired through a seeded lossy, duplicating, reordering pipe transfer random data both ways and close.
 * Checked: every byte delivered exactly once and in order, both ends finish (CLOSED or TIME-WAIT) with exactly one
 * graceful Closed event, no segment carries data beyond the right window edge its receiver advertised, except the
 * persist timer's one-octet probe (RFC 9293 §3.8.6.1), and after every step a side with data or a FIN still to deliver
 * has a timer armed ({@link TcpScript#assertSenderLive}).
 */
class LoopbackPropertyTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final long SIM_LIMIT_NANOS = 3_600 * S;
    /** {@code -Dsansnet.tcpTrace=true} prints every segment of a run, for replaying a failure. */
    private static final boolean TRACE = Boolean.getBoolean("sansnet.tcpTrace");

    /** One direction's packet in flight. */
    private record InFlight(long deliverAt, long order, TcpSegment segment, int to) {}

    /** A side: its connection, data to send, data received, and the window its peer advertised. */
    private static final class Side {
        final String name;
        final TcpConnection conn;
        final byte[] toSend;
        int written;
        /** When the application may write next (writes come in chunks separated by pauses). */
        long nextWriteAt;

        boolean closeCalled;
        boolean eof;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<TcpEvent> events = new ArrayList<>();
        /** Window scale this side announced in its SYN, or -1. */
        int announcedShift = -1;
        /** The largest right edge (ACK + window) this side ever advertised, as an unsigned sequence offset. */
        Integer maxRightEdge;

        Side(String name, TcpConnection conn, byte[] toSend) {
            this.name = name;
            this.conn = conn;
            this.toSend = toSend;
        }
    }

    @Property(tries = 150)
    void randomTransfersOverALossyPipeArriveExactlyOnce(Gen g) {
        run(g, false);
    }

    @Property(tries = 60)
    void transfersWrapTheSequenceSpaceMidStream(Gen g) {
        run(g, true);
    }

    @Test
    void cleanBulkTransferUsesFullSegmentsAndNoRetransmissions() {
        Result r = simulate(
                new SplitMix64(7),
                baseConfig().build(),
                baseConfig().build(),
                300_000,
                300_000,
                0,
                0,
                0,
                10 * MS,
                0,
                Integer.MAX_VALUE,
                0);
        assertThat(r.a.conn.status().counters().retransmittedSegments()).isZero();
        assertThat(r.b.conn.status().counters().retransmittedSegments()).isZero();
        assertThat(r.a.conn.status().cwnd()).isGreaterThan(10L * 1460);
    }

    private static TcpConfig.Builder baseConfig() {
        // TIME-WAIT (2*MSL) outlasts a dozen backed-off FIN retransmissions, as 2 minutes outlast 60 s in the RFCs.
        return TcpConfig.builder().minRtoNanos(200 * MS).maxRtoNanos(10 * S).mslNanos(120 * S);
    }

    private static void run(Gen g, boolean wrapIsn) {
        TcpConfig.Builder cfg = baseConfig()
                .sack(g.bool())
                .timestamps(g.bool())
                .windowScaling(g.bool())
                .noDelay(g.bool())
                .congestionControl(
                        g.bool() ? TcpConfig.CongestionAlgorithm.CUBIC : TcpConfig.CongestionAlgorithm.NEW_RENO)
                .receiveBufferBytes(g.intBetween(2_000, 200_000))
                .sendBufferBytes(g.intBetween(1_000, 100_000))
                .maxSegmentSize(g.intBetween(200, 1460));
        TcpConfig ca = cfg.build();
        TcpConfig cb = cfg.sack(g.bool())
                .timestamps(g.bool())
                .windowScaling(g.bool())
                .receiveBufferBytes(g.intBetween(2_000, 200_000))
                .maxSegmentSize(g.intBetween(200, 1460))
                .build();
        int aBytes = g.intBetween(0, 120_000);
        int bBytes = g.intBetween(0, 60_000);
        double loss = g.bool() ? 0 : g.probability() * 0.3;
        double dup = g.bool() ? 0 : g.probability() * 0.05;
        long jitter = g.longBetween(0, 30) * MS;
        long delay = g.longBetween(1, 50) * MS;
        int isnBelowWrap = wrapIsn ? g.intBetween(1, Math.max(1, aBytes + bBytes)) : -1;
        g.note("loss", loss);
        g.note("config A", ca);
        g.note("config B", cb);
        long seed = g.nextLong();
        // Half the runs write in chunks with pauses, as request/response traffic does: the sender then often sits
        // with a little data queued and nothing in flight, after recoveries and timeouts.
        int chunk = g.bool() ? Integer.MAX_VALUE : g.intBetween(500, 5_000);
        long pause = chunk == Integer.MAX_VALUE ? 0 : g.longBetween(0, 1_000) * MS;
        g.note("write chunk", chunk);
        g.note("pause ms", pause / MS);
        simulate(new SplitMix64(seed), ca, cb, aBytes, bBytes, loss, dup, jitter, delay, isnBelowWrap, chunk, pause);
    }

    private record Result(Side a, Side b) {}

    private static Result simulate(
            SplitMix64 rnd,
            TcpConfig ca,
            TcpConfig cb,
            int aBytes,
            int bBytes,
            double loss,
            double dup,
            long jitter,
            long delay,
            int isnBelowWrap,
            int writeChunk,
            long writePauseNanos) {
        IpAddress ipA = IpAddress.of("198.18.0.1");
        IpAddress ipB = IpAddress.of("198.18.0.2");
        IsnSource isnA = isnBelowWrap > 0 ? TcpScript.fixedIsn(-isnBelowWrap) : new Rfc6528Isn(rnd.fork("isnA"));
        IsnSource isnB = isnBelowWrap > 0 ? TcpScript.fixedIsn(-isnBelowWrap / 2) : new Rfc6528Isn(rnd.fork("isnB"));
        byte[] dataA = new byte[aBytes];
        byte[] dataB = new byte[bBytes];
        rnd.fork("dataA").nextBytes(dataA);
        rnd.fork("dataB").nextBytes(dataB);
        SplitMix64 net = rnd.fork("net");

        Side b = new Side("B", TcpConnection.listen(cb, new FourTuple(ipB, 80, ipA, 0), isnB), dataB);
        Side a = new Side("A", TcpConnection.connect(ca, new FourTuple(ipA, 40000, ipB, 80), isnA, 0), dataA);
        Side[] sides = {a, b};
        PriorityQueue<InFlight> pipe = new PriorityQueue<>((x, y) ->
                x.deliverAt != y.deliverAt ? Long.compare(x.deliverAt, y.deliverAt) : Long.compare(x.order, y.order));
        long order = 0;
        long now = 0;
        int steps = 0;
        while (true) {
            assertThat(++steps).as("simulation steps").isLessThan(2_000_000);
            // application: write what fits, close when done, read everything
            for (Side s : sides) {
                TcpState st = s.conn.state();
                boolean open = st == TcpState.ESTABLISHED || st == TcpState.CLOSE_WAIT;
                if (open && s.written < s.toSend.length && now >= s.nextWriteAt) {
                    int len = Math.min(writeChunk, s.toSend.length - s.written);
                    s.written += s.conn.send(ByteBuffer.wrap(s.toSend, s.written, len));
                    s.nextWriteAt = now + writePauseNanos;
                }
                if (open && s.written == s.toSend.length && !s.closeCalled) {
                    s.closeCalled = true;
                    s.conn.close();
                }
                ByteBuffer buf = ByteBuffer.allocate(8192);
                int n;
                while ((n = s.conn.receive(buf.clear())) > 0) {
                    s.received.write(buf.array(), 0, n);
                }
                if (n < 0) {
                    s.eof = true;
                }
                for (TcpEvent e; (e = s.conn.pollEvent()) != null; ) {
                    s.events.add(e);
                }
            }
            // transmit
            for (int i = 0; i < 2; i++) {
                Side from = sides[i];
                Side to = sides[1 - i];
                for (TcpSegment seg; (seg = from.conn.pollTransmit(now)) != null; ) {
                    checkWindow(from, to, seg);
                    recordAdvertisement(from, to, seg);
                    boolean lost = net.chance(loss);
                    if (TRACE) {
                        System.err.printf(
                                "%d.%03d %s> %s len=%d%s%n",
                                now / S,
                                now / MS % 1000,
                                from.name,
                                seg.header(),
                                seg.payload().length(),
                                lost ? " LOST" : "");
                    }
                    if (lost) {
                        continue;
                    }
                    int copies = net.chance(dup) ? 2 : 1;
                    for (int c = 0; c < copies; c++) {
                        long at = now + delay + (jitter > 0 ? net.nextLong(jitter) : 0);
                        pipe.add(new InFlight(at, order++, seg, 1 - i));
                    }
                }
                TcpScript.assertSenderLive(from.conn, from.name);
            }
            boolean done = finished(a) && finished(b);
            if (done) {
                break;
            }
            long next = Math.min(a.conn.pollTimeout(), b.conn.pollTimeout());
            if (!pipe.isEmpty()) {
                next = Math.min(next, pipe.peek().deliverAt());
            }
            for (Side s : sides) {
                if (s.written < s.toSend.length && s.nextWriteAt > now) {
                    next = Math.min(next, s.nextWriteAt);
                }
            }
            assertThat(next)
                    .as("the simulation stalled: %s %s", a.conn.status(), b.conn.status())
                    .isLessThan(TcpConnection.NO_DEADLINE);
            now = Math.max(now, next);
            assertThat(now).as("virtual time").isLessThan(SIM_LIMIT_NANOS);
            while (!pipe.isEmpty() && pipe.peek().deliverAt() <= now) {
                InFlight f = pipe.poll();
                sides[f.to()].conn.handleSegment(f.segment(), now);
                if (TRACE) {
                    System.err.printf(
                            "   %s got seq=%d -> %s%n",
                            sides[f.to()].name,
                            Integer.toUnsignedLong(f.segment().header().seq()),
                            sides[f.to()].conn.status());
                }
            }
            for (Side s : sides) {
                if (s.conn.pollTimeout() <= now) {
                    s.conn.handleTimeout(now);
                    if (TRACE) {
                        System.err.printf("   %s timeout -> %s%n", s.name, s.conn.status());
                    }
                }
            }
        }
        for (Side s : sides) {
            Side peer = s == a ? b : a;
            assertThat(s.received.toByteArray()).as("bytes %s received", s.name).isEqualTo(peer.toSend);
            assertThat(s.eof).as("%s saw the end of stream", s.name).isTrue();
            long closed =
                    s.events.stream().filter(e -> e instanceof TcpEvent.Closed).count();
            assertThat(closed).as("Closed events of %s", s.name).isEqualTo(1);
            assertThat(s.events).as("events of %s", s.name).contains(new TcpEvent.Closed(CloseReason.GRACEFUL));
            assertThat(s.events.get(s.events.size() - 1)).isEqualTo(new TcpEvent.Closed(CloseReason.GRACEFUL));
        }
        return new Result(a, b);
    }

    private static boolean finished(Side s) {
        TcpState st = s.conn.state();
        return (st == TcpState.CLOSED || st == TcpState.TIME_WAIT) && s.eof;
    }

    /** Remembers the right edge a segment from {@code from} advertises (RFC 7323: SYN windows are unscaled). */
    private static void recordAdvertisement(Side from, Side to, TcpSegment seg) {
        var h = seg.header();
        if (h.flags().syn()) {
            from.announcedShift = h.options().windowScale().orElse(-1);
        }
        if (!h.flags().ack() || h.flags().rst()) {
            return;
        }
        int shift = !h.flags().syn() && from.announcedShift >= 0 && to.announcedShift >= 0 ? from.announcedShift : 0;
        int edge = SeqNum.add(h.ack(), (long) h.window() << shift);
        if (from.maxRightEdge == null || SeqNum.gt(edge, from.maxRightEdge)) {
            from.maxRightEdge = edge;
        }
    }

    /** RFC 9293 §3.8.6.1: data within the receiver's advertised window, except a one-octet probe. */
    private static void checkWindow(Side from, Side to, TcpSegment seg) {
        int len = seg.payload().length();
        if (len == 0) {
            return;
        }
        assertThat(to.maxRightEdge)
                .as("data before any window from %s", to.name)
                .isNotNull();
        int end = SeqNum.add(seg.header().seq(), len);
        int beyond = SeqNum.sub(end, to.maxRightEdge);
        if (beyond > 0) {
            assertThat(len == 1 && beyond == 1)
                    .as("%s sent %d octets ending %d beyond the advertised edge", from.name, len, beyond)
                    .isTrue();
        }
    }
}
