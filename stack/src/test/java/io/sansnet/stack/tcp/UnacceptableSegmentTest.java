package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.MS;
import static io.sansnet.stack.tcp.TcpScript.MSS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.S;
import static io.sansnet.stack.tcp.TcpScript.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.10.7.4 "If an incoming segment is not acceptable, an acknowledgment should be sent in reply", and the
 * rate limit on those ACKs ({@link TcpConfig#invalidAckIntervalNanos()}, Linux's tcp_invalid_ratelimit) that keeps
 * two ends disagreeing on sequence numbers from ACKing each other forever.
 */
class UnacceptableSegmentTest {
    private static final int L = LOCAL_ISS + 1; // our next sequence number
    private static final int R = REMOTE_ISS + 1; // the peer's next sequence number
    private static final int OUT_OF_WINDOW = R + WINDOW + 1000;

    @Test
    void defaultIntervalIsLinuxs500Milliseconds() {
        assertThat(TcpConfig.DEFAULT.invalidAckIntervalNanos()).isEqualTo(500 * MS);
        assertThat(TcpConfig.DEFAULT.toBuilder().build().invalidAckIntervalNanos())
                .isEqualTo(500 * MS);
    }

    @Test
    void burstOfUnacceptableAcksGetsOneAckPerIntervalRfc9293Section3_10_7_4() {
        TcpScript s = TcpScript.established();
        for (int i = 0; i < 5; i++) {
            s.send(Seg.ACK.seq(OUT_OF_WINDOW + i).ack(L).win(WINDOW));
            if (i == 0) {
                s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
            } else {
                s.recvNothing();
            }
        }
        assertThat(s.c.status().counters().invalidAcksSuppressed()).isEqualTo(4);

        s.at(499 * MS); // still inside the interval
        s.send(Seg.ACK.seq(OUT_OF_WINDOW).ack(L).win(WINDOW));
        s.recvNothing();

        s.at(500 * MS); // the next interval: one ACK again
        s.send(Seg.ACK.seq(OUT_OF_WINDOW).ack(L).win(WINDOW));
        s.send(Seg.ACK.seq(OUT_OF_WINDOW).ack(L).win(WINDOW));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.c.status().counters().invalidAcksSuppressed()).isEqualTo(6);
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void zeroIntervalAnswersEveryUnacceptableSegment() {
        TcpScript s = TcpScript.connecting(
                TcpScript.CONFIG.toBuilder().invalidAckIntervalNanos(0).build());
        s.drain();
        s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        for (int i = 0; i < 3; i++) {
            s.send(Seg.ACK.seq(OUT_OF_WINDOW).ack(L).win(WINDOW));
            s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        }
        assertThat(s.c.status().counters().invalidAcksSuppressed()).isZero();
    }

    @Test
    void oldDuplicateDataIsAlwaysAcknowledgedRfc9293Section3_10_7_4() {
        // segments occupying sequence space are no part of an ACK loop: the peer must learn RCV.NXT every time
        TcpScript s = TcpScript.established();
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data("ab"));
        s.drain();
        for (int i = 0; i < 3; i++) {
            s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data("ab"));
            s.recv(Seg.ACK.seq(L).ack(R + 2).win(WINDOW - 2));
        }
        assertThat(s.c.status().counters().invalidAcksSuppressed()).isZero();
    }

    @Test
    void retransmittedFinInTimeWaitIsAlwaysAcknowledgedRfc9293Section3_10_7_4() {
        TcpScript s = TcpScript.timeWait();
        for (int i = 0; i < 3; i++) {
            s.send(Seg.FIN_ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 2).win(WINDOW));
            s.recv(Seg.ACK.seq(LOCAL_ISS + 2).ack(REMOTE_ISS + 2).win(WINDOW));
        }
    }

    /**
     * A half-open connection: {@code half} sits in SYN-RECEIVED for a stale SYN while {@code established} is the other
     * end of a different incarnation. Their sequence numbers do not match, so each finds the other's segments
     * unacceptable and answers with an ACK; the test plays the network (duplicating every segment) for 20 virtual
     * seconds and counts what crosses it.
     */
    @Test
    void halfOpenAndEstablishedPeerSettleInsteadOfAckingForever() {
        Loop loop = new Loop(TcpScript.CONFIG);
        loop.run(20 * S);
        // the SYN-ACK and its retransmissions (0, 1, 3, 7 and 15 s), each arriving twice and so answered by two
        // challenge ACKs, then one invalid ACK each way before the limit stops the exchange: five segments a burst
        assertThat(loop.segments).isLessThanOrEqualTo(5 * 5);
        assertThat(loop.busyRounds).isLessThanOrEqualTo(5 * 4);
        assertThat(loop.lastSegmentAt).isLessThan(16 * S); // quiet until the next SYN-ACK retransmission (31 s)
        assertThat(loop.half.status().counters().invalidAcksSuppressed()).isPositive();
        assertThat(loop.established.status().counters().invalidAcksSuppressed()).isPositive();
        assertThat(loop.established.status().counters().challengeAcks()).isPositive();
        assertThat(loop.established.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void withoutTheLimitTheHalfOpenPairLoops() {
        // the same exchange with the limit off: the loop the limit exists for (one ACK each way every round)
        Loop loop =
                new Loop(TcpScript.CONFIG.toBuilder().invalidAckIntervalNanos(0).build());
        loop.run(2 * S);
        assertThat(loop.segments).isGreaterThan(1000);
    }

    /** Two connections whose segments the test hands to each other, every one twice, one round per millisecond. */
    private static final class Loop {
        static final int HALF_ISS = 1_000_000; // far outside the established end's receive window
        static final int STALE_SYN = 5_000_000; // far outside the half-open end's view of the peer

        final TcpConnection established;
        final TcpConnection half;
        int segments;
        int busyRounds;
        long lastSegmentAt = -1;

        Loop(TcpConfig config) {
            TcpScript e = TcpScript.connecting(config);
            e.drain();
            e.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
            e.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
            e.expectEvents(new TcpEvent.Connected());
            established = e.c;
            FourTuple mirrored = new FourTuple(
                    IpAddress.of("198.18.0.2"), Seg.REMOTE_PORT, IpAddress.of("198.18.0.1"), Seg.LOCAL_PORT);
            half = TcpConnection.listen(config, mirrored, TcpScript.fixedIsn(HALF_ISS));
            half.handleSegment(Seg.SYN.seq(STALE_SYN).win(WINDOW).mss(MSS).toPeer(), 0);
            assertThat(half.state()).isEqualTo(TcpState.SYN_RECEIVED);
        }

        void run(long until) {
            for (long now = 0; now <= until; now += MS) {
                established.handleTimeout(now);
                half.handleTimeout(now);
                List<TcpSegment> fromHalf = drain(half, now);
                List<TcpSegment> fromEstablished = drain(established, now);
                segments += fromHalf.size() + fromEstablished.size();
                if (!fromHalf.isEmpty() || !fromEstablished.isEmpty()) {
                    busyRounds++;
                    lastSegmentAt = now;
                }
                for (TcpSegment seg : fromHalf) {
                    established.handleSegment(seg, now);
                    established.handleSegment(seg, now); // duplicated by the network
                }
                for (TcpSegment seg : fromEstablished) {
                    half.handleSegment(seg, now);
                    half.handleSegment(seg, now);
                }
            }
        }

        private static List<TcpSegment> drain(TcpConnection c, long now) {
            List<TcpSegment> out = new ArrayList<>();
            for (TcpSegment s; (s = c.pollTransmit(now)) != null; ) {
                out.add(s);
                assertThat(out).hasSizeLessThan(1000);
            }
            return out;
        }
    }
}
