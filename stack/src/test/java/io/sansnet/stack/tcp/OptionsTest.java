package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.MS;
import static io.sansnet.stack.tcp.TcpScript.MSS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.filler;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.TcpOptions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Option negotiation: MSS (RFC 9293 §3.7.1), window scale and timestamps (RFC 7323), SACK (RFC 2018, RFC 6675). */
class OptionsTest {
    private static final int L = LOCAL_ISS + 1;
    private static final int R = REMOTE_ISS + 1;
    private static final int BUF = 256 * 1024; // needs window shift 3: 262144 >> 3 = 32768
    private static final TcpConfig ALL = TcpScript.CONFIG.toBuilder()
            .receiveBufferBytes(BUF)
            .windowScaling(true)
            .sack(true)
            .timestamps(true)
            .build();

    private static Seg ourSyn() {
        return Seg.SYN
                .seq(LOCAL_ISS)
                .win(65535)
                .opts(TcpOptions.NONE
                        .withMss(MSS)
                        .withWindowScale(3)
                        .withSackPermitted()
                        .withTimestamps(0, 0));
    }

    @Test
    void synOffersEveryOptionRfc7323AndRfc2018() {
        TcpScript s = TcpScript.connecting(ALL);
        s.recv(ourSyn());
    }

    @Test
    void windowScaleAppliesAfterTheHandshakeOnlyRfc7323Section2_2() {
        TcpScript s = TcpScript.connecting(
                ALL.toBuilder().timestamps(false).sack(false).build());
        s.drain();
        s.send(Seg.SYN_ACK
                .seq(REMOTE_ISS)
                .ack(L)
                .win(1000)
                .opts(TcpOptions.NONE.withMss(MSS).withWindowScale(2)));
        assertThat(s.c.status().sndWnd()).isEqualTo(1000); // the window of a SYN is never scaled
        s.recv(Seg.ACK.seq(L).ack(R).win(BUF >> 3));
        s.send(Seg.ACK.seq(R).ack(L).win(1000));
        assertThat(s.c.status().sndWnd()).isEqualTo(4000);
    }

    @Test
    void windowScaleIsOffUnlessBothOfferItRfc7323Section2_2() {
        TcpScript s = TcpScript.connecting(
                ALL.toBuilder().timestamps(false).sack(false).build());
        s.drain();
        s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(1000).mss(MSS));
        s.recv(Seg.ACK.seq(L).ack(R).win(65535)); // unscaled, capped at 65535
        s.send(Seg.ACK.seq(R).ack(L).win(1000));
        assertThat(s.c.status().sndWnd()).isEqualTo(1000);
    }

    @Test
    void windowScaleAbove14IsTreatedAs14Rfc7323Section2_3() {
        TcpScript s = TcpScript.connecting(
                ALL.toBuilder().timestamps(false).sack(false).build());
        s.drain();
        s.send(Seg.SYN_ACK
                .seq(REMOTE_ISS)
                .ack(L)
                .win(1000)
                .opts(TcpOptions.NONE.withMss(MSS).withWindowScale(20)));
        s.drain();
        s.send(Seg.ACK.seq(R).ack(L).win(1));
        assertThat(s.c.status().sndWnd()).isEqualTo(1 << 14);
    }

    @Test
    void passiveOpenAnswersOnlyTheOptionsOfferedRfc7323Section2_2() {
        TcpScript s = TcpScript.listening(ALL);
        s.send(Seg.SYN.seq(REMOTE_ISS).win(5000).mss(1000));
        s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(R).win(65535).mss(MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(5000));
        assertThat(s.c.status().sendMss()).isEqualTo(1000);
    }

    @Test
    void passiveOpenAnswersAllOptionsWhenOffered() {
        TcpScript s = TcpScript.listening(ALL);
        s.now = 7 * MS;
        s.send(Seg.SYN
                .seq(REMOTE_ISS)
                .win(5000)
                .opts(TcpOptions.NONE
                        .withMss(MSS)
                        .withWindowScale(1)
                        .withSackPermitted()
                        .withTimestamps(99, 0)));
        s.recv(Seg.SYN_ACK
                .seq(LOCAL_ISS)
                .ack(R)
                .win(65535)
                .opts(TcpOptions.NONE
                        .withMss(MSS)
                        .withWindowScale(3)
                        .withSackPermitted()
                        .withTimestamps(7, 99)));
    }

    @Test
    void sendMssIsThePeersMssMinusTimestampsRfc9293Section3_7_1() {
        TcpScript s = TcpScript.connecting(ALL.toBuilder().noDelay(true).build());
        s.drain();
        s.send(Seg.SYN_ACK
                .seq(REMOTE_ISS)
                .ack(L)
                .win(60000)
                .opts(TcpOptions.NONE.withMss(500).withTimestamps(1, 0)));
        s.drain();
        assertThat(s.c.status().sendMss()).isEqualTo(488);
        s.c.send(filler(1000));
        List<Integer> sizes = s.drain().stream().map(x -> x.payload().length()).toList();
        assertThat(sizes).containsExactly(488, 488, 24);
    }

    @Test
    void missingMssOptionMeansTheDefaultRfc9293Section3_7_1() {
        TcpScript s = TcpScript.connecting(TcpScript.CONFIG);
        s.drain();
        s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(60000));
        assertThat(s.c.status().sendMss()).isEqualTo(536);
    }

    @Test
    void unknownOptionsAreIgnoredRfc9293Section3_1() {
        TcpScript s = TcpScript.listen();
        s.send(Seg.SYN
                .seq(REMOTE_ISS)
                .win(5000)
                .opts(TcpOptions.NONE
                        .withMss(MSS)
                        .withUnknown(List.of(new TcpOptions.Unknown(99, Bytes.of(1, 2, 3))))));
        s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(R).win(TcpScript.WINDOW).mss(MSS));
    }

    private static TcpScript establishedWithTimestamps() {
        TcpScript s = TcpScript.connecting(ALL.toBuilder()
                .sack(false)
                .windowScaling(false)
                .receiveBufferBytes(TcpScript.WINDOW)
                .build());
        s.drain();
        s.now = 10 * MS;
        s.send(Seg.SYN_ACK
                .seq(REMOTE_ISS)
                .ack(L)
                .win(60000)
                .opts(TcpOptions.NONE.withMss(MSS).withTimestamps(500, 0)));
        s.recv(Seg.ACK.seq(L).ack(R).win(TcpScript.WINDOW).ts(10, 500));
        s.events();
        return s;
    }

    @Test
    void timestampsEchoTsRecentRfc7323Section4_3() {
        TcpScript s = establishedWithTimestamps();
        s.now = 20 * MS;
        s.send(Seg.ACK.seq(R).ack(L).win(60000).ts(600, 10).data("a"));
        s.send(Seg.ACK.seq(R + 1).ack(L).win(60000).ts(610, 10).data("b"));
        // with delayed ACKs TS.Recent keeps the earliest unacknowledged TSval: the second segment's SEG.SEQ is beyond
        // Last.ACK.sent, so it does not update TS.Recent
        s.recv(Seg.ACK.seq(L).ack(R + 2).win(TcpScript.WINDOW - 2).ts(20, 600));
        s.send(Seg.ACK.seq(R + 2).ack(L).win(60000).ts(620, 20).data("c"));
        s.at(s.now + 200 * MS);
        s.recv(Seg.ACK.seq(L).ack(R + 3).win(TcpScript.WINDOW - 3).ts(220, 620));
    }

    @Test
    void pawsDropsASegmentWithAnOldTimestampRfc7323Section5_3() {
        TcpScript s = establishedWithTimestamps();
        s.send(Seg.ACK.seq(R).ack(L).win(60000).ts(400, 10).data("old"));
        s.recv(Seg.ACK.seq(L).ack(R).win(TcpScript.WINDOW).ts(10, 500));
        assertThat(s.c.readable()).isZero();
        assertThat(s.c.status().counters().pawsDrops()).isEqualTo(1);
        // a RST is not subject to PAWS
        s.send(Seg.RST.seq(R).ts(1, 0));
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
    }

    private static TcpScript establishedWithSack(TcpConfig.Builder b) {
        TcpScript s = TcpScript.connecting(b.sack(true).build());
        s.drain();
        s.send(Seg.SYN_ACK
                .seq(REMOTE_ISS)
                .ack(L)
                .win(60000)
                .opts(TcpOptions.NONE.withMss(MSS).withSackPermitted()));
        s.drain();
        s.events();
        return s;
    }

    @Test
    void outOfOrderDataIsReportedInSackBlocksRfc2018Section4() {
        TcpScript s = establishedWithSack(TcpScript.CONFIG.toBuilder());
        s.send(Seg.ACK.seq(R + 100).ack(L).win(60000).data("xy"));
        s.recv(Seg.ACK.seq(L).ack(R).win(TcpScript.WINDOW).sack(R + 100, R + 102));
        s.send(Seg.ACK.seq(R + 200).ack(L).win(60000).data("z"));
        // the most recent block first, then the earlier one
        s.recv(Seg.ACK.seq(L).ack(R).win(TcpScript.WINDOW).sack(R + 200, R + 201, R + 100, R + 102));
    }

    @Test
    void sackLossRecoveryRetransmitsTheHoleRfc6675Section5() {
        TcpScript s = establishedWithSack(TcpScript.CONFIG.toBuilder()
                .congestionControl(TcpConfig.CongestionAlgorithm.NEW_RENO)
                .initialWindowSegments(10));
        byte[] d = filler(6 * MSS);
        s.c.send(d);
        assertThat(s.drain()).hasSize(6);
        // the first segment was lost; the peer SACKs the others as they arrive
        s.send(Seg.ACK.seq(R).ack(L).win(60000).sack(L + MSS, L + 2 * MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(60000).sack(L + MSS, L + 3 * MSS));
        s.recvNothing(); // 2*SMSS SACKed above: not yet "more than (DupThresh - 1) * SMSS"
        s.send(Seg.ACK.seq(R).ack(L).win(60000).sack(L + MSS, L + 4 * MSS));
        s.recv(Seg.ACK.seq(L).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 0, MSS)));
        TcpStatus st = s.c.status();
        assertThat(st.counters().sackRecoveries()).isEqualTo(1);
        assertThat(st.ssthresh()).isEqualTo(3 * MSS); // RFC 5681 eq. 4 with FlightSize 6*SMSS
        assertThat(st.cwnd()).isEqualTo(3 * MSS); // RFC 6675 §5 (4.2): cwnd = ssthresh
        // the retransmission arrives: the cumulative ACK covers everything SACKed, recovery goes on to the end.
        // NextSeg rules (1)-(3) find nothing, so rule (4) sends the one rescue retransmission: the segment holding
        // the highest outstanding un-SACKed octet (RFC 6675 §4).
        s.send(Seg.ACK.seq(R).ack(L + 4 * MSS).win(60000));
        s.recv(Seg.PSH_ACK.seq(L + 5 * MSS).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 5 * MSS, 6 * MSS)));
        assertThat(s.c.status().counters().rescueRetransmissions()).isEqualTo(1);
        s.send(Seg.ACK.seq(R).ack(L + 5 * MSS).win(60000));
        s.recvNothing(); // at most one rescue per recovery
        s.send(Seg.ACK.seq(R).ack(L + 6 * MSS).win(60000));
        assertThat(s.c.status().cwnd()).isEqualTo(3 * MSS);
        assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE);
    }

    @Test
    void sackRecoveryRetransmitsEveryLostHoleWithinThePipeRfc6675Section4() {
        TcpScript s = establishedWithSack(TcpScript.CONFIG.toBuilder()
                .congestionControl(TcpConfig.CongestionAlgorithm.NEW_RENO)
                .initialWindowSegments(10));
        byte[] d = filler(10 * MSS);
        s.c.send(d);
        assertThat(s.drain()).hasSize(10);
        // segments 0 and 2 lost; 1 and 3..9 SACKed
        s.send(Seg.ACK.seq(R).ack(L).win(60000).sack(L + MSS, L + 2 * MSS));
        s.send(Seg.ACK.seq(R).ack(L).win(60000).sack(L + 3 * MSS, L + 5 * MSS, L + MSS, L + 2 * MSS));
        List<?> first = s.drain(); // 3*SMSS SACKed above segment 0: it is lost and retransmitted
        assertThat(first).hasSize(1);
        s.send(Seg.ACK.seq(R).ack(L).win(60000).sack(L + 3 * MSS, L + 10 * MSS, L + MSS, L + 2 * MSS));
        // now segment 2 is lost too (7 segments SACKed above it) and the pipe has room: it goes out
        s.recv(Seg.ACK.seq(L + 2 * MSS).ack(R).win(TcpScript.WINDOW).data(Arrays.copyOfRange(d, 2 * MSS, 3 * MSS)));
    }
}
