package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.MSS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.S;
import static io.sansnet.stack.tcp.TcpScript.WINDOW;
import static io.sansnet.stack.tcp.TcpScript.filler;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The retransmission timer (RFC 6298), fast retransmit (RFC 5681/6582) and the persist timer (RFC 9293 §3.8.6.1). */
class TimersTest {
    private static final int L = LOCAL_ISS + 1;
    private static final int R = REMOTE_ISS + 1;

    private static TcpScript established(TcpConfig config) {
        TcpScript s = TcpScript.connecting(config);
        s.drain();
        s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        s.drain();
        s.events();
        return s;
    }

    @Test
    void unackedDataIsRetransmittedWithBackoffRfc6298Section5() {
        TcpScript s = TcpScript.established();
        s.sendText("abc");
        s.recv(Seg.PSH_ACK.seq(L).ack(R).win(WINDOW).data("abc"));
        assertThat(s.c.pollTimeout()).isEqualTo(S);
        s.at(S);
        s.recv(Seg.PSH_ACK.seq(L).ack(R).win(WINDOW).data("abc"));
        assertThat(s.c.pollTimeout()).isEqualTo(3 * S); // (5.5) RTO doubled
        assertThat(s.c.status().counters().rtoExpiries()).isEqualTo(1);
        assertThat(s.c.status().cwnd()).isEqualTo(MSS); // RFC 5681 §3.1: LW = 1 SMSS
        s.send(Seg.ACK.seq(R).ack(L + 3).win(WINDOW));
        assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE); // (5.2) all acked: timer off
    }

    @Test
    void connectionTimesOutAfterMaxRetriesRfc9293Section3_8_3() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder().maxRetries(2).build());
        s.sendText("abc");
        s.drain();
        s.at(S);
        s.drain();
        s.at(3 * S);
        s.drain();
        s.at(7 * S);
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.TIMED_OUT));
    }

    @Test
    void userTimeoutEndsTheConnectionRfc9293Section3_10_8() {
        TcpScript s =
                established(TcpScript.CONFIG.toBuilder().userTimeoutNanos(2 * S).build());
        s.sendText("abc");
        s.drain();
        s.at(S);
        s.drain();
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
        s.at(3 * S);
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.TIMED_OUT));
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitAndNewRenoRecoveryRfc5681Section3_2() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder()
                .congestionControl(TcpConfig.CongestionAlgorithm.NEW_RENO)
                .initialWindowSegments(10)
                .build());
        byte[] d = filler(5 * MSS);
        s.c.send(d);
        assertThat(s.drain()).hasSize(5);
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW));
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW));
        s.recvNothing();
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, 0, MSS)));
        TcpStatus st = s.c.status();
        assertThat(st.counters().fastRecoveries()).isEqualTo(1);
        assertThat(st.ssthresh()).isEqualTo(5 * MSS / 2); // max(FlightSize/2, 2*SMSS)
        assertThat(st.cwnd()).isEqualTo(5 * MSS / 2 + 3 * MSS); // ssthresh + 3*SMSS
        // RFC 6582 step 5: a partial ACK retransmits the next unacknowledged segment at once
        s.send(Seg.ACK.seq(R).ack(L + MSS).win(WINDOW));
        s.recv(Seg.ACK.seq(L + MSS).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, MSS, 2 * MSS)));
        // the full ACK ends recovery: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)
        s.send(Seg.ACK.seq(R).ack(L + 5 * MSS).win(WINDOW));
        assertThat(s.c.status().cwnd()).isEqualTo(2 * MSS);
    }

    @Test
    void fourthDuplicateInflatesTheWindowRfc5681Section3_2Step4() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder()
                .congestionControl(TcpConfig.CongestionAlgorithm.NEW_RENO)
                .initialWindowSegments(10)
                .build());
        s.c.send(filler(5 * MSS));
        s.drain();
        for (int i = 0; i < 3; i++) {
            s.send(Seg.ACK.seq(R).ack(L).win(WINDOW));
        }
        s.drain();
        long cwnd = s.c.status().cwnd();
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW));
        assertThat(s.c.status().cwnd()).isEqualTo(cwnd + MSS);
    }

    @Test
    void zeroWindowIsProbedByThePersistTimerRfc9293Section3_8_6_1() {
        TcpScript s = TcpScript.established();
        s.send(Seg.ACK.seq(R).ack(L).win(0));
        s.sendText("abc");
        s.recvNothing(); // no window
        assertThat(s.c.pollTimeout()).isEqualTo(S);
        s.at(S);
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW).data("a")); // one octet beyond the zero window
        assertThat(s.c.pollTimeout()).isEqualTo(3 * S); // backed off
        s.at(3 * S);
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW).data("a")); // the same octet again
        assertThat(s.c.status().counters().zeroWindowProbes()).isEqualTo(2);
        // the peer takes the octet and opens the window: the rest follows
        s.send(Seg.ACK.seq(R).ack(L + 1).win(1000));
        s.recv(Seg.PSH_ACK.seq(L + 1).ack(R).win(WINDOW).data("bc"));
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void probesKeepGoingWhileThePeerAnswersRfc9293Section3_8_6_1() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder().maxRetries(2).build());
        s.send(Seg.ACK.seq(R).ack(L).win(0));
        s.sendText("abc");
        s.recvNothing(); // the contract: drain after every call, then read pollTimeout
        for (int i = 0; i < 6; i++) {
            s.at(s.c.pollTimeout());
            assertThat(s.drain()).hasSize(1);
            s.send(Seg.ACK.seq(R).ack(L).win(0)); // alive, window still closed
        }
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void smallWindowDataIsSentByTheOverrideTimeoutRfc9293Section3_8_6_2_1() {
        TcpScript s = TcpScript.established();
        s.send(Seg.ACK.seq(R).ack(L).win(10)); // a window smaller than the data and than half the max window
        s.send(Seg.ACK.seq(R).ack(L).win(10));
        s.c.send(filler(100));
        s.recvNothing(); // SWS avoidance: 10 octets is neither a full segment nor all the data
        s.at(s.c.pollTimeout());
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW).data(Arrays.copyOfRange(filler(100), 0, 10)));
    }

    @Test
    void packetTooBigShrinksSegmentsAndResendsThemRfc1191Section6_2() {
        TcpScript s = established(
                TcpScript.CONFIG.toBuilder().initialWindowSegments(10).build());
        byte[] d = filler(2 * MSS);
        s.c.send(d);
        assertThat(s.drain()).hasSize(2);
        s.c.handlePathMss(1000, s.now); // e.g. an ICMP "fragmentation needed" with next-hop MTU 1040
        s.recv(
                Seg.ACK.seq(L).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, 0, 1000)),
                Seg.ACK.seq(L + 1000).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, 1000, 2000)),
                Seg.PSH_ACK.seq(L + 2000).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, 2000, 2 * MSS)));
        assertThat(s.c.status().sendMss()).isEqualTo(1000);
        assertThat(s.c.status().ssthresh()).isEqualTo(Long.MAX_VALUE); // not a congestion signal
        s.c.handlePathMss(1400, s.now); // never raised by an ICMP message
        assertThat(s.c.status().sendMss()).isEqualTo(1000);
    }

    @Test
    void keepAliveIsOffByDefaultRfc9293Section3_8_4() {
        TcpScript s = TcpScript.established();
        assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE);
    }

    @Test
    void keepAliveProbesAnIdleConnectionAndTimesOutRfc9293Section3_8_4() {
        TcpScript s = established(TcpScript.CONFIG.toBuilder()
                .keepAliveIdleNanos(100 * S)
                .keepAliveIntervalNanos(10 * S)
                .keepAliveProbes(2)
                .build());
        assertThat(s.c.pollTimeout()).isEqualTo(100 * S);
        s.at(100 * S);
        s.recv(Seg.ACK.seq(L - 1).ack(R).win(WINDOW)); // SEG.SEQ = SND.NXT - 1, no data
        // the peer answers: the idle period starts again
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW));
        assertThat(s.c.pollTimeout()).isEqualTo(200 * S);
        s.at(200 * S);
        s.recv(Seg.ACK.seq(L - 1).ack(R).win(WINDOW));
        s.at(210 * S);
        s.recv(Seg.ACK.seq(L - 1).ack(R).win(WINDOW));
        s.at(220 * S);
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.TIMED_OUT));
        assertThat(s.c.status().counters().keepAlivesSent()).isEqualTo(3);
    }
}
