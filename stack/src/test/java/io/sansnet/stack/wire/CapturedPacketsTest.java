package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Every field of real Linux packets (see {@link Captures}), their checksums, and re-encoding byte for byte. */
class CapturedPacketsTest {

    private static final Ipv4Address K4 = Ipv4Address.of("198.18.0.1");
    private static final Ipv4Address H4 = Ipv4Address.of("198.18.0.2");
    private static final Ipv6Address K6 = Ipv6Address.of("fd00:5a::1");
    private static final Ipv6Address H6 = Ipv6Address.of("fd00:5a::2");

    @Test
    void pingV4EveryField() {
        Ipv4Packet p =
                Ipv4Packet.parse(Captures.PING_V4, 0, Captures.PING_V4.length).value();
        Ipv4Header h = p.header();
        assertThat(h.ihl()).isEqualTo(5);
        assertThat(h.dscp()).isZero();
        assertThat(h.ecn()).isZero();
        assertThat(h.totalLength()).isEqualTo(84);
        assertThat(h.identification()).isEqualTo(0xe42a);
        assertThat(h.dontFragment()).isTrue();
        assertThat(h.moreFragments()).isFalse();
        assertThat(h.fragmentOffset()).isZero();
        assertThat(h.ttl()).isEqualTo(64);
        assertThat(h.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(h.checksum()).isEqualTo(0xca56);
        assertThat(h.computeChecksum()).isEqualTo(0xca56);
        assertThat(h.src()).isEqualTo(K4);
        assertThat(h.dst()).isEqualTo(H4);
        assertThat(h.options().length()).isZero();
        assertThat(p.payload().length()).isEqualTo(64);

        Icmpv4Message m = Icmpv4Message.parse(p.payload()).value();
        assertThat(m.type()).isEqualTo(Icmpv4Message.TYPE_ECHO_REQUEST);
        assertThat(m.code()).isZero();
        assertThat(m.checksum()).isEqualTo(0x49ca);
        assertThat(m.echoIdentifier()).isEqualTo(0x2899);
        assertThat(m.echoSequence()).isEqualTo(1);
        assertThat(m.data().length()).isEqualTo(56);
        // ping's pattern after the 16-byte timestamp: 0x10, 0x11, ...
        assertThat(m.data().getUnsigned(16)).isEqualTo(0x10);
        assertThat(m.data().getUnsigned(55)).isEqualTo(0x37);

        assertThat(p.encode()).isEqualTo(Captures.PING_V4);
        assertThat(m.encode()).isEqualTo(p.payload().toArray());
    }

    @Test
    void echoReplyToCapturedPingHasTheChecksumLinuxExpects() {
        Icmpv4Message req = Icmpv4Message.parse(Captures.PING_V4, 20, 64).value();
        byte[] reply = req.toEchoReply().encode();
        // Only the type changes (8 -> 0), so the checksum rises by 0x0800 (RFC 1624 incremental update).
        assertThat(reply[0]).isEqualTo((byte) 0);
        assertThat(Wire.u16(reply, 2)).isEqualTo(0x49ca + 0x0800);
        assertThat(Icmpv4Message.parse(reply, 0, reply.length).value().echoSequence())
                .isEqualTo(1);
    }

    @Test
    void pingV6EveryField() {
        Ipv6Packet p =
                Ipv6Packet.parse(Captures.PING_V6, 0, Captures.PING_V6.length).value();
        Ipv6Header h = p.header();
        assertThat(h.trafficClass()).isZero();
        assertThat(h.flowLabel()).isEqualTo(0xc66f7);
        assertThat(h.payloadLength()).isEqualTo(64);
        assertThat(h.nextHeader()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(h.hopLimit()).isEqualTo(64);
        assertThat(h.src()).isEqualTo(K6);
        assertThat(h.dst()).isEqualTo(H6);
        assertThat(p.extensionHeaders()).isEmpty();
        assertThat(p.protocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(p.payloadOffset()).isEqualTo(40);
        assertThat(p.fragment()).isEmpty();

        Icmpv6Message m = Icmpv6Message.parse(p.payload(), p.pseudoHeader()).value();
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_ECHO_REQUEST);
        assertThat(m.code()).isZero();
        assertThat(m.checksum()).isEqualTo(0x3326);
        assertThat(m.echoIdentifier()).isEqualTo(0x28a9);
        assertThat(m.echoSequence()).isEqualTo(1);
        assertThat(m.data().length()).isEqualTo(56);
        assertThat(m.isError()).isFalse();

        assertThat(m.encode(p.pseudoHeader())).isEqualTo(p.payload().toArray());
        assertThat(p.encode()).isEqualTo(Captures.PING_V6);
        // The checksum covers the pseudo-header: other addresses do not verify.
        PseudoHeader other = new PseudoHeader(K6, Ipv6Address.of("fd00:5a::3"));
        assertThat(Icmpv6Message.parse(p.payload(), other).error().kind()).isEqualTo(ParseError.Kind.BAD_CHECKSUM);
    }

    @Test
    void synV4EveryFieldAndOption() {
        Ipv4Packet p =
                Ipv4Packet.parse(Captures.SYN_V4, 0, Captures.SYN_V4.length).value();
        assertThat(p.header().identification()).isEqualTo(0x9c11);
        assertThat(p.header().checksum()).isEqualTo(0x1283);
        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);

        TcpSegment s = TcpSegment.parse(p.payload(), p.pseudoHeader()).value();
        TcpHeader t = s.header();
        assertThat(t.srcPort()).isEqualTo(36562);
        assertThat(t.dstPort()).isEqualTo(80);
        assertThat(Integer.toUnsignedLong(t.seq())).isEqualTo(0x9e36c0f4L);
        assertThat(t.ack()).isZero();
        assertThat(t.dataOffset()).isEqualTo(10);
        assertThat(t.flags()).isEqualTo(TcpFlags.SYN_ONLY);
        assertThat(t.flags().toString()).isEqualTo("SYN");
        assertThat(t.window()).isEqualTo(64240);
        assertThat(t.checksum()).isEqualTo(0x4d0d);
        assertThat(t.urgentPointer()).isZero();
        TcpOptions o = t.options();
        assertThat(o.mss()).isEqualTo(OptionalInt.of(1460));
        assertThat(o.sackPermitted()).isTrue();
        assertThat(o.timestamps()).isEqualTo(Optional.of(new TcpOptions.Timestamps(0x64452144, 0)));
        assertThat(o.windowScale()).isEqualTo(OptionalInt.of(10));
        assertThat(o.sackBlocks()).isEmpty();
        assertThat(o.unknown()).isEmpty();
        assertThat(s.payload().length()).isZero();
        assertThat(s.sequenceLength()).isEqualTo(1);

        // sansnet lays options out as Linux does, so the bytes come back identical.
        assertThat(s.encode(p.pseudoHeader())).isEqualTo(p.payload().toArray());
        assertThat(Ipv4Packet.of(p.header(), Bytes.copyOf(s.encode(p.pseudoHeader())))
                        .encode())
                .isEqualTo(Captures.SYN_V4);
    }

    @Test
    void synV6EveryFieldAndOption() {
        Ipv6Packet p =
                Ipv6Packet.parse(Captures.SYN_V6, 0, Captures.SYN_V6.length).value();
        assertThat(p.header().flowLabel()).isEqualTo(0xd6981);
        assertThat(p.header().payloadLength()).isEqualTo(40);
        TcpSegment s = TcpSegment.parse(p.payload(), p.pseudoHeader()).value();
        TcpHeader t = s.header();
        assertThat(t.srcPort()).isEqualTo(34252);
        assertThat(t.dstPort()).isEqualTo(80);
        assertThat(Integer.toUnsignedLong(t.seq())).isEqualTo(0xd4b1b0b4L);
        assertThat(t.flags().syn()).isTrue();
        assertThat(t.flags().ack()).isFalse();
        assertThat(t.window()).isEqualTo(64800);
        assertThat(t.checksum()).isEqualTo(0x9813);
        assertThat(t.options().mss()).isEqualTo(OptionalInt.of(1440));
        assertThat(t.options().timestamps().orElseThrow().tsVal()).isEqualTo(0xc3abe8f5);
        assertThat(t.options().windowScale()).isEqualTo(OptionalInt.of(10));
        assertThat(s.encode(p.pseudoHeader())).isEqualTo(p.payload().toArray());
    }

    @Test
    void udpV4AndV6EveryField() {
        Ipv4Packet p4 =
                Ipv4Packet.parse(Captures.UDP_V4, 0, Captures.UDP_V4.length).value();
        assertThat(p4.header().checksum()).isEqualTo(0x0a7f);
        UdpDatagram u4 = UdpDatagram.parse(p4.payload(), p4.pseudoHeader()).value();
        assertThat(u4.srcPort()).isEqualTo(55371);
        assertThat(u4.dstPort()).isEqualTo(7);
        assertThat(u4.length()).isEqualTo(14);
        assertThat(u4.checksum()).isEqualTo(0x577b);
        assertThat(new String(u4.payload().toArray(), StandardCharsets.US_ASCII))
                .isEqualTo("hello\n");
        assertThat(u4.encode(p4.pseudoHeader())).isEqualTo(p4.payload().toArray());

        Ipv6Packet p6 =
                Ipv6Packet.parse(Captures.UDP_V6, 0, Captures.UDP_V6.length).value();
        UdpDatagram u6 = UdpDatagram.parse(p6.payload(), p6.pseudoHeader()).value();
        assertThat(u6.srcPort()).isEqualTo(52863);
        assertThat(u6.dstPort()).isEqualTo(7);
        assertThat(u6.checksum()).isEqualTo(0xe888);
        assertThat(new String(u6.payload().toArray(), StandardCharsets.US_ASCII))
                .isEqualTo("hello6\n");
        assertThat(p6.encode()).isEqualTo(Captures.UDP_V6);
    }

    @Test
    void ipv4FragmentsOfABigPing() {
        Ipv4Packet f1 = Ipv4Packet.parse(Captures.FRAG_V4_1, 0, 1500).value();
        Ipv4Packet f2 = Ipv4Packet.parse(Captures.FRAG_V4_2, 0, 1500).value();
        Ipv4Packet f3 = Ipv4Packet.parse(Captures.FRAG_V4_3, 0, 68).value();
        for (Ipv4Packet f : List.of(f1, f2, f3)) {
            assertThat(f.header().identification()).isEqualTo(0xe4cf);
            assertThat(f.header().dontFragment()).isFalse();
            assertThat(f.isFragment()).isTrue();
        }
        assertThat(f1.header().moreFragments()).isTrue();
        assertThat(f1.header().fragmentOffset()).isZero();
        assertThat(f2.header().moreFragments()).isTrue();
        assertThat(f2.header().fragmentOffsetBytes()).isEqualTo(1480);
        assertThat(f3.header().moreFragments()).isFalse();
        assertThat(f3.header().fragmentOffsetBytes()).isEqualTo(2960);
        assertThat(f3.payload().length()).isEqualTo(48);

        // RFC 791 reassembly by hand: the ICMP checksum verifies over the whole datagram.
        byte[] whole = new byte[2960 + 48];
        f1.payload().copyTo(whole, 0);
        f2.payload().copyTo(whole, 1480);
        f3.payload().copyTo(whole, 2960);
        Icmpv4Message m = Icmpv4Message.parse(whole, 0, whole.length).value();
        assertThat(m.data().length()).isEqualTo(3000);
        assertThat(m.echoIdentifier()).isEqualTo(0x28ca);
        assertThat(f1.encode()).isEqualTo(Captures.FRAG_V4_1);
        assertThat(f3.encode()).isEqualTo(Captures.FRAG_V4_3);
    }

    @Test
    void ipv6FragmentsOfABigPingReassemble() {
        Ipv6Packet f1 = Ipv6Packet.parse(Captures.FRAG_V6_1, 0, Captures.FRAG_V6_1.length)
                .value();
        Ipv6Packet f2 = Ipv6Packet.parse(Captures.FRAG_V6_2, 0, Captures.FRAG_V6_2.length)
                .value();
        Ipv6Packet f3 = Ipv6Packet.parse(Captures.FRAG_V6_3, 0, Captures.FRAG_V6_3.length)
                .value();
        Ipv6ExtensionHeader.Fragment h1 = f1.fragment().orElseThrow();
        Ipv6ExtensionHeader.Fragment h2 = f2.fragment().orElseThrow();
        Ipv6ExtensionHeader.Fragment h3 = f3.fragment().orElseThrow();
        assertThat(f1.header().nextHeader()).isEqualTo(IpProtocol.IPV6_FRAG);
        assertThat(f1.protocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(f1.payloadOffset()).isEqualTo(48);
        assertThat(h1).isEqualTo(new Ipv6ExtensionHeader.Fragment(0, true, 0x421a295c));
        assertThat(h2.fragmentOffsetBytes()).isEqualTo(1448);
        assertThat(h2.moreFragments()).isTrue();
        assertThat(h3.fragmentOffsetBytes()).isEqualTo(2896);
        assertThat(h3.moreFragments()).isFalse();
        assertThat(h3.identification()).isEqualTo(0x421a295c);
        assertThat(f3.payload().length()).isEqualTo(112);

        byte[] data = new byte[2896 + 112];
        f1.payload().copyTo(data, 0);
        f2.payload().copyTo(data, 1448);
        f3.payload().copyTo(data, 2896);
        Ipv6Packet whole = Ipv6Packet.reassemble(f1, Bytes.copyOf(data)).value();
        assertThat(whole.extensionHeaders()).isEmpty();
        assertThat(whole.header().payloadLength()).isEqualTo(3008);
        assertThat(whole.protocol()).isEqualTo(IpProtocol.ICMPV6);
        Icmpv6Message m =
                Icmpv6Message.parse(whole.payload(), whole.pseudoHeader()).value();
        assertThat(m.echoSequence()).isEqualTo(1);
        assertThat(m.data().length()).isEqualTo(3000);
        assertThat(f2.encode()).isEqualTo(Captures.FRAG_V6_2);
    }

    @Test
    void routerSolicitationIsRecognisedAsNeighborDiscovery() {
        Ipv6Packet p = Ipv6Packet.parse(Captures.ROUTER_SOLICITATION, 0, 48).value();
        assertThat(p.src()).isEqualTo(Ipv6Address.of("fe80::651e:ede6:fda4:72c0"));
        assertThat(p.src().isLinkLocal()).isTrue();
        assertThat(p.dst()).isEqualTo(Ipv6Address.of("ff02::2"));
        assertThat(p.dst().isMulticast()).isTrue();
        assertThat(p.hopLimit()).isEqualTo(255);
        Icmpv6Message m = Icmpv6Message.parse(p.payload(), p.pseudoHeader()).value();
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_ROUTER_SOLICITATION);
        assertThat(m.isNeighborDiscovery()).isTrue();
        assertThat(m.checksum()).isEqualTo(0xb9cc);
    }

    @Test
    void anyFlippedBitInACapturedPacketIsReported() {
        // Every bit of these packets is covered by some checksum: the IPv4 header checksum, or the upper-layer one.
        for (byte[] pkt : List.of(Captures.SYN_V4, Captures.UDP_V4, Captures.PING_V4)) {
            for (int bit = 0; bit < pkt.length * 8; bit++) {
                byte[] b = pkt.clone();
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThat(decodeAll(b)).as("bit %d", bit).isFalse();
            }
        }
    }

    /** True when the packet and its upper layer parse and verify. */
    private static boolean decodeAll(byte[] b) {
        Parsed<IpPacket> p = IpPacket.parse(b, 0, b.length);
        if (!p.isOk()) {
            return false;
        }
        IpPacket ip = p.value();
        return switch (ip.protocol()) {
            case IpProtocol.TCP ->
                TcpSegment.parse(ip.payload(), ip.pseudoHeader()).isOk();
            case IpProtocol.UDP ->
                UdpDatagram.parse(ip.payload(), ip.pseudoHeader()).isOk();
            case IpProtocol.ICMP -> Icmpv4Message.parse(ip.payload()).isOk();
            default -> false;
        };
    }
}
