package io.sansnet.trace.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.trace.plot.SequenceGraph.DataSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sender 40000 sends to the receiver 80; times in milliseconds. */
class SequenceGraphBuilderTest {
    private static final int ISN = 0xFFFF_F000; // wraps 4096 octets into the transfer
    private static final int PEER_ISN = 77;

    private static TcpHeader sender(int seq, int flags, TcpOptions options) {
        return TcpHeader.builder(40000, 80)
                .seq(seq)
                .ack(PEER_ISN + 1)
                .flags(flags)
                .window(1000)
                .options(options)
                .build();
    }

    private static TcpHeader receiver(int ack, int window, int flags, TcpOptions options) {
        return TcpHeader.builder(80, 40000)
                .seq(PEER_ISN + 1)
                .ack(ack)
                .flags(flags)
                .window(window)
                .options(options)
                .build();
    }

    private static long ms(long ms) {
        return 5_000_000_000L + ms * 1_000_000;
    }

    /** SYN (scale 7 offered), SYN-ACK (scale 3), ACK: the handshake. */
    private static SequenceGraphBuilder handshake(boolean scaled) {
        SequenceGraphBuilder b = new SequenceGraphBuilder();
        TcpOptions ws7 = scaled ? TcpOptions.NONE.withWindowScale(7) : TcpOptions.NONE;
        TcpOptions ws3 = scaled ? TcpOptions.NONE.withWindowScale(3) : TcpOptions.NONE;
        b.fromSender(ms(0), sender(ISN, TcpFlags.SYN, ws7), 0);
        b.fromReceiver(
                ms(10),
                TcpHeader.builder(80, 40000)
                        .seq(PEER_ISN)
                        .ack(ISN + 1)
                        .flags(TcpFlags.SYN | TcpFlags.ACK)
                        .window(5000)
                        .options(ws3)
                        .build(),
                0);
        b.fromSender(ms(20), sender(ISN + 1, TcpFlags.ACK, TcpOptions.NONE), 0);
        return b;
    }

    @Test
    void sequenceNumbersAreRelativeToIsnPlusOneAndUnwrapPast2To32() {
        SequenceGraphBuilder b = handshake(true);
        for (int i = 0; i < 8; i++) {
            b.fromSender(ms(30 + i), sender(ISN + 1 + i * 1000, TcpFlags.ACK, TcpOptions.NONE), 1000);
        }
        b.fromReceiver(
                ms(50),
                receiver(
                        ISN + 1 + 6000,
                        100,
                        TcpFlags.ACK,
                        TcpOptions.NONE.withSackBlocks(List.of(new TcpOptions.SackBlock(ISN + 7001, ISN + 8001)))),
                0);
        SequenceGraph g = b.build("t");
        assertThat(g.segments())
                .extracting(DataSegment::start)
                .containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L);
        assertThat(g.segments()).noneMatch(DataSegment::retransmission);
        assertThat(g.segments().get(0).timeNanos()).isEqualTo(30_000_000L); // since the SYN
        SequenceGraph.Ack last = g.acks().get(g.acks().size() - 1);
        assertThat(last.ack()).isEqualTo(6000);
        assertThat(last.windowEdge()).isEqualTo(6000 + (100 << 3)); // the receiver's shift count, 3
        assertThat(last.sack()).containsExactly(new SequenceGraph.Range(7000, 8000));
        // the SYN-ACK's window is never scaled (RFC 7323 §2.2)
        assertThat(g.acks().get(0).windowEdge()).isEqualTo(5000);
        assertThat(b.windowScaleKnown()).isTrue();
        assertThat(g.subtitle()).contains("window scale 3");
    }

    @Test
    void windowsAreUnscaledWhenEitherSynLacksTheOption() {
        SequenceGraphBuilder b = handshake(false);
        b.fromReceiver(ms(30), receiver(ISN + 1, 100, TcpFlags.ACK, TcpOptions.NONE), 0);
        assertThat(b.build("t").acks().get(1).windowEdge()).isEqualTo(100);
    }

    @Test
    void withoutTheHandshakeTheFirstSequenceNumberIsZeroAndTheScaleUnknown() {
        SequenceGraphBuilder b = new SequenceGraphBuilder();
        b.fromSender(ms(0), sender(123_456, TcpFlags.ACK, TcpOptions.NONE), 500);
        b.fromReceiver(ms(1), receiver(123_456 + 500, 64, TcpFlags.ACK, TcpOptions.NONE), 0);
        SequenceGraph g = b.build("t");
        assertThat(g.segments().get(0).start()).isZero();
        assertThat(g.acks().get(0).windowEdge()).isEqualTo(564);
        assertThat(g.subtitle()).contains("window scale unknown");
    }

    @Test
    void aRangeSentBeforeIsARetransmissionButALateFirstCopyIsNot() {
        SequenceGraphBuilder b = handshake(true);
        b.fromSender(ms(30), sender(ISN + 1001, TcpFlags.ACK, TcpOptions.NONE), 1000); // 1000..2000 first
        b.fromSender(ms(31), sender(ISN + 1, TcpFlags.ACK, TcpOptions.NONE), 1000); // 0..1000 late, first copy
        b.fromSender(ms(32), sender(ISN + 501, TcpFlags.ACK, TcpOptions.NONE), 1000); // 500..1500 again
        b.fromSender(ms(33), sender(ISN + 2001, TcpFlags.ACK, TcpOptions.NONE), 1000); // 2000..3000 first
        SequenceGraph g = b.build("t");
        assertThat(g.segments()).extracting(DataSegment::retransmission).containsExactly(false, false, true, false);
        assertThat(b.retransmissions()).isEqualTo(1);
        assertThat(b.dataSegments()).isEqualTo(4);
    }

    @Test
    void bytesInFlightAreSndNxtMinusTheHighestAck() {
        SequenceGraphBuilder b = handshake(true);
        b.fromSender(ms(30), sender(ISN + 1, TcpFlags.ACK, TcpOptions.NONE), 1000);
        b.fromSender(ms(31), sender(ISN + 1001, TcpFlags.ACK, TcpOptions.NONE), 1000);
        b.fromReceiver(ms(40), receiver(ISN + 1001, 100, TcpFlags.ACK, TcpOptions.NONE), 0);
        b.fromReceiver(ms(41), receiver(ISN + 1, 100, TcpFlags.ACK, TcpOptions.NONE), 0); // an old ACK, reordered
        SequenceGraph g = b.build("t");
        assertThat(g.primary().label()).contains("bytes in flight");
        assertThat(g.primary().samples())
                .extracting(SequenceGraph.Sample::bytes)
                .endsWith(1000L, 2000L, 1000L, 1000L);
        assertThat(g.secondary().samples())
                .extracting(SequenceGraph.Sample::bytes)
                .endsWith(800L, 800L);
    }

    @Test
    void givenWindowsAndDropsReplaceTheCaptureSeries() {
        SequenceGraphBuilder b = handshake(true);
        b.lossesObserved();
        b.fromSender(ms(30), sender(ISN + 1, TcpFlags.ACK, TcpOptions.NONE), 1000);
        b.congestionWindow(ms(30), 14_480);
        b.receiveWindow(ms(30), 65_535);
        b.dropped(ms(30), sender(ISN + 1, TcpFlags.ACK, TcpOptions.NONE), 1000);
        b.dropped(ms(30), sender(ISN + 1001, TcpFlags.ACK, TcpOptions.NONE), 0); // a pure ACK: no mark
        SequenceGraph g = b.build("t");
        assertThat(g.primary().label()).isEqualTo("cwnd");
        assertThat(g.primary().samples()).containsExactly(new SequenceGraph.Sample(30_000_000, 14_480));
        assertThat(g.secondary().samples()).containsExactly(new SequenceGraph.Sample(30_000_000, 65_535));
        assertThat(g.losses()).containsExactly(new SequenceGraph.Loss(30_000_000, 0, 1000));
        assertThat(g.lossesKnown()).isTrue();
        assertThat(g.subtitle()).contains("1 dropped by the network");
    }

    @Test
    void collectionStopsAtTheEventLimitButCountingGoesOn() {
        SequenceGraphBuilder b = new SequenceGraphBuilder(new PlotLimits(10, 100, 100, 16));
        for (int i = 0; i < 25; i++) {
            b.fromSender(ms(i), sender(1 + i * 100, TcpFlags.ACK, TcpOptions.NONE), 100);
        }
        SequenceGraph g = b.build("t");
        assertThat(g.segments()).hasSize(10);
        assertThat(b.dataSegments()).isEqualTo(25);
        assertThat(g.subtitle()).contains("left out");
    }

    /** Any segments at all, in any order: the builder and the renderer give a well-formed, bounded SVG. */
    @Property(tries = 40)
    void arbitrarySegmentsGiveAWellFormedGraph(Gen g) {
        SequenceGraphBuilder b = new SequenceGraphBuilder(new PlotLimits(200, 50, 40, 8));
        int base = (int) g.nextLong();
        int n = g.intBetween(0, 400);
        for (int i = 0; i < n; i++) {
            List<TcpOptions.SackBlock> sack = g.listOf(
                    0,
                    4,
                    x -> new TcpOptions.SackBlock(
                            base + x.intBetween(-5000, 90000), base + x.intBetween(-5000, 90000)));
            TcpOptions options = TcpOptions.NONE.withSackBlocks(sack);
            if (g.bool()) {
                options = options.withWindowScale(g.intBetween(0, 255));
            }
            TcpHeader h = TcpHeader.builder(g.intBetween(0, 65535), g.intBetween(0, 65535))
                    .seq(g.bool() ? (int) g.nextLong() : base + g.intBetween(-5000, 90000))
                    .ack(base + g.intBetween(-5000, 90000))
                    .flags(g.intBetween(0, 255))
                    .window(g.intBetween(0, 65535))
                    .options(options)
                    .build();
            long t = g.longBetween(-1_000_000_000L, 1_000_000_000L);
            int len = g.intBetween(0, 65535);
            switch (g.intBetween(0, 4)) {
                case 0, 1 -> b.fromSender(t, h, len);
                case 2 -> b.fromReceiver(t, h, len);
                case 3 -> b.dropped(t, h, len);
                default -> b.congestionWindow(t, g.longBetween(0, Long.MAX_VALUE / 4));
            }
        }
        SequenceGraph graph = b.build("arbitrary");
        assertThat(graph.segments().size()).isLessThanOrEqualTo(200);
        Svg svg = Svg.parse(SvgTimeSequence.render(graph, new PlotLimits(200, 50, 40, 8)));
        assertThat(svg.count("line", "data") + svg.count("line", "retx")).isLessThanOrEqualTo(100);
        assertThat(svg.count("line", "sack")).isLessThanOrEqualTo(50);
    }

    @Test
    void trackedRangesStayBounded() {
        SeenRanges r = new SeenRanges(8);
        for (int i = 0; i < 100; i++) {
            r.add(i * 10L, i * 10L + 5); // 100 disjoint ranges
            assertThat(r.size()).isLessThanOrEqualTo(8);
        }
        assertThat(r.overlaps(995, 996)).isFalse();
        assertThat(r.overlaps(990, 991)).isTrue();
        assertThat(r.overlaps(994, 1000)).isTrue();
    }
}
