package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.host.IcmpError;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripted exchanges through a real {@link Host} with a {@link TcpLayer} attached: encoded IPv4 packets in, encoded
 * packets out, "at time T this segment arrives; exactly these segments leave; this event is raised".
 */
class TcpLayerTest {

    static final Ipv4Address HOST = Ipv4Address.of("198.18.0.2");
    static final Ipv4Address PEER = Ipv4Address.of("198.18.0.1");
    static final long MS = 1_000_000L;
    static final TcpOptions MSS_1460 =
            new TcpOptions(OptionalInt.of(1460), OptionalInt.empty(), false, Optional.empty(), List.of(), List.of());

    Host host;
    TcpLayer layer;
    long now = 1_000 * MS;

    /** One received segment with the packet it came in. */
    record Out(IpPacket packet, TcpSegment seg) {
        TcpHeader h() {
            return seg.header();
        }
    }

    @BeforeEach
    void setUp() {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").build();
        host = new Host(cfg, new SplitMix64(1));
        layer = new TcpLayer(cfg, new SplitMix64(2));
        host.attachTcp(layer);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    void send(int srcPort, int dstPort, int seq, int ack, int flags, byte[] data, TcpOptions options) {
        TcpHeader.Builder b = TcpHeader.builder(srcPort, dstPort)
                .seq(seq)
                .flags(flags)
                .window(65535)
                .options(options);
        if ((flags & TcpFlags.ACK) != 0) {
            b.ack(ack);
        }
        TcpSegment seg = new TcpSegment(b.build(), Bytes.copyOf(data));
        byte[] tcp = seg.encode(new PseudoHeader(PEER, HOST));
        Ipv4Header ip = Ipv4Header.builder(PEER, HOST, IpProtocol.TCP)
                .payloadLength(tcp.length)
                .build();
        host.receive(Ipv4Packet.of(ip, Bytes.copyOf(tcp)).encode(), now);
    }

    void send(int srcPort, int dstPort, int seq, int ack, int flags) {
        send(srcPort, dstPort, seq, ack, flags, new byte[0], TcpOptions.NONE);
    }

    /** Drains the host: every packet it sends now, parsed and checksum-verified. */
    List<Out> drain() {
        List<Out> out = new ArrayList<>();
        for (byte[] b; (b = host.pollTransmit(now)) != null; ) {
            IpPacket p = ((Parsed.Ok<IpPacket>) IpPacket.parse(b, 0, b.length)).value();
            assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
            Parsed<TcpSegment> s = TcpSegment.parse(p.payload(), p.pseudoHeader());
            assertThat(s).isInstanceOf(Parsed.Ok.class);
            out.add(new Out(p, ((Parsed.Ok<TcpSegment>) s).value()));
        }
        return out;
    }

    /** Advances the clock to the host's deadlines up to {@code until}, firing them, and drains. */
    List<Out> runUntil(long until) {
        List<Out> out = new ArrayList<>(drain());
        while (host.pollTimeout() <= until) {
            now = Math.max(now, host.pollTimeout());
            host.handleTimeout(now);
            out.addAll(drain());
        }
        now = until;
        return out;
    }

    static final class Events implements TcpSocket.Handler {
        final List<TcpEvent> events = new ArrayList<>();
        final StringBuilder data = new StringBuilder();
        boolean echo;

        @Override
        public void onEvent(TcpSocket socket, TcpEvent event) {
            events.add(event);
            if (event instanceof TcpEvent.Readable) {
                ByteBuffer b = ByteBuffer.allocate(4096);
                int n = socket.receive(b);
                if (n > 0) {
                    String s = new String(b.array(), 0, n, StandardCharsets.US_ASCII);
                    data.append(s);
                    if (echo) {
                        socket.send(s.getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
        }
    }

    /** Completes a handshake from {@code peerPort} with ISN {@code irs}; returns the server's ISS. */
    int handshake(int peerPort, int port, int irs) {
        send(peerPort, port, irs, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        List<Out> synAck = drain();
        assertThat(synAck).hasSize(1);
        assertThat(synAck.get(0).h().flags()).isEqualTo(TcpFlags.SYN_ACK);
        assertThat(synAck.get(0).h().ack()).isEqualTo(irs + 1);
        int iss = synAck.get(0).h().seq();
        send(peerPort, port, irs + 1, iss + 1, TcpFlags.ACK);
        assertThat(drain()).isEmpty();
        return iss;
    }

    // ---------------------------------------------------------------------------------------------- tests

    /** RFC 9293 §3.10.7.1: a SYN to a closed port earns {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. */
    @Test
    void rfc9293_3_10_7_1_synToClosedPortGetsRstAck() {
        send(40000, 81, 1000, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        List<Out> out = drain();
        assertThat(out).hasSize(1);
        TcpHeader h = out.get(0).h();
        assertThat(h.flags()).isEqualTo(TcpFlags.RST_ACK);
        assertThat(h.seq()).isZero();
        assertThat(h.ack()).isEqualTo(1001);
        assertThat(h.srcPort()).isEqualTo(81);
        assertThat(h.dstPort()).isEqualTo(40000);
        assertThat(out.get(0).packet().src()).isEqualTo(HOST);
        assertThat(out.get(0).packet().dst()).isEqualTo(PEER);
        assertThat(layer.counters().resetsSent()).isEqualTo(1);
    }

    /** RFC 9293 §3.10.7.1: an ACK to a closed port earns {@code <SEQ=SEG.ACK><CTL=RST>}; a RST earns nothing. */
    @Test
    void rfc9293_3_10_7_1_ackToClosedPortGetsRstAndRstIsIgnored() {
        send(40000, 81, 1000, 777, TcpFlags.ACK, "x".getBytes(StandardCharsets.US_ASCII), TcpOptions.NONE);
        List<Out> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).h().flags()).isEqualTo(TcpFlags.RST_ONLY);
        assertThat(out.get(0).h().seq()).isEqualTo(777);
        send(40000, 81, 1000, 0, TcpFlags.RST);
        assertThat(drain()).isEmpty();
    }

    /** A segment with a bad checksum is dropped and counted, not answered. */
    @Test
    void badChecksumIsDroppedSilently() {
        TcpSegment seg = new TcpSegment(
                TcpHeader.builder(40000, 81)
                        .seq(5)
                        .flags(TcpFlags.SYN)
                        .window(1000)
                        .build(),
                Bytes.EMPTY);
        byte[] tcp = seg.encode(new PseudoHeader(PEER, HOST));
        tcp[16] ^= 0x5A;
        Ipv4Header ip = Ipv4Header.builder(PEER, HOST, IpProtocol.TCP)
                .payloadLength(tcp.length)
                .build();
        host.receive(Ipv4Packet.of(ip, Bytes.copyOf(tcp)).encode(), now);
        assertThat(drain()).isEmpty();
        assertThat(layer.counters().badSegments()).isEqualTo(1);
    }

    /** RFC 9293 §3.10.7.2 and §3.5: passive open, handshake, data both ways, close from the peer, then ours. */
    @Test
    void listenHandshakeDataAndCloseThroughTheHost() {
        List<TcpSocket> accepted = new ArrayList<>();
        Events ev = new Events();
        ev.echo = true;
        layer.listen(7, 8, s -> {
                    accepted.add(s);
                    s.setHandler(ev);
                })
                .value();
        int iss = handshake(40000, 7, 5000);
        assertThat(accepted).hasSize(1);
        assertThat(ev.events).containsExactly(new TcpEvent.Connected());
        assertThat(accepted.get(0).state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(accepted.get(0).tuple()).isEqualTo(new FourTuple(HOST, 7, PEER, 40000));

        // data in: delivered, echoed (the echo carries the ACK)
        send(
                40000,
                7,
                5001,
                iss + 1,
                TcpFlags.PSH | TcpFlags.ACK,
                "hello".getBytes(StandardCharsets.US_ASCII),
                TcpOptions.NONE);
        assertThat(ev.data.toString()).isEqualTo("hello");
        List<Out> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).seg().payload().toArray()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.get(0).h().seq()).isEqualTo(iss + 1);
        assertThat(out.get(0).h().ack()).isEqualTo(5006);

        // the peer acknowledges and closes: PeerFinished, and the FIN is acknowledged
        send(40000, 7, 5006, iss + 6, TcpFlags.FIN | TcpFlags.ACK);
        assertThat(ev.events).contains(new TcpEvent.PeerFinished());
        List<Out> ackOfFin = runUntil(now + 500 * MS);
        assertThat(ackOfFin).isNotEmpty();
        assertThat(ackOfFin.get(ackOfFin.size() - 1).h().ack()).isEqualTo(5007);
        assertThat(accepted.get(0).state()).isEqualTo(TcpState.CLOSE_WAIT);

        // we close: FIN, LAST-ACK; the peer's ACK ends it gracefully and the table is empty
        accepted.get(0).close();
        List<Out> fin = drain();
        assertThat(fin).hasSize(1);
        assertThat(fin.get(0).h().flags().fin()).isTrue();
        assertThat(fin.get(0).h().seq()).isEqualTo(iss + 6);
        send(40000, 7, 5007, iss + 7, TcpFlags.ACK);
        assertThat(drain()).isEmpty();
        assertThat(ev.events).last().isEqualTo(new TcpEvent.Closed(CloseReason.GRACEFUL));
        assertThat(layer.connectionCount()).isZero();
    }

    /** RFC 9293 §3.2: two connections to one port from two peer ports are told apart by their 4-tuples. */
    @Test
    void demultiplexesTwoConnectionsByFourTuple() {
        List<TcpSocket> accepted = new ArrayList<>();
        List<Events> handlers = new ArrayList<>();
        layer.listen(9, 8, s -> {
                    Events e = new Events();
                    handlers.add(e);
                    accepted.add(s);
                    s.setHandler(e);
                })
                .value();
        int issA = handshake(40001, 9, 100);
        int issB = handshake(40002, 9, 9000);
        assertThat(accepted).hasSize(2);
        assertThat(layer.connectionCount()).isEqualTo(2);
        send(40002, 9, 9001, issB + 1, TcpFlags.ACK, "bee".getBytes(StandardCharsets.US_ASCII), TcpOptions.NONE);
        send(40001, 9, 101, issA + 1, TcpFlags.ACK, "ay".getBytes(StandardCharsets.US_ASCII), TcpOptions.NONE);
        assertThat(handlers.get(0).data.toString()).isEqualTo("ay");
        assertThat(handlers.get(1).data.toString()).isEqualTo("bee");
        assertThat(accepted.get(0).tuple().remotePort()).isEqualTo(40001);
        assertThat(accepted.get(1).tuple().remotePort()).isEqualTo(40002);
        // the delayed ACKs go to the right peers with the right numbers
        List<Out> acks = runUntil(now + 500 * MS);
        assertThat(acks)
                .extracting(o -> o.h().dstPort() + ":" + o.h().ack())
                .containsExactlyInAnyOrder("40001:103", "40002:9004");
    }

    /** listen(2) backlog: while SYN queue plus accept queue hold {@code backlog}, further SYNs are dropped. */
    @Test
    void backlogFullDropsSynsUntilAccepted() {
        TcpListener l = layer.listen(80, 1, null).value();
        handshake(40001, 80, 100);
        assertThat(l.acceptQueueLength()).isEqualTo(1);
        send(40002, 80, 9000, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        assertThat(drain()).isEmpty();
        assertThat(layer.counters().listenOverflows()).isEqualTo(1);
        assertThat(layer.connectionCount()).isEqualTo(1);

        TcpSocket first = l.accept();
        assertThat(first.tuple().remotePort()).isEqualTo(40001);
        Events ev = new Events();
        first.setHandler(ev);
        assertThat(ev.events).containsExactly(new TcpEvent.Connected());

        // the peer retransmits its SYN: now there is room
        send(40002, 80, 9000, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        List<Out> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).h().flags()).isEqualTo(TcpFlags.SYN_ACK);
        assertThat(l.synQueueLength()).isEqualTo(1);
    }

    /** RFC 9293 §3.10.7.4: a RST in SYN-RECEIVED (passive open) ends that connection and frees its backlog slot. */
    @Test
    void rfc9293_3_10_7_4_rstInSynReceivedFreesTheBacklogSlot() {
        TcpListener l = layer.listen(80, 1, null).value();
        send(40001, 80, 100, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        int iss = drain().get(0).h().seq();
        assertThat(l.synQueueLength()).isEqualTo(1);
        send(40001, 80, 101, iss + 1, TcpFlags.RST);
        assertThat(drain()).isEmpty();
        assertThat(l.synQueueLength()).isZero();
        assertThat(layer.connectionCount()).isZero();
        send(40002, 80, 500, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        assertThat(drain()).extracting(o -> o.h().flags()).containsExactly(TcpFlags.SYN_ACK);
    }

    /** A SYN-RECEIVED connection whose SYN-ACKs go unanswered times out and frees its slot (maxSynRetries). */
    @Test
    void unansweredSynAckTimesOutAndFreesTheSlot() {
        TcpListener l = layer.listen(80, 1, null).value();
        send(40001, 80, 100, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        List<Out> out = runUntil(now + 600_000 * MS);
        assertThat(out).hasSizeGreaterThan(1).allMatch(o -> o.h().flags().equals(TcpFlags.SYN_ACK));
        assertThat(l.synQueueLength()).isZero();
        assertThat(layer.connectionCount()).isZero();
    }

    /** RFC 9293 §3.10.7.2: an ACK to a listening port without a connection earns a RST. */
    @Test
    void rfc9293_3_10_7_2_ackToListenerGetsRst() {
        layer.listen(80, 4, null).value();
        send(40001, 80, 100, 4242, TcpFlags.ACK);
        List<Out> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).h().flags()).isEqualTo(TcpFlags.RST_ONLY);
        assertThat(out.get(0).h().seq()).isEqualTo(4242);
    }

    /** Active open from an ephemeral port (RFC 6056), completed by the peer's SYN-ACK. */
    @Test
    void connectSendsSynFromEphemeralPortAndCompletes() {
        Events ev = new Events();
        TcpSocket s = layer.connect(PEER, 9, ev, now).value();
        int port = s.tuple().localPort();
        assertThat(port).isBetween(49152, 65535);
        List<Out> syn = drain();
        assertThat(syn).hasSize(1);
        assertThat(syn.get(0).h().flags()).isEqualTo(TcpFlags.SYN_ONLY);
        assertThat(syn.get(0).h().dstPort()).isEqualTo(9);
        assertThat(syn.get(0).h().options().mss()).hasValue(1460);
        assertThat(((Ipv4Packet) syn.get(0).packet()).header().dontFragment()).isTrue();
        int iss = syn.get(0).h().seq();
        send(9, port, 7000, iss + 1, TcpFlags.SYN | TcpFlags.ACK, new byte[0], MSS_1460);
        List<Out> ack = drain();
        assertThat(ack).hasSize(1);
        assertThat(ack.get(0).h().ack()).isEqualTo(7001);
        assertThat(ev.events).containsExactly(new TcpEvent.Connected());
    }

    /** RFC 9293 §3.10.7.3: a RST answering our SYN refuses the connection. */
    @Test
    void rfc9293_3_10_7_3_rstToSynIsRefused() {
        Events ev = new Events();
        TcpSocket s = layer.connect(PEER, 9, ev, now).value();
        int iss = drain().get(0).h().seq();
        send(9, s.tuple().localPort(), 0, iss + 1, TcpFlags.RST | TcpFlags.ACK);
        assertThat(ev.events).containsExactly(new TcpEvent.Closed(CloseReason.REFUSED));
        assertThat(drain()).isEmpty();
        assertThat(layer.connectionCount()).isZero();
    }

    /** RFC 1122 §4.2.3.9: an ICMP destination unreachable quoting our SYN fails the connect. */
    @Test
    void icmpUnreachableDuringConnectFailsIt() {
        Events ev = new Events();
        TcpSocket s = layer.connect(PEER, 9, ev, now).value();
        Out syn = drain().get(0);
        byte[] quoted = syn.packet().encode();
        layer.receiveIcmpError(new IcmpError(PEER, 4, 3, 1, 0, Bytes.copyOf(quoted, 0, 28)), now);
        assertThat(ev.events).containsExactly(new TcpEvent.Closed(CloseReason.ABORTED));
        assertThat(s.failure()).contains("unreachable");
        assertThat(layer.counters().icmpErrors()).isEqualTo(1);
        // an error quoting a sequence number outside SND.UNA..SND.NXT is ignored (RFC 5927 §4.1)
        Events ev2 = new Events();
        TcpSocket s2 = layer.connect(PEER, 9, ev2, now).value();
        byte[] q2 = drain().get(0).packet().encode();
        q2[24] ^= (byte) 0x80; // the quoted sequence number's top bit
        layer.receiveIcmpError(new IcmpError(PEER, 4, 3, 1, 0, Bytes.copyOf(q2, 0, 28)), now);
        assertThat(s2.state()).isEqualTo(TcpState.SYN_SENT);
        assertThat(layer.counters().icmpIgnored()).isEqualTo(1);
    }

    /** RFC 1191: fragmentation needed records the path MTU of the connection. */
    @Test
    void fragmentationNeededRecordsPathMtu() {
        TcpSocket s = layer.connect(PEER, 9, new Events(), now).value();
        byte[] quoted = drain().get(0).packet().encode();
        layer.receiveIcmpError(new IcmpError(PEER, 4, 3, 4, 1200, Bytes.copyOf(quoted, 0, 28)), now);
        assertThat(s.reportedPathMtu()).isEqualTo(1200);
    }

    /**
     * RFC 1191 §6.2: a "fragmentation needed" quoting an outstanding segment lowers the MSS to the next-hop MTU minus
     * 40; the lost data is sent again in smaller segments.
     */
    @Test
    void rfc1191_fragmentationNeededLowersTheMssAndResends() {
        Events ev = new Events();
        TcpSocket s = layer.connect(PEER, 9, ev, now).value();
        int port = s.tuple().localPort();
        int iss = drain().get(0).h().seq();
        send(9, port, 7000, iss + 1, TcpFlags.SYN | TcpFlags.ACK, new byte[0], MSS_1460);
        drain();
        assertThat(s.send(new byte[2920])).isEqualTo(2920);
        List<Out> big = drain();
        assertThat(big).extracting(o -> o.seg().payload().length()).containsExactly(1460, 1460);
        byte[] quoted = big.get(0).packet().encode();
        layer.receiveIcmpError(new IcmpError(PEER, 4, 3, 4, 1000, Bytes.copyOf(quoted, 0, 28)), now);
        assertThat(s.reportedPathMtu()).isEqualTo(1000);
        List<Out> small = drain();
        assertThat(small).isNotEmpty();
        assertThat(small.get(0).h().seq()).isEqualTo(iss + 1);
        assertThat(small).allMatch(o -> o.seg().payload().length() <= 960);
        assertThat(small).allMatch(o -> o.packet().length() <= 1000);
    }

    /** The MSS announced is clamped to the link MTU (RFC 9293 §3.7.1: MTU minus 40 for IPv4). */
    @Test
    void announcedMssIsClampedToTheMtu() {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").mtu(1000).build();
        host = new Host(cfg, new SplitMix64(1));
        layer = new TcpLayer(cfg, new SplitMix64(2));
        host.attachTcp(layer);
        layer.connect(PEER, 9, new Events(), now).value();
        assertThat(drain().get(0).h().options().mss()).hasValue(960);
    }

    /** Same seed, same ephemeral ports and ISNs; the ports of successive connects differ. */
    @Test
    void ephemeralPortsAreSeededAndDistinct() {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").build();
        TcpLayer a = new TcpLayer(cfg, new SplitMix64(77));
        TcpLayer b = new TcpLayer(cfg, new SplitMix64(77));
        List<Integer> pa = new ArrayList<>();
        List<Integer> pb = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pa.add(a.connect(PEER, 80, new Events(), 0).value().tuple().localPort());
            pb.add(b.connect(PEER, 80, new Events(), 0).value().tuple().localPort());
        }
        assertThat(pa).isEqualTo(pb).doesNotHaveDuplicates();
        assertThat(a.pollTransmit(0).encode()).isEqualTo(b.pollTransmit(0).encode());
    }

    /** abortAll: every synchronized connection sends a RST and the table empties. */
    @Test
    void abortAllResetsAndFreesEveryConnection() {
        Events ev = new Events();
        layer.listen(7, 4, s -> s.setHandler(ev)).value();
        handshake(40000, 7, 5000);
        layer.abortAll();
        List<Out> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).h().flags().rst()).isTrue();
        assertThat(ev.events).last().isEqualTo(new TcpEvent.Closed(CloseReason.ABORTED));
        assertThat(layer.connectionCount()).isZero();
        send(40001, 7, 1, 0, TcpFlags.SYN, new byte[0], MSS_1460);
        assertThat(drain()).extracting(o -> o.h().flags()).containsExactly(TcpFlags.RST_ACK);
    }

    static IpAddress peer() {
        return PEER;
    }
}
