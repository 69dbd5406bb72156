package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.MS;
import static io.sansnet.stack.tcp.TcpScript.MSS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.filler;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpOptions.SackBlock;
import io.sansnet.stack.wire.TcpSegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loss recovery beyond the basic fast retransmit: limited transmit (RFC 3042), Proportional Rate Reduction (RFC 6937),
 * the rescue retransmission of RFC 6675 §4 (see also {@code OptionsTest}), lost retransmissions, D-SACK generation
 * (RFC 2883) and its use to detect spurious retransmissions (RFC 3708) and undo the reduction (RFC 4015), the Eifel
 * timestamp test (RFC 3522), and the urgent mark (RFC 9293 §3.8.5).
 */
class LossRecoveryTest {
    private static final int L = LOCAL_ISS + 1;
    private static final int R = REMOTE_ISS + 1;
    private static final int PEER_WINDOW = 60000;

    /** ESTABLISHED as the active opener, with the options of {@code b} (SACK/timestamps only if the peer agrees). */
    private static TcpScript established(TcpConfig.Builder b, boolean sack, boolean timestamps) {
        TcpScript s = TcpScript.connecting(b.sack(sack).timestamps(timestamps).build());
        s.drain();
        TcpOptions o = TcpOptions.NONE.withMss(MSS);
        if (sack) {
            o = o.withSackPermitted();
        }
        if (timestamps) {
            o = o.withTimestamps(1, 0);
        }
        s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(PEER_WINDOW).opts(o));
        s.drain();
        s.events();
        return s;
    }

    private static TcpConfig.Builder reno(int iw) {
        return TcpScript.CONFIG.toBuilder()
                .congestionControl(TcpConfig.CongestionAlgorithm.NEW_RENO)
                .initialWindowSegments(iw);
    }

    private static List<SackBlock> sackOf(TcpSegment s) {
        return s.header().options().sackBlocks();
    }

    private static List<Integer> seqs(List<TcpSegment> segs) {
        return segs.stream().map(x -> x.header().seq()).toList();
    }

    // --- RFC 3042 limited transmit ---

    @Test
    void limitedTransmitSendsNewDataOnTheFirstTwoDuplicateAcksRfc3042Section2() {
        TcpScript s = established(reno(3), false, false);
        byte[] d = filler(10 * MSS);
        s.c.send(d);
        assertThat(seqs(s.drain())).containsExactly(L, L + MSS, L + 2 * MSS); // cwnd = 3 segments
        // the first segment is lost; each later arrival brings a duplicate ACK
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW));
        s.recv(Seg.ACK.seq(L + 3 * MSS).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 3 * MSS, 4 * MSS)));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW));
        s.recv(Seg.ACK.seq(L + 4 * MSS).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 4 * MSS, 5 * MSS)));
        assertThat(s.c.status().counters().limitedTransmits()).isEqualTo(2);
        // the third duplicate is DupThresh: fast retransmit, and limited transmit is over
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW));
        s.recv(Seg.ACK.seq(L).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 0, MSS)));
        assertThat(s.c.status().counters().fastRecoveries()).isEqualTo(1);
        assertThat(s.c.status().counters().limitedTransmits()).isEqualTo(2);
    }

    @Test
    void withoutDuplicateAcksNothingBeyondCwndIsSentRfc3042Section2() {
        TcpScript s = established(reno(3), false, false);
        s.c.send(filler(10 * MSS));
        assertThat(s.drain()).hasSize(3);
        // an ACK that changes the window is not a duplicate (RFC 5681 §2 (e)): no limited transmit
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW - 1000));
        s.recvNothing();
        assertThat(s.c.status().counters().limitedTransmits()).isZero();
    }

    // --- RFC 6937 Proportional Rate Reduction ---

    @Test
    void prrSendsInProportionToDeliveredDataRfc6937Section3() {
        TcpScript s = established(reno(10), true, false);
        byte[] d = filler(30 * MSS);
        s.c.send(d);
        assertThat(s.drain()).hasSize(10);
        // segment 0 lost; segments 1.. are SACKed one by one. The first two SACKs allow limited transmit.
        int sent = 0;
        for (int k = 1; k <= 2; k++) {
            s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + (k + 1) * MSS));
            sent += s.drain().size();
        }
        assertThat(sent).isEqualTo(2); // RFC 3042: one new segment per duplicate
        // the third SACK makes segment 0 lost (RFC 6675 IsLost): recovery, ssthresh = FlightSize/2
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 4 * MSS));
        List<TcpSegment> entry = s.drain();
        assertThat(entry).isNotEmpty();
        assertThat(entry.get(0).header().seq()).isEqualTo(L); // the fast retransmit goes first
        long ssthresh = s.c.status().ssthresh();
        assertThat(ssthresh).isEqualTo(6L * MSS); // RFC 5681 eq. 4 with FlightSize 12 segments
        // RecoverFS = pipe at the start = segments 4..11 (8); with pipe > ssthresh PRR sends
        // ceil(prr_delivered * ssthresh / RecoverFS) - prr_out: about 6 segments per 8 delivered.
        long recoverFs = 8L * MSS;
        long prrOut = (long) entry.size() * MSS;
        long prrDelivered = MSS;
        for (int k = 4; k < 12; k++) {
            s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + (k + 1) * MSS));
            prrDelivered += MSS;
            prrOut += (long) s.drain().size() * MSS;
            long pipe = (11L - k) * MSS + MSS + (prrOut - MSS); // unSACKed originals + retransmission + new data
            if (pipe > ssthresh) {
                long allowed = (prrDelivered * ssthresh + recoverFs - 1) / recoverFs;
                assertThat(prrOut)
                        .as("prr_out after %d delivered", prrDelivered / MSS)
                        .isLessThanOrEqualTo(allowed);
                assertThat(prrOut).isGreaterThan(allowed - MSS);
            }
        }
        // once everything above the hole is SACKed, what is in flight (the retransmission and the new data sent
        // during recovery) has converged to ssthresh: "the window ... is as close as possible to ssthresh"
        assertThat(prrOut).isEqualTo(ssthresh);
        assertThat(s.c.status().counters().sackRecoveries()).isEqualTo(1);
    }

    // --- RFC 6675 with lost retransmissions ---

    @Test
    void aRetransmissionFoundLostIsSentAgainRfc6675Section4() {
        TcpScript s = established(reno(10), true, false);
        byte[] d = filler(30 * MSS);
        s.c.send(d);
        assertThat(s.drain()).hasSize(10);
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 2 * MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 3 * MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 4 * MSS));
        List<TcpSegment> out = s.drain();
        assertThat(seqs(out)).contains(L);
        // more and more data sent after the retransmission is SACKed while segment 0 stays missing: the
        // retransmission was lost too, and segment 0 goes out a third time without waiting for the timer
        int retransmitsOfFirst = 0;
        for (int k = 4; k < 14 && retransmitsOfFirst == 0; k++) {
            s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + (k + 1) * MSS));
            retransmitsOfFirst +=
                    (int) seqs(s.drain()).stream().filter(q -> q == L).count();
        }
        assertThat(retransmitsOfFirst).isEqualTo(1);
        assertThat(s.c.status().counters().lostRetransmissions()).isEqualTo(1);
        assertThat(s.c.status().counters().rtoExpiries()).isZero();
    }

    // --- the sender never stalls after a recovery (RFC 9293 §3.8.6.1, RFC 6298 (5.1)) ---

    /**
     * The state an HTTP client was suspected to stall in (sim seed 2422153443023850506, loss 0.3): a SACK recovery
     * with PRR ends, nothing is in flight, and the application then queues a request of 3719 octets. Whatever PRR's
     * allowance, recovery point or pipe estimate were, the request leaves at once (two full segments, the rest after
     * their ACK by Nagle's rule, RFC 9293 §3.7.4), and at no step does the connection sit with data to send and no
     * timer armed.
     */
    @Test
    void dataQueuedAfterASackRecoveryLeavesAtOnceRfc6937Section3() {
        TcpScript s = established(reno(10), true, false);
        s.c.send(filler(10 * MSS));
        assertThat(s.drain()).hasSize(10);
        s.advance(10 * MS);
        for (int k = 2; k <= 4; k++) {
            s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + k * MSS));
        }
        assertThat(seqs(s.drain())).contains(L); // the fast retransmit
        TcpScript.assertSenderLive(s.c, "in recovery");
        // everything else is SACKed; the retransmission is still out, PRR has little or nothing to offer
        for (int k = 5; k <= 10; k++) {
            s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + k * MSS));
            s.drain();
            TcpScript.assertSenderLive(s.c, "in recovery");
        }
        s.advance(10 * MS);
        s.send(Seg.ACK.seq(R).ack(L + 10 * MSS).win(PEER_WINDOW)); // the full ACK ends recovery
        s.recvNothing();
        assertThat(s.c.status().sndUna()).isEqualTo(s.c.status().sndNxt());
        assertThat(s.c.status().counters().sackRecoveries()).isEqualTo(1);

        byte[] request = filler(3719);
        assertThat(s.c.send(request)).isEqualTo(3719);
        List<TcpSegment> out = s.drain();
        assertThat(seqs(out)).containsExactly(L + 10 * MSS, L + 11 * MSS);
        assertThat(out).allSatisfy(x -> assertThat(x.payload().length()).isEqualTo(MSS));
        TcpScript.assertSenderLive(s.c, "after the request");
        s.advance(10 * MS);
        s.send(Seg.ACK.seq(R).ack(L + 12 * MSS).win(PEER_WINDOW));
        s.recv(Seg.PSH_ACK
                .seq(L + 12 * MSS)
                .ack(R)
                .win(TcpScript.WINDOW)
                .data(Arrays.copyOfRange(request, 2 * MSS, request.length)));
    }

    /** As above after a retransmission timeout (RFC 6298 (5.4)-(5.6)) instead of a fast recovery. */
    @Test
    void dataQueuedAfterATimeoutEpisodeLeavesAtOnceRfc6298Section5() {
        TcpScript s = established(reno(10), true, false);
        s.c.send(filler(4 * MSS));
        assertThat(s.drain()).hasSize(4);
        s.advance(TcpScript.S); // nothing answered: the RTO (1 s) resends the first segment
        assertThat(seqs(s.drain())).containsExactly(L);
        assertThat(s.c.status().counters().rtoExpiries()).isEqualTo(1);
        TcpScript.assertSenderLive(s.c, "after the timeout");
        s.send(Seg.ACK.seq(R).ack(L + 4 * MSS).win(PEER_WINDOW));
        s.recvNothing();
        assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE); // nothing owed: no timer needed

        assertThat(s.c.send(filler(100))).isEqualTo(100);
        List<TcpSegment> out = s.drain();
        assertThat(seqs(out)).containsExactly(L + 4 * MSS);
        TcpScript.assertSenderLive(s.c, "after the request");
    }

    /**
     * A request queued while the window is too small for it and nothing is in flight (sender SWS avoidance, RFC 9293
     * §3.8.6.2.1, holds it back): the override timer is armed, and when it fires the request goes out.
     */
    @Test
    void dataHeldBySenderSwsAvoidanceHasATimerArmedRfc9293Section3_8_6_2_1() {
        TcpScript s = established(reno(10), true, false);
        s.send(Seg.ACK.seq(R).ack(L).win(100)); // the peer's window shrinks to 100 octets
        assertThat(s.c.send(filler(3719))).isEqualTo(3719);
        s.recvNothing();
        TcpScript.assertSenderLive(s.c, "held back by SWS avoidance");
        long deadline = s.c.pollTimeout();
        s.at(deadline);
        List<TcpSegment> out = s.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).payload().length()).isEqualTo(100);
        TcpScript.assertSenderLive(s.c, "after the override");
    }

    // --- RFC 8985 §7 tail loss probe ---

    /** ESTABLISHED with SACK and one RTT sample of 10 ms; two more segments then go out unanswered. */
    private static TcpScript twoSegmentsUnanswered(byte[] d) {
        TcpScript s = established(reno(10), true, false);
        s.c.send(Arrays.copyOfRange(d, 0, MSS));
        assertThat(s.drain()).hasSize(1);
        s.advance(10 * MS);
        s.send(Seg.ACK.seq(R).ack(L + MSS).win(PEER_WINDOW));
        assertThat(s.c.status().srttNanos()).isPositive();
        s.c.send(Arrays.copyOfRange(d, MSS, 3 * MSS));
        assertThat(s.drain()).hasSize(2);
        return s;
    }

    @Test
    void aTailLossProbeResendsTheLastSegmentAfterTwoSrttRfc8985Section7_3() {
        byte[] d = filler(3 * MSS);
        TcpScript s = twoSegmentsUnanswered(d);
        long pto = 2 * s.c.status().srttNanos();
        assertThat(s.c.pollTimeout()).isEqualTo(s.now + pto); // PTO = 2*SRTT, well before the 1 s RTO
        s.at(s.now + pto - 1);
        s.recvNothing();
        s.at(s.now + 1);
        // no new data to send: the last segment goes again
        s.recv(Seg.PSH_ACK.seq(L + 2 * MSS).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 2 * MSS, 3 * MSS)));
        assertThat(s.c.status().counters().tailLossProbes()).isEqualTo(1);
        // the probe arrives above a hole: the first segment was lost, and recovery resends it without the RTO
        s.send(Seg.ACK.seq(R).ack(L + MSS).win(PEER_WINDOW).sack(L + 2 * MSS, L + 3 * MSS));
        s.recv(Seg.ACK.seq(L + MSS).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, MSS, 2 * MSS)));
        assertThat(s.c.status().counters().sackRecoveries()).isEqualTo(1);
        assertThat(s.c.status().counters().rtoExpiries()).isZero();
    }

    @Test
    void noTailLossProbeWithoutSackRfc8985Section7_2() {
        TcpScript s = established(reno(10), false, false);
        s.c.send(filler(MSS));
        s.drain();
        s.advance(10 * MS);
        s.send(Seg.ACK.seq(R).ack(L + MSS).win(PEER_WINDOW));
        s.c.send(filler(2 * MSS));
        s.drain();
        assertThat(s.c.pollTimeout()).isEqualTo(s.now + TcpScript.S); // only the RTO (1 s minimum)
        s.at(s.now + 500 * MS);
        s.recvNothing();
        assertThat(s.c.status().counters().tailLossProbes()).isZero();
    }

    // --- RFC 2883 D-SACK generation ---

    @Test
    void aDuplicateBelowRcvNxtIsReportedAsTheFirstSackBlockRfc2883Section4() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder(), true, false);
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).data("abc"));
        s.advance(200 * MS); // the delayed ACK
        List<TcpSegment> first = s.drain();
        assertThat(first).hasSize(1);
        assertThat(sackOf(first.get(0))).isEmpty();
        // the same segment again: its octets are reported in a D-SACK block, below the cumulative ACK
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).data("abc"));
        List<TcpSegment> dup = s.drain();
        assertThat(dup).hasSize(1);
        assertThat(dup.get(0).header().ack()).isEqualTo(R + 3);
        assertThat(sackOf(dup.get(0))).containsExactly(new SackBlock(R, R + 3));
        // reported once only
        s.send(Seg.ACK.seq(R + 3).ack(L).win(PEER_WINDOW).data("d"));
        s.advance(200 * MS);
        assertThat(s.drain()).allSatisfy(x -> assertThat(sackOf(x)).isEmpty());
        assertThat(s.c.status().counters().dsacksSent()).isEqualTo(1);
    }

    @Test
    void aDuplicateOfHeldOutOfOrderDataIsFollowedByItsBlockRfc2883Section4() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder(), true, false);
        s.send(Seg.ACK.seq(R + 10).ack(L).win(PEER_WINDOW).data("xyz"));
        s.send(Seg.ACK.seq(R + 13).ack(L).win(PEER_WINDOW).data("w"));
        s.drain();
        s.send(Seg.ACK.seq(R + 10).ack(L).win(PEER_WINDOW).data("xy"));
        List<TcpSegment> out = s.drain();
        assertThat(out).hasSize(1);
        // "the second SACK block ... should specify that (possibly larger) block of data"
        assertThat(sackOf(out.get(0))).containsExactly(new SackBlock(R + 10, R + 12), new SackBlock(R + 10, R + 14));
        assertThat(out.get(0).header().ack()).isEqualTo(R);
    }

    @Test
    void noDsackWithoutSackPermittedRfc2883Section4() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder(), false, false);
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).data("abc"));
        s.advance(200 * MS);
        s.drain();
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).data("abc"));
        assertThat(s.drain())
                .singleElement()
                .satisfies(x -> assertThat(sackOf(x)).isEmpty());
        assertThat(s.c.status().counters().dsacksSent()).isZero();
    }

    // --- RFC 3708 spurious retransmission detection, RFC 4015 undo ---

    /** Enters SACK recovery on six segments with segment 0 missing; returns the script after the fast retransmit. */
    private static TcpScript sackRecoveryOnSix(boolean timestamps) {
        TcpScript s = established(reno(10), true, timestamps);
        s.c.send(filler(6 * MSS));
        assertThat(s.drain()).hasSize(6);
        s.advance(10 * MS);
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 2 * MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 3 * MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).sack(L + MSS, L + 4 * MSS));
        assertThat(seqs(s.drain())).containsExactly(L); // the fast retransmit
        assertThat(s.c.status().cwnd()).isEqualTo(3L * MSS);
        return s;
    }

    @Test
    void aDsackOfTheOnlyRetransmissionUndoesTheReductionRfc3708Section2() {
        TcpScript s = sackRecoveryOnSix(false);
        // segment 0 was only late: its original fills the hole and ends recovery ...
        s.send(Seg.ACK.seq(R).ack(L + 6 * MSS).win(PEER_WINDOW));
        assertThat(s.c.status().cwnd()).isEqualTo(3L * MSS);
        // ... then the retransmission arrives as a duplicate, and the peer says so with a D-SACK below SEG.ACK
        s.send(Seg.ACK.seq(R).ack(L + 6 * MSS).win(PEER_WINDOW).sack(L, L + MSS));
        TcpStatus.Counters c = s.c.status().counters();
        assertThat(c.dsacksReceived()).isEqualTo(1);
        assertThat(c.spuriousRetransmissions()).isEqualTo(1);
        assertThat(c.undos()).isEqualTo(1);
        assertThat(s.c.status().cwnd()).isEqualTo(10L * MSS); // the window before the episode
        assertThat(s.c.status().ssthresh()).isEqualTo(Long.MAX_VALUE);
        // a D-SACK for octets never retransmitted (a duplicate the network made) proves nothing
        s.send(Seg.ACK.seq(R).ack(L + 6 * MSS).win(PEER_WINDOW).sack(L + MSS, L + 2 * MSS));
        assertThat(s.c.status().counters().dsacksReceived()).isEqualTo(2);
        assertThat(s.c.status().counters().spuriousRetransmissions()).isEqualTo(1);
        assertThat(s.c.status().counters().undos()).isEqualTo(1);
    }

    @Test
    void aRealLossIsNotUndoneRfc3708Section2() {
        TcpScript s = sackRecoveryOnSix(false);
        // the retransmission filled the hole: no D-SACK follows, the reduction stands
        s.send(Seg.ACK.seq(R).ack(L + 6 * MSS).win(PEER_WINDOW));
        s.send(Seg.ACK.seq(R).ack(L + 6 * MSS).win(PEER_WINDOW));
        assertThat(s.c.status().counters().undos()).isZero();
        assertThat(s.c.status().cwnd()).isEqualTo(3L * MSS);
    }

    /** SMSS with timestamps: the 12 octets of the option come out of each segment (RFC 7323 §3.2). */
    private static final int M = MSS - 12;

    @Test
    void anEchoedTimestampOlderThanTheRetransmissionUndoesRfc3522Section2() {
        TcpScript s = established(reno(10), true, true);
        s.c.send(filler(6 * M));
        List<TcpSegment> originals = s.drain();
        int originalTs =
                originals.get(0).header().options().timestamps().orElseThrow().tsVal();
        s.advance(10 * MS);
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).ts(2, originalTs).sack(L + M, L + 2 * M));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).ts(2, originalTs).sack(L + M, L + 3 * M));
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).ts(2, originalTs).sack(L + M, L + 4 * M));
        List<TcpSegment> rxt = s.drain();
        assertThat(seqs(rxt)).containsExactly(L);
        int rxtTs = rxt.get(0).header().options().timestamps().orElseThrow().tsVal();
        assertThat(rxtTs).isGreaterThan(originalTs);
        // the full ACK echoes the original's timestamp: the original filled the hole (Eifel detection)
        s.send(Seg.ACK.seq(R).ack(L + 6 * M).win(PEER_WINDOW).ts(3, originalTs));
        assertThat(s.c.status().counters().undos()).isEqualTo(1);
        assertThat(s.c.status().cwnd()).isEqualTo(10L * M);
    }

    @Test
    void anEchoedTimestampOfTheRetransmissionKeepsTheReductionRfc3522Section2() {
        TcpScript s = established(reno(10), true, true);
        s.c.send(filler(6 * M));
        int originalTs =
                s.drain().get(0).header().options().timestamps().orElseThrow().tsVal();
        s.advance(10 * MS);
        for (int k = 2; k <= 4; k++) {
            s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).ts(2, originalTs).sack(L + M, L + k * M));
        }
        int rxtTs =
                s.drain().get(0).header().options().timestamps().orElseThrow().tsVal();
        s.send(Seg.ACK.seq(R).ack(L + 6 * M).win(PEER_WINDOW).ts(3, rxtTs));
        assertThat(s.c.status().counters().undos()).isZero();
        assertThat(s.c.status().cwnd()).isEqualTo(3L * M);
    }

    // --- RFC 9293 §3.8.5 urgent mark ---

    @Test
    void theUrgentMarkIsAnEventAndTheDataStaysInlineRfc9293Section3_8_5() {
        TcpScript s = TcpScript.established();
        s.send(Seg.ACK.seq(R).ack(L).win(PEER_WINDOW).data("ab"));
        s.send(Seg.of(TcpFlags.ACK | TcpFlags.URG)
                .seq(R + 2)
                .ack(L)
                .win(PEER_WINDOW)
                .urgent(3)
                .data("cdefg"));
        // the urgent pointer points at the octet after the urgent data: stream offset 2 + 3
        s.expectEvents(new TcpEvent.Readable(2), new TcpEvent.UrgentMark(5));
        assertThat(s.receiveText(100)).isEqualTo("abcdefg");
        assertThat(s.c.urgentMark()).isEqualTo(new SeqNum(R + 5));
        // the same mark again (a retransmission) is not reported twice; a later mark is
        s.send(Seg.of(TcpFlags.ACK | TcpFlags.URG)
                .seq(R + 2)
                .ack(L)
                .win(PEER_WINDOW)
                .urgent(3)
                .data("cdefg"));
        s.send(Seg.of(TcpFlags.ACK | TcpFlags.URG)
                .seq(R + 7)
                .ack(L)
                .win(PEER_WINDOW)
                .urgent(1)
                .data("h"));
        assertThat(s.events())
                .filteredOn(e -> e instanceof TcpEvent.UrgentMark)
                .containsExactly(new TcpEvent.UrgentMark(8));
    }
}
