package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.MS;
import static io.sansnet.stack.tcp.TcpScript.MSS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.S;
import static io.sansnet.stack.tcp.TcpScript.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.TcpSegment;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CLOSED, LISTEN, SYN-SENT and SYN-RECEIVED: RFC 9293 §3.5 (handshake) and §3.10.7.1-3. */
class OpeningStatesTest {

    @Nested
    class Closed {
        @Test
        void synToClosedPortGetsRstAckRfc9293Section3_10_7_1() {
            TcpSegment rst = TcpConnection.resetFor(Seg.SYN.seq(REMOTE_ISS).fromPeer());
            // "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
            assertThat(rst).isEqualTo(Seg.RST_ACK.seq(0).ack(REMOTE_ISS + 1).toPeer());
        }

        @Test
        void ackToClosedPortGetsRstAtSegAckRfc9293Section3_10_7_1() {
            TcpSegment rst = TcpConnection.resetFor(
                    Seg.ACK.seq(REMOTE_ISS).ack(777).data("hello").fromPeer());
            assertThat(rst).isEqualTo(Seg.RST.seq(777).toPeer());
        }

        @Test
        void rstToClosedPortIsDiscardedRfc9293Section3_10_7_1() {
            assertThat(TcpConnection.resetFor(Seg.RST.seq(5).fromPeer())).isNull();
        }

        @Test
        void closedConnectionAnswersWithRst() {
            TcpScript s = TcpScript.established();
            s.c.abort();
            s.recv(Seg.RST.seq(LOCAL_ISS + 1));
            s.send(Seg.ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).data("late"));
            s.recv(Seg.RST.seq(LOCAL_ISS + 1));
            assertThat(s.state()).isEqualTo(TcpState.CLOSED);
        }
    }

    @Nested
    class Listen {
        @Test
        void synMovesToSynReceivedAndSendsSynAckRfc9293Section3_10_7_2() {
            TcpScript s = TcpScript.listen();
            s.send(Seg.SYN.seq(REMOTE_ISS).win(WINDOW).mss(1000));
            s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(REMOTE_ISS + 1).win(WINDOW).mss(MSS));
            assertThat(s.state()).isEqualTo(TcpState.SYN_RECEIVED);
            assertThat(s.c.tuple().remotePort()).isEqualTo(Seg.REMOTE_PORT);
        }

        @Test
        void ackInListenGetsRstRfc9293Section3_10_7_2() {
            TcpScript s = TcpScript.listen();
            s.send(Seg.ACK.seq(REMOTE_ISS).ack(4242));
            s.recv(Seg.RST.seq(4242));
            assertThat(s.state()).isEqualTo(TcpState.LISTEN);
        }

        @Test
        void rstInListenIsIgnoredRfc9293Section3_10_7_2() {
            TcpScript s = TcpScript.listen();
            s.send(Seg.RST.seq(REMOTE_ISS));
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.LISTEN);
        }

        @Test
        void segmentWithoutSynOrAckIsDroppedRfc9293Section3_10_7_2() {
            TcpScript s = TcpScript.listen();
            s.send(Seg.of(0).seq(REMOTE_ISS).data("x"));
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.LISTEN);
        }

        @Test
        void closeInListenEndsIt() {
            TcpScript s = TcpScript.listen();
            s.c.close();
            assertThat(s.state()).isEqualTo(TcpState.CLOSED);
            s.expectEvents(new TcpEvent.Closed(CloseReason.ABORTED));
        }
    }

    @Nested
    class SynSent {
        @Test
        void synAckEstablishesAndAcksRfc9293Section3_10_7_3() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(LOCAL_ISS + 1).win(5000).mss(1000));
            s.recv(Seg.ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 1).win(WINDOW));
            s.expectEvents(new TcpEvent.Connected());
            assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(s.c.status().sndWnd()).isEqualTo(5000);
            assertThat(s.c.status().sendMss()).isEqualTo(1000);
            assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE); // the SYN's timer stopped
        }

        @Test
        void ackBelowIssGetsRstRfc9293Section3_10_7_3() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(LOCAL_ISS).win(WINDOW));
            s.recv(Seg.RST.seq(LOCAL_ISS));
            assertThat(s.state()).isEqualTo(TcpState.SYN_SENT);
        }

        @Test
        void ackAboveSndNxtGetsRstRfc9293Section3_10_7_3() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.ACK.seq(REMOTE_ISS).ack(LOCAL_ISS + 5));
            s.recv(Seg.RST.seq(LOCAL_ISS + 5));
            assertThat(s.state()).isEqualTo(TcpState.SYN_SENT);
        }

        @Test
        void rstWithAcceptableAckRefusesRfc9293Section3_10_7_3() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.RST_ACK.seq(0).ack(LOCAL_ISS + 1));
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.CLOSED);
            s.expectEvents(new TcpEvent.Closed(CloseReason.REFUSED));
        }

        @Test
        void rstWithoutAckIsDroppedRfc5961Section3_2() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.RST.seq(0));
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.SYN_SENT);
            assertThat(s.events()).isEmpty();
        }

        @Test
        void synAloneIsSimultaneousOpenRfc9293Section3_5Figure7() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.SYN.seq(REMOTE_ISS).win(WINDOW).mss(MSS));
            s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(REMOTE_ISS + 1).win(WINDOW).mss(MSS));
            assertThat(s.state()).isEqualTo(TcpState.SYN_RECEIVED);
            // the peer's SYN,ACK completes it
            s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(LOCAL_ISS + 1).win(WINDOW).mss(MSS));
            assertThat(s.state()).isEqualTo(TcpState.SYN_RECEIVED); // its SYN is old: acknowledged, not accepted
            s.recv(Seg.ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 1).win(WINDOW));
            s.send(Seg.ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).win(WINDOW));
            assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
            s.expectEvents(new TcpEvent.Connected());
        }

        @Test
        void synIsRetransmittedWithBackoffRfc6298Section5() {
            TcpScript s = TcpScript.synSent();
            assertThat(s.c.pollTimeout()).isEqualTo(S); // RFC 6298 (2.1): initial RTO 1 s
            s.at(S);
            s.recv(Seg.SYN.seq(LOCAL_ISS).win(WINDOW).mss(MSS));
            assertThat(s.c.pollTimeout()).isEqualTo(3 * S); // backed off to 2 s
            s.at(3 * S);
            s.recv(Seg.SYN.seq(LOCAL_ISS).win(WINDOW).mss(MSS));
            assertThat(s.c.pollTimeout()).isEqualTo(7 * S);
        }

        @Test
        void connectTimesOutAfterMaxSynRetries() {
            TcpScript s = TcpScript.connecting(
                    TcpScript.CONFIG.toBuilder().maxSynRetries(2).build());
            s.drain();
            s.at(S);
            s.drain();
            s.at(3 * S);
            s.drain();
            s.at(7 * S);
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.CLOSED);
            s.expectEvents(new TcpEvent.Closed(CloseReason.TIMED_OUT));
        }

        @Test
        void closeInSynSentAbortsRfc9293Section3_10_4() {
            TcpScript s = TcpScript.synSent();
            s.c.close();
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.CLOSED);
            s.expectEvents(new TcpEvent.Closed(CloseReason.ABORTED));
        }

        @Test
        void afterALostSynTheRtoIsThreeSecondsAndIwOneSegmentRfc6298Section5_7AndRfc5681Section3_1() {
            TcpScript s = TcpScript.synSent();
            s.at(S);
            s.drain();
            s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(LOCAL_ISS + 1).win(WINDOW).mss(MSS));
            s.drain();
            assertThat(s.c.status().rtoNanos()).isEqualTo(3 * S);
            assertThat(s.c.status().srttNanos()).isZero(); // Karn: no sample from a retransmitted SYN
            assertThat(s.c.status().cwnd()).isEqualTo(MSS);
        }

        @Test
        void firstRttSampleComesFromTheSyn() {
            TcpScript s = TcpScript.synSent();
            s.now = 100 * MS;
            s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(LOCAL_ISS + 1).win(WINDOW));
            assertThat(s.c.status().srttNanos()).isEqualTo(100 * MS);
        }
    }

    @Nested
    class SynReceived {
        @Test
        void ackCompletesHandshakeRfc9293Section3_10_7_4() {
            TcpScript s = TcpScript.synReceived();
            s.send(Seg.ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).win(WINDOW));
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
            s.expectEvents(new TcpEvent.Connected());
        }

        @Test
        void ackCarryingDataCompletesHandshakeAndDeliversIt() {
            TcpScript s = TcpScript.synReceived();
            s.send(Seg.PSH_ACK
                    .seq(REMOTE_ISS + 1)
                    .ack(LOCAL_ISS + 1)
                    .win(WINDOW)
                    .data("GET"));
            assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
            s.expectEvents(new TcpEvent.Connected(), new TcpEvent.Readable(3));
            assertThat(s.receiveText(10)).isEqualTo("GET");
        }

        @Test
        void unacceptableAckGetsRstRfc9293Section3_10_7_4() {
            TcpScript s = TcpScript.synReceived();
            s.send(Seg.ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 7).win(WINDOW));
            s.recv(Seg.RST.seq(LOCAL_ISS + 7));
            assertThat(s.state()).isEqualTo(TcpState.SYN_RECEIVED);
        }

        @Test
        void rstReturnsPassiveOpenToListenRfc9293Section3_10_7_4() {
            TcpScript s = TcpScript.synReceived();
            s.send(Seg.RST.seq(REMOTE_ISS + 1));
            s.recvNothing();
            assertThat(s.state()).isEqualTo(TcpState.LISTEN);
            assertThat(s.events()).isEmpty();
            assertThat(s.c.pollTimeout()).isEqualTo(TcpConnection.NO_DEADLINE);
        }

        @Test
        void rstAfterSimultaneousOpenRefusesRfc9293Section3_10_7_4() {
            TcpScript s = TcpScript.synSent();
            s.send(Seg.SYN.seq(REMOTE_ISS).win(WINDOW));
            s.drain();
            s.send(Seg.RST.seq(REMOTE_ISS + 1));
            assertThat(s.state()).isEqualTo(TcpState.CLOSED);
            s.expectEvents(new TcpEvent.Closed(CloseReason.REFUSED));
        }

        @Test
        void retransmittedSynGetsTheSynAckAgain() {
            TcpScript s = TcpScript.synReceived();
            s.send(Seg.SYN.seq(REMOTE_ISS).win(WINDOW).mss(MSS));
            s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(REMOTE_ISS + 1).win(WINDOW).mss(MSS));
        }

        @Test
        void synAckIsRetransmittedOnTimeoutRfc6298Section5() {
            TcpScript s = TcpScript.synReceived();
            s.at(S);
            s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(REMOTE_ISS + 1).win(WINDOW).mss(MSS));
        }

        @Test
        void closeInSynReceivedSendsFinOnceEstablishedRfc9293Section3_10_4() {
            TcpScript s = TcpScript.synReceived();
            s.c.close();
            s.recvNothing();
            s.send(Seg.ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).win(WINDOW));
            s.recv(Seg.FIN_ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 1).win(WINDOW));
            assertThat(s.state()).isEqualTo(TcpState.FIN_WAIT_1);
        }
    }
}
