package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.S;
import static io.sansnet.stack.tcp.TcpScript.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FIN-WAIT-1/2, CLOSING, TIME-WAIT, CLOSE-WAIT and LAST-ACK: RFC 9293 §3.6 and §3.10.7.4. */
class ClosingStatesTest {
    private static final int L = LOCAL_ISS + 1;
    private static final int R = REMOTE_ISS + 1;

    @Test
    void closeQueuesTheFinAfterTheDataRfc9293Section3_10_4() {
        TcpScript s = TcpScript.established();
        s.sendText("last words");
        s.c.close();
        assertThat(s.state()).isEqualTo(TcpState.FIN_WAIT_1);
        s.recv(Seg.PSH_ACK
                .flags(Seg.PSH_ACK.flags() | Seg.FIN_ACK.flags())
                .seq(L)
                .ack(R)
                .win(WINDOW)
                .data("last words"));
    }

    @Test
    void finWait1AckOfFinMovesToFinWait2() {
        TcpScript s = TcpScript.finWait1();
        s.send(Seg.ACK.seq(R).ack(L + 1).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.FIN_WAIT_2);
        assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE);
    }

    @Test
    void finWait1FinWithoutAckOfOursIsSimultaneousCloseRfc9293Section3_6Figure13() {
        TcpScript s = TcpScript.closing();
        assertThat(s.state()).isEqualTo(TcpState.CLOSING);
        s.send(Seg.ACK.seq(R + 1).ack(L + 1).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.TIME_WAIT);
        s.expectEvents(new TcpEvent.Closed(CloseReason.GRACEFUL));
    }

    @Test
    void finWait1FinAckingOursGoesStraightToTimeWait() {
        TcpScript s = TcpScript.finWait1();
        s.send(Seg.FIN_ACK.seq(R).ack(L + 1).win(WINDOW));
        s.recv(Seg.ACK.seq(L + 1).ack(R + 1).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.TIME_WAIT);
        s.expectEvents(new TcpEvent.PeerFinished(), new TcpEvent.Closed(CloseReason.GRACEFUL));
    }

    @Test
    void finWait2StillReceivesDataHalfCloseRfc9293Section3_6() {
        TcpScript s = TcpScript.finWait2();
        s.send(Seg.ACK.seq(R).ack(L + 1).win(WINDOW).data("more"));
        s.expectEvents(new TcpEvent.Readable(4));
        assertThat(s.receiveText(10)).isEqualTo("more");
    }

    @Test
    void finWait2FinEntersTimeWaitWhichEndsAfterTwoMsl() {
        TcpScript s = TcpScript.timeWait();
        assertThat(s.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(s.c.pollTimeout()).isEqualTo(60 * S); // 2 * MSL of 30 s
        s.at(60 * S - 1);
        assertThat(s.state()).isEqualTo(TcpState.TIME_WAIT);
        s.at(60 * S);
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        assertThat(s.events()).isEmpty(); // Closed was raised once, on entering TIME-WAIT
    }

    @Test
    void timeWaitAcksARetransmittedFinAndRestartsTheTimerRfc9293Section3_10_7_4() {
        TcpScript s = TcpScript.timeWait();
        s.at(10 * S);
        s.send(Seg.FIN_ACK.seq(R).ack(L + 1).win(WINDOW));
        s.recv(Seg.ACK.seq(L + 1).ack(R + 1).win(WINDOW));
        assertThat(s.c.pollTimeout()).isEqualTo(70 * S);
    }

    @Test
    void closeWaitCanStillSendHalfCloseRfc9293Section3_6() {
        TcpScript s = TcpScript.closeWait();
        s.sendText("bye");
        s.recv(Seg.PSH_ACK.seq(L).ack(R + 1).win(WINDOW).data("bye"));
        assertThat(s.receiveText(10)).isEmpty();
        assertThat(s.c.receive(java.nio.ByteBuffer.allocate(1))).isEqualTo(-1); // end of stream
    }

    @Test
    void lastAckEndsGracefullyWhenOurFinIsAcked() {
        TcpScript s = TcpScript.lastAck();
        assertThat(s.state()).isEqualTo(TcpState.LAST_ACK);
        s.send(Seg.ACK.seq(R + 1).ack(L + 1).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.GRACEFUL));
    }

    @Test
    void lastAckRetransmitsTheFinOnTimeout() {
        TcpScript s = TcpScript.lastAck();
        s.at(S);
        s.recv(Seg.FIN_ACK.seq(L).ack(R + 1).win(WINDOW));
        assertThat(s.c.status().counters().retransmittedSegments()).isEqualTo(1);
    }

    @Test
    void finWait1RetransmitsTheFinOnTimeout() {
        TcpScript s = TcpScript.finWait1();
        s.at(S);
        s.recv(Seg.FIN_ACK.seq(L).ack(R).win(WINDOW));
    }

    @Test
    void rstInClosingStatesClosesRfc9293Section3_10_7_4() {
        TcpScript s = TcpScript.lastAck();
        s.send(Seg.RST.seq(R + 1));
        assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        s.expectEvents(new TcpEvent.Closed(CloseReason.RESET));
    }

    @Test
    void outOfOrderFinWaitsForTheDataBeforeIt() {
        TcpScript s = TcpScript.established();
        s.send(Seg.FIN_ACK.seq(R + 3).ack(L).win(WINDOW).data("def"));
        s.recv(Seg.ACK.seq(L).ack(R).win(WINDOW));
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data("abc"));
        s.recv(Seg.ACK.seq(L).ack(R + 7).win(WINDOW - 6));
        assertThat(s.state()).isEqualTo(TcpState.CLOSE_WAIT);
        s.expectEvents(new TcpEvent.Readable(6), new TcpEvent.PeerFinished());
        assertThat(s.receiveText(10)).isEqualTo("abcdef");
    }
}
