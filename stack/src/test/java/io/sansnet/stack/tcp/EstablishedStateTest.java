package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.MS;
import static io.sansnet.stack.tcp.TcpScript.MSS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.S;
import static io.sansnet.stack.tcp.TcpScript.WINDOW;
import static io.sansnet.stack.tcp.TcpScript.filler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ESTABLISHED: data, acknowledgements, RFC 9293 §3.10.7.4 and the RFC 5961 defences. */
class EstablishedStateTest {
    private static final int L = LOCAL_ISS + 1; // our first data octet
    private static final int R = REMOTE_ISS + 1; // the peer's first data octet

    private final TcpScript s = TcpScript.established();

    @Test
    void inOrderDataIsAckedAfterTheDelayRfc9293Section3_8_6_3() {
        s.send(Seg.PSH_ACK.seq(R).ack(L).win(WINDOW).data("hello"));
        s.recvNothing();
        s.expectEvents(new TcpEvent.Readable(5));
        assertThat(s.c.pollTimeout()).isEqualTo(200 * MS);
        s.at(200 * MS);
        s.recv(Seg.ACK.seq(L).ack(R + 5).win(WINDOW - 5));
        assertThat(s.receiveText(100)).isEqualTo("hello");
    }

    @Test
    void everySecondFullSegmentIsAckedAtOnceRfc9293Section3_8_6_3() {
        byte[] d = filler(2 * MSS);
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data(Arrays.copyOfRange(d, 0, MSS)));
        s.recvNothing();
        s.send(Seg.ACK.seq(R + MSS).ack(L).win(WINDOW).data(Arrays.copyOfRange(d, MSS, 2 * MSS)));
        s.recv(Seg.ACK.seq(L).ack(R + 2 * MSS).win(WINDOW - 2 * MSS));
        s.expectEvents(new TcpEvent.Readable(MSS)); // edge-triggered: once until the user reads
    }

    @Test
    void outOfOrderSegmentGetsAnImmediateDuplicateAckRfc5681Section4_2() {
        s.send(Seg.ACK.seq(R + 100).ack(L).win(WINDOW).data("x"));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.events()).isEmpty();
        // filling the hole is acknowledged at once too, and delivers both pieces
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data(filler(100)));
        s.recv(Seg.ACK.seq(L).ack(R + 101).win(WINDOW - 101));
        s.expectEvents(new TcpEvent.Readable(101));
    }

    @Test
    void dataBeyondTheWindowIsNotAcceptableRfc9293Section3_10_7_4() {
        s.send(Seg.ACK.seq(R + WINDOW).ack(L).win(WINDOW).data("late"));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.events()).isEmpty();
    }

    @Test
    void oldDuplicateIsAcknowledgedRfc9293Section3_10_7_4() {
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data("ab"));
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data("ab"));
        s.recv(Seg.ACK.seq(L).ack(R + 2).win(WINDOW - 2));
    }

    @Test
    void sendsDataAndNagleHoldsTheNextSmallSegmentRfc9293Section3_7_4() {
        assertThat(s.sendText("abc")).isEqualTo(3);
        s.recv(Seg.PSH_ACK.seq(L).ack(R).win(WINDOW).data("abc"));
        assertThat(s.sendText("def")).isEqualTo(3);
        s.recvNothing(); // unacknowledged data outstanding: Nagle waits
        s.now = 50 * MS;
        s.send(Seg.ACK.seq(R).ack(L + 3).win(WINDOW));
        s.recv(Seg.PSH_ACK.seq(L + 3).ack(R).win(WINDOW).data("def"));
        // RFC 6298 (2.3): the SYN gave a first sample of 0 ns, so SRTT = 7/8 * 0 + 1/8 * 50 ms
        assertThat(s.c.status().srttNanos()).isEqualTo(6_250_000L);
    }

    @Test
    void noDelaySendsSmallSegmentsAtOnce() {
        TcpScript nd =
                TcpScript.connecting(TcpScript.CONFIG.toBuilder().noDelay(true).build());
        nd.drain();
        nd.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        nd.drain();
        nd.sendText("abc");
        nd.recv(Seg.PSH_ACK.seq(L).ack(R).win(WINDOW).data("abc"));
        nd.sendText("def");
        nd.recv(Seg.PSH_ACK.seq(L + 3).ack(R).win(WINDOW).data("def"));
    }

    @Test
    void largeSendIsCutIntoMssSegmentsWithinTheInitialWindow() {
        byte[] d = filler(5 * MSS);
        assertThat(s.c.send(d)).isEqualTo(5 * MSS);
        // RFC 5681 §3.1: IW = 3 * SMSS for SMSS 1460
        s.recv(
                Seg.ACK.seq(L).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, 0, MSS)),
                Seg.ACK.seq(L + MSS).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, MSS, 2 * MSS)),
                Seg.ACK.seq(L + 2 * MSS).ack(R).win(WINDOW).data(Arrays.copyOfRange(d, 2 * MSS, 3 * MSS)));
    }

    @Test
    void sendBufferIsBoundedAndWritableFollows() {
        TcpScript small = TcpScript.connecting(
                TcpScript.CONFIG.toBuilder().sendBufferBytes(10).noDelay(true).build());
        small.drain();
        small.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        small.drain();
        small.events();
        assertThat(small.sendText("0123456789abc")).isEqualTo(10);
        small.recv(Seg.PSH_ACK.seq(L).ack(R).win(WINDOW).data("0123456789"));
        small.send(Seg.ACK.seq(R).ack(L + 4).win(WINDOW));
        small.expectEvents(new TcpEvent.Writable(4));
    }

    @Test
    void exactRstResetsTheConnectionRfc5961Section3_2() {
        s.send(Seg.RST.seq(R));
        s.recvNothing();
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.RESET));
        assertThat(s.sendText("x")).isZero(); // closed by the peer: nothing accepted, no exception
    }

    @Test
    void inWindowRstGetsAChallengeAckRfc5961Section3_2() {
        s.send(Seg.RST.seq(R + 100));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(s.c.status().counters().challengeAcks()).isEqualTo(1);
    }

    @Test
    void outOfWindowRstIsDroppedSilentlyRfc5961Section3_2() {
        s.send(Seg.RST.seq(R + WINDOW + 10));
        s.recvNothing();
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void synGetsAChallengeAckRfc5961Section4_2() {
        s.send(Seg.SYN.seq(R + 5).win(WINDOW));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void outOfWindowSynGetsAChallengeAckRfc5961Section4_2() {
        // "irrespective of the sequence number": counted and rate-limited as a challenge ACK, not as an invalid ACK
        TcpScript lim = TcpScript.connecting(
                TcpScript.CONFIG.toBuilder().challengeAcksPerSecond(2).build());
        lim.drain();
        lim.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        lim.drain();
        lim.send(Seg.SYN.seq(R + WINDOW + 1000).win(WINDOW));
        lim.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(lim.c.status().counters().challengeAcks()).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            lim.send(Seg.SYN.seq(R - 5000 - i).win(WINDOW)); // below the window
        }
        lim.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(lim.c.status().counters().challengeAcks()).isEqualTo(2);
        assertThat(lim.c.status().counters().invalidAcksSuppressed()).isZero();
        assertThat(lim.state()).isEqualTo(TcpState.ESTABLISHED);
        lim.now = S;
        lim.send(Seg.SYN_ACK.seq(R + WINDOW + 7).ack(L).win(WINDOW));
        lim.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(lim.c.status().counters().challengeAcks()).isEqualTo(3);
    }

    @Test
    void ackOfUnsentDataGetsAChallengeAckAndItsDataIsDroppedRfc5961Section5_2() {
        s.send(Seg.ACK.seq(R).ack(L + 100).win(WINDOW).data("evil"));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.events()).isEmpty();
        assertThat(s.c.readable()).isZero();
    }

    @Test
    void ackTooFarBehindGetsAChallengeAckRfc5961Section5_2() {
        // acceptable only when SND.UNA - MAX.SND.WND <= SEG.ACK; MAX.SND.WND is 64000 here
        s.send(Seg.ACK.seq(R).ack(L - WINDOW - 1).win(WINDOW).data("blind"));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.c.readable()).isZero();
        // an old duplicate ACK inside the range is ignored, its data accepted
        s.send(Seg.ACK.seq(R).ack(L - 10).win(WINDOW).data("ok"));
        assertThat(s.c.readable()).isEqualTo(2);
    }

    @Test
    void challengeAcksAreRateLimitedRfc5961Section7() {
        TcpScript lim = TcpScript.connecting(
                TcpScript.CONFIG.toBuilder().challengeAcksPerSecond(2).build());
        lim.drain();
        lim.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        lim.drain();
        for (int i = 0; i < 5; i++) {
            lim.send(Seg.RST.seq(R + 10 + i));
        }
        lim.recv(Seg.ACK.seq(L).ack(R).win(WINDOW), Seg.ACK.seq(L).ack(R).win(WINDOW));
        lim.now = S;
        lim.send(Seg.RST.seq(R + 50));
        lim.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
    }

    @Test
    void abortSendsRstRfc9293Section3_10_5() {
        s.c.abort();
        s.recv(Seg.RST.seq(L));
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.ABORTED));
        assertThatThrownBy(() -> s.sendText("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void urgentPointerMarksTheStreamAndDataStaysInlineRfc9293Section3_8_5() {
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).urgent(3).data("abcdef"));
        assertThat(s.c.urgentMark()).isEqualTo(new SeqNum(R + 3));
        assertThat(s.receiveText(10)).isEqualTo("abcdef");
    }

    @Test
    void readingAFullWindowSendsAWindowUpdateRfc9293Section3_8_6_2_2() {
        TcpScript full = TcpScript.connecting(
                TcpScript.CONFIG.toBuilder().receiveBufferBytes(2 * MSS).build());
        full.recv(Seg.SYN.seq(LOCAL_ISS).win(2 * MSS).mss(MSS));
        full.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(L).win(WINDOW).mss(MSS));
        full.recv(Seg.ACK.seq(L).ack(R).win(2 * MSS));
        full.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data(filler(MSS)));
        full.send(Seg.ACK.seq(R + MSS).ack(L).win(WINDOW).data(filler(MSS)));
        full.recv(Seg.ACK.seq(L).ack(R + 2 * MSS).win(0));
        // a segment into the zero window is not acceptable: ACK, drop
        full.send(Seg.ACK.seq(R + 2 * MSS).ack(L).win(WINDOW).data("z"));
        full.recv(Seg.ACK.seq(L).ack(R + 2 * MSS).win(0));
        assertThat(full.receiveText(100)).hasSize(100);
        full.recvNothing(); // 100 octets free: less than min(buffer/2, MSS), so no update (SWS avoidance)
        assertThat(full.receiveText(4000)).hasSize(2 * MSS - 100);
        full.recv(Seg.ACK.seq(L).ack(R + 2 * MSS).win(2 * MSS));
    }
}
