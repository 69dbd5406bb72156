package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.tcp.TcpConfig;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpInvariants} can fail: a hand-written TCP on a {@link RawHost} sends beyond the window, a stack times out a
 * connect that was answered, and bounds tighter than the stack's buffers are exceeded; and it stays quiet where the
 * rules hold (the zero-window probe, a connect into a black hole).
 */
class TcpInvariantsTest {

    private static final IpAddress RAW = IpAddress.of("198.18.0.9");

    private final Simulation sim = Simulation.create(11);
    private final SimHost host = sim.addHost("host", "198.18.0.2", null);
    private final RawHost raw = sim.addRawHost("raw", RAW);
    private final List<WireTcp> toRaw = new ArrayList<>();

    TcpInvariantsTest() {
        sim.connect(raw, host, LinkParams.DEFAULT);
        raw.onReceive(p -> {
            WireTcp t = WireTcp.parse(p);
            if (t != null) {
                toRaw.add(t);
            }
        });
    }

    /** An IPv4 TCP packet from the raw host to the simulated host, DF set. */
    private static byte[] segment(int srcPort, int dstPort, int seq, int ack, int flags, int window, int payload) {
        Ipv4Address src = (Ipv4Address) RAW;
        Ipv4Address dst = Ipv4Address.of("198.18.0.2");
        TcpHeader h = TcpHeader.builder(srcPort, dstPort)
                .seq(seq)
                .ack(ack)
                .flags(flags)
                .window(window)
                .build();
        byte[] tcp = new TcpSegment(h, Bytes.copyOf(new byte[payload])).encode(new PseudoHeader(src, dst));
        Ipv4Header ip = Ipv4Header.builder(src, dst, IpProtocol.TCP)
                .dontFragment(true)
                .payloadLength(tcp.length)
                .build();
        byte[] out = new byte[ip.totalLength()];
        int n = ip.encodeInto(out, 0);
        System.arraycopy(tcp, 0, out, n, tcp.length);
        return out;
    }

    @Test
    void dataBeyondTheAdvertisedRightEdgeIsFlaggedButTheOneOctetProbeIsNot() {
        TcpInvariants inv = TcpInvariants.attach(sim, host.tcpConfig());
        sim.runFor(1);
        host.listen(7, 4, (TcpStream s) -> {}).value();
        raw.send(segment(40000, 7, 1000, 0, TcpFlags.SYN, 65535, 0));
        sim.runFor(10_000_000L);
        WireTcp synAck = toRaw.get(0);
        assertThat(synAck.header().flags().syn()).isTrue();
        int ack = synAck.header().seq() + 1;
        long edge = 1001L + synAck.header().window(); // no window scaling: the raw host offered none
        raw.send(segment(40000, 7, 1001, ack, TcpFlags.ACK, 65535, 0));
        sim.runFor(10_000_000L);
        // the persist timer's probe: one octet, the first beyond the edge
        raw.send(segment(40000, 7, (int) edge, ack, TcpFlags.ACK, 65535, 1));
        sim.runFor(10_000_000L);
        assertThat(inv.violations()).isEmpty();
        // 100 octets that end 50 beyond the edge
        raw.send(segment(40000, 7, (int) (edge - 50), ack, TcpFlags.ACK | TcpFlags.PSH, 65535, 100));
        sim.runFor(10_000_000L);
        assertThat(inv.violations()).singleElement().asString().contains("ends 50 octets beyond");
    }

    @Test
    void aConnectThatTimesOutAlthoughItsSynsWereAnsweredIsFlagged() {
        TcpInvariants inv = TcpInvariants.attach(sim, host.tcpConfig());
        // the raw host answers every SYN with a bare ACK: the connect cannot complete, but the network dropped nothing
        raw.onReceive(p -> {
            WireTcp t = WireTcp.parse(p);
            if (t != null && t.header().flags().syn()) {
                raw.send(segment(7, t.header().srcPort(), 5000, t.header().seq() + 1, TcpFlags.ACK, 65535, 0));
            }
        });
        sim.runFor(1);
        List<String> sent = new ArrayList<>();
        sim.addFateObserver(new PacketFateObserver() {
            @Override
            public void offered(long t, Channel ch, long id, byte[] bytes) {
                WireTcp w = WireTcp.parse(bytes);
                if (w != null && ch.from() == host) {
                    sent.add(w.header().flags() + "@" + t);
                }
            }
        });
        AppResult<TcpStream> r = sim.runUntil(host.connect(RAW, 7));
        sim.runFor(1);
        assertThat(r.isOk()).isFalse();
        assertThat(inv.violations())
                .as(r + " " + sent)
                .singleElement()
                .asString()
                .contains("timed out in SYN-SENT")
                .contains("had reached it intact");
    }

    @Test
    void aConnectIntoABlackHoleTimesOutLegitimately() {
        TcpInvariants inv = TcpInvariants.attach(sim, host.tcpConfig());
        sim.runFor(1);
        AppResult<TcpStream> r = sim.runUntil(host.connect(RAW, 7)); // the raw host never answers
        sim.runFor(1);
        assertThat(r.isOk()).isFalse();
        assertThat(r.error().toString()).contains("TIMED_OUT");
        assertThat(inv.violations()).isEmpty();
    }

    @Test
    void buffersBeyondTheConfiguredBoundsAreFlagged() {
        Simulation s = Simulation.create(5);
        SimHost a = s.addHost("a", "198.18.0.1", null);
        SimHost b = s.addHost("b", "198.18.0.2", null);
        s.connect(a, b, LinkParams.DEFAULT.withLoss(0.05));
        // bounds far below the stack's own (256 KiB): the stack is right, the checker must notice the difference
        TcpInvariants tight = TcpInvariants.attach(
                s,
                TcpConfig.DEFAULT.toBuilder()
                        .sendBufferBytes(4096)
                        .receiveBufferBytes(4096)
                        .build());
        TcpInvariants right = TcpInvariants.attach(s, a.tcpConfig());
        s.runFor(1);
        b.listen(9, 4, (TcpStream st) -> st.onReadable(() -> st.receive(ByteBuffer.allocate(1 << 16))))
                .value();
        TcpStream c = s.await(a.connect(b.address(4), 9));
        c.send(ByteBuffer.allocate(200_000));
        s.runFor(2_000_000_000L);
        assertThat(tight.violations()).anySatisfy(v -> assertThat(v).contains("in the send buffer, more than 4096"));
        assertThat(right.violations()).isEmpty();
    }
}
