package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.TcpSegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scripted exchange with one {@link TcpConnection}, written from the peer's side as in smoltcp's tests: {@link #send}
 * is peer to us, {@link #recv} asserts exactly what we send, then nothing. Fixtures are named after the state they leave
 * the connection in. Timestamps, SACK and window scaling are off unless a test turns them on, so segments stay short.
 */
final class TcpScript {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final int LOCAL_ISS = 10_000;
    static final int REMOTE_ISS = 20_000;
    static final int WINDOW = 64_000;
    static final int MSS = 1460;
    static final FourTuple TUPLE =
            new FourTuple(IpAddress.of("198.18.0.1"), Seg.LOCAL_PORT, IpAddress.of("198.18.0.2"), Seg.REMOTE_PORT);

    static final TcpConfig CONFIG = TcpConfig.builder()
            .receiveBufferBytes(WINDOW)
            .timestamps(false)
            .sack(false)
            .windowScaling(false)
            .mslNanos(30 * S)
            .build();

    final TcpConnection c;
    long now;

    private TcpScript(TcpConnection c) {
        this.c = c;
    }

    static IsnSource fixedIsn(int iss) {
        return new IsnSource() {
            @Override
            public int isn(FourTuple tuple, long nowNanos) {
                return iss;
            }

            @Override
            public int timestampOffset(FourTuple tuple) {
                return 0;
            }
        };
    }

    static TcpScript connecting(TcpConfig config) {
        return new TcpScript(TcpConnection.connect(config, TUPLE, fixedIsn(LOCAL_ISS), 0));
    }

    static TcpScript listening(TcpConfig config) {
        return new TcpScript(TcpConnection.listen(config, TUPLE.withRemotePort(0), fixedIsn(LOCAL_ISS)));
    }

    // --- fixtures named after states (default config) ---

    static TcpScript listen() {
        return listening(CONFIG);
    }

    static TcpScript synSent() {
        TcpScript s = connecting(CONFIG);
        s.recv(Seg.SYN.seq(LOCAL_ISS).win(WINDOW).mss(MSS));
        return s;
    }

    static TcpScript synReceived() {
        TcpScript s = listen();
        s.send(Seg.SYN.seq(REMOTE_ISS).win(WINDOW).mss(MSS));
        s.recv(Seg.SYN_ACK.seq(LOCAL_ISS).ack(REMOTE_ISS + 1).win(WINDOW).mss(MSS));
        return s;
    }

    static TcpScript established() {
        TcpScript s = synSent();
        s.send(Seg.SYN_ACK.seq(REMOTE_ISS).ack(LOCAL_ISS + 1).win(WINDOW).mss(MSS));
        s.recv(Seg.ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 1).win(WINDOW));
        s.expectEvents(new TcpEvent.Connected());
        return s;
    }

    static TcpScript finWait1() {
        TcpScript s = established();
        s.c.close();
        s.recv(Seg.FIN_ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 1).win(WINDOW));
        return s;
    }

    static TcpScript finWait2() {
        TcpScript s = finWait1();
        s.send(Seg.ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 2).win(WINDOW));
        s.recvNothing();
        return s;
    }

    static TcpScript closeWait() {
        TcpScript s = established();
        s.send(Seg.FIN_ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).win(WINDOW));
        s.recv(Seg.ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 2).win(WINDOW));
        s.expectEvents(new TcpEvent.PeerFinished());
        return s;
    }

    static TcpScript lastAck() {
        TcpScript s = closeWait();
        s.c.close();
        s.recv(Seg.FIN_ACK.seq(LOCAL_ISS + 1).ack(REMOTE_ISS + 2).win(WINDOW));
        return s;
    }

    static TcpScript closing() {
        TcpScript s = finWait1();
        s.send(Seg.FIN_ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).win(WINDOW));
        s.recv(Seg.ACK.seq(LOCAL_ISS + 2).ack(REMOTE_ISS + 2).win(WINDOW));
        s.expectEvents(new TcpEvent.PeerFinished());
        return s;
    }

    static TcpScript timeWait() {
        TcpScript s = finWait2();
        s.send(Seg.FIN_ACK.seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 2).win(WINDOW));
        s.recv(Seg.ACK.seq(LOCAL_ISS + 2).ack(REMOTE_ISS + 2).win(WINDOW));
        s.expectEvents(new TcpEvent.PeerFinished(), new TcpEvent.Closed(CloseReason.GRACEFUL));
        return s;
    }

    // --- script steps ---

    /** The peer sends {@code seg}. */
    void send(Seg seg) {
        c.handleSegment(seg.fromPeer(), now);
    }

    /** Exactly these segments leave, then nothing. */
    void recv(Seg... expected) {
        List<TcpSegment> want = new ArrayList<>();
        for (Seg e : expected) {
            want.add(e.toPeer());
        }
        assertThat(drain()).containsExactlyElementsOf(want);
    }

    void recvNothing() {
        assertThat(drain()).isEmpty();
    }

    List<TcpSegment> drain() {
        List<TcpSegment> out = new ArrayList<>();
        for (TcpSegment s; (s = c.pollTransmit(now)) != null; ) {
            out.add(s);
            if (out.size() > 1000) {
                throw new AssertionError("pollTransmit does not stop");
            }
        }
        return out;
    }

    /** Moves the clock to {@code t} and fires due timers. */
    void at(long t) {
        now = t;
        c.handleTimeout(now);
    }

    /** Moves the clock by {@code d} and fires due timers. */
    void advance(long d) {
        at(now + d);
    }

    /** Exactly these events are pending, in order; they are drained. */
    void expectEvents(TcpEvent... expected) {
        assertThat(events()).containsExactly(expected);
    }

    List<TcpEvent> events() {
        List<TcpEvent> out = new ArrayList<>();
        for (TcpEvent e; (e = c.pollEvent()) != null; ) {
            out.add(e);
        }
        return out;
    }

    int sendText(String text) {
        return c.send(text.getBytes(StandardCharsets.US_ASCII));
    }

    String receiveText(int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        int n = c.receive(b);
        return n <= 0 ? "" : new String(Arrays.copyOf(b.array(), n), StandardCharsets.US_ASCII);
    }

    TcpState state() {
        return c.state();
    }

    /**
     * The sender's liveness rule, checked after {@code pollTransmit} was drained (so no segment is pending): a
     * connection that still has data or a FIN to deliver (octets queued and not acknowledged, or a FIN sent or queued)
     * has a timer armed that makes it transmit (retransmission, tail loss probe, persist or the SWS override, RFC 9293
     * §3.8.6.1 and §3.8.6.2.1; a delayed-ACK or keep-alive timer does not count); otherwise nothing but the peer would
     * ever move it again. In particular unsent data, an open window and nothing in flight never sit without a deadline.
     */
    static void assertSenderLive(TcpConnection c, String who) {
        TcpStatus st = c.status();
        boolean owesData = switch (st.state()) {
            case ESTABLISHED, CLOSE_WAIT -> st.sendQueued() > 0;
            case FIN_WAIT_1, CLOSING, LAST_ACK -> true; // our FIN is not acknowledged yet
            default -> false;
        };
        if (owesData) {
            assertThat(c.senderDeadline())
                    .as("%s has data or a FIN to deliver, nothing to send now and no sender timer armed: %s", who, st)
                    .isLessThan(TcpConnection.NO_DEADLINE);
        }
    }

    static byte[] filler(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}
