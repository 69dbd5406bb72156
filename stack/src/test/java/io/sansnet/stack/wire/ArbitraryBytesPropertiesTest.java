package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import java.nio.charset.StandardCharsets;

/**
 * Acceptance 5 of the foundation issue: arbitrary bytes never make a parser throw. Each parser returns a value or a
 * typed error; a value must re-encode to bytes that parse back to the same value (so a parsed value is always
 * encodable). Inputs are random bytes of 0..1600 octets and mutations of valid packets: truncation, bit flips and
 * length fields set to extreme values.
 */
class ArbitraryBytesPropertiesTest {

    @Property(tries = 10_000)
    void randomBytesNeverThrow(Gen g) {
        byte[] b = g.bytes(0, 1600);
        int off = b.length == 0 ? 0 : g.intBetween(0, Math.min(b.length, 8));
        parseWithEveryParser(g, b, off, b.length - off);
    }

    @Property(tries = 10_000)
    void randomBytesBehindAValidVersionNibbleNeverThrow(Gen g) {
        byte[] b = g.bytes(1, 1600);
        b[0] = (byte) ((g.bool() ? 0x40 : 0x60) | (b[0] & 0x0F));
        if (b.length > 6 && g.bool()) {
            b[6] = (byte) (int) g.pick(0, 43, 44, 51, 60, 135, 253, 254, 6, 17, 58);
        }
        parseWithEveryParser(g, b, 0, b.length);
    }

    @Property(tries = 10_000)
    void mutatedValidPacketsNeverThrow(Gen g) {
        byte[] b = validPacket(g);
        b = mutate(g, b);
        g.note("mutated", b);
        parseWithEveryParser(g, b, 0, b.length);
        if (b.length > 20) {
            // also the upper layer of a mutated IPv4 packet without options, as the host would hand it on
            parseWithEveryParser(g, b, 20, b.length - 20);
        }
        if (b.length > 40) {
            parseWithEveryParser(g, b, 40, b.length - 40);
        }
    }

    @Property(tries = 10_000)
    void arbitraryTextNeverThrowsFromAddressParsers(Gen g) {
        byte[] raw = g.bytes(0, 50);
        StringBuilder sb = new StringBuilder();
        String alphabet = "0123456789abcdefABCDEF:.:%x ";
        for (byte x : raw) {
            sb.append(g.bool() ? alphabet.charAt((x & 0xFF) % alphabet.length()) : (char) (x & 0xFF));
        }
        String s = sb.toString();
        g.note("text", s);
        Parsed<Ipv4Address> p4 = Ipv4Address.parse(s);
        Parsed<Ipv6Address> p6 = Ipv6Address.parse(s);
        assertThat(p4).isNotNull();
        assertThat(p6).isNotNull();
        if (p4.isOk()) {
            assertThat(Ipv4Address.parse(p4.value().toString()).value()).isEqualTo(p4.value());
        }
        if (p6.isOk()) {
            assertThat(Ipv6Address.parse(p6.value().toString()).value()).isEqualTo(p6.value());
        }
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).isNotNull();
    }

    /** A valid IP packet with a valid upper layer, encoded. */
    static byte[] validPacket(Gen g) {
        int version = g.bool() ? 4 : 6;
        PseudoHeader ph = WireGen.pseudoHeader(g, version);
        int protocol;
        byte[] upper;
        switch (g.intBetween(0, 2)) {
            case 0 -> {
                protocol = IpProtocol.TCP;
                upper = WireGen.tcpSegment(g).encode(ph);
            }
            case 1 -> {
                protocol = IpProtocol.UDP;
                upper = WireGen.udp(g).encode(ph);
            }
            default -> {
                protocol = version == 4 ? IpProtocol.ICMP : IpProtocol.ICMPV6;
                upper = version == 4
                        ? WireGen.icmpv4(g).encode()
                        : WireGen.icmpv6(g).encode(ph);
            }
        }
        if (version == 4) {
            Ipv4Header h = Ipv4Header.builder((Ipv4Address) ph.src(), (Ipv4Address) ph.dst(), protocol)
                    .payloadLength(upper.length)
                    .build();
            return new Ipv4Packet(h, Bytes.copyOf(upper)).encode();
        }
        Ipv6Header h = Ipv6Header.of((Ipv6Address) ph.src(), (Ipv6Address) ph.dst(), protocol, 64, 0);
        return Ipv6Packet.of(h, protocol, Bytes.copyOf(upper)).encode();
    }

    /** Truncation, bit flips, or a length-ish field set to an extreme value. */
    static byte[] mutate(Gen g, byte[] valid) {
        byte[] b = valid.clone();
        switch (g.intBetween(0, 3)) {
            case 0 -> {
                return java.util.Arrays.copyOf(b, g.intBetween(0, b.length));
            }
            case 1 -> {
                int flips = g.intBetween(1, 8);
                for (int i = 0; i < flips; i++) {
                    int bit = g.intBetween(0, b.length * 8 - 1);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 2 -> {
                // the IPv4 total length (2), IPv6 payload length (4), UDP length (20+4 / 40+4), TCP data offset (20+12
                // / 40+12)
                int at = g.pick(0, 2, 4, 6, 24, 32, 44, 52);
                int value = g.pick(
                        0, 1, 0xFF, 0xFFFF, b.length, b.length + 1, b.length - 1, 0x8000, g.intBetween(0, 0xFFFF));
                if (at + 1 < b.length) {
                    b[at] = (byte) (value >>> 8);
                    b[at + 1] = (byte) value;
                }
            }
            default -> {
                int at = g.intBetween(0, b.length - 1);
                b[at] = (byte) g.intBetween(0, 255);
                b = java.util.Arrays.copyOf(b, b.length + g.intBetween(-b.length + at, 16));
            }
        }
        return b;
    }

    /** Runs every parser over {@code b[off..off+len)}; each must answer, and every value must re-encode and re-parse. */
    static void parseWithEveryParser(Gen g, byte[] b, int off, int len) {
        PseudoHeader ph4 = WireGen.pseudoHeader(g, 4);
        PseudoHeader ph6 = WireGen.pseudoHeader(g, 6);

        // Values are compared without their checksum field: parsing drops the reserved flag bit, so the checksum of
        // the re-encoded header may differ from the one received.
        Parsed<Ipv4Header> h4 = answered(Ipv4Header.parse(b, off, len));
        if (h4.isOk()) {
            assertThat(Ipv4Header.parse(h4.value().encode(), 0, h4.value().length())
                            .value()
                            .withChecksum(0))
                    .isEqualTo(h4.value().withChecksum(0));
        }
        Parsed<Ipv4Packet> p4 = answered(Ipv4Packet.parse(b, off, len));
        if (p4.isOk()) {
            byte[] e = p4.value().encode();
            Ipv4Packet back = Ipv4Packet.parse(e, 0, e.length).value();
            assertThat(back.header().withChecksum(0))
                    .isEqualTo(p4.value().header().withChecksum(0));
            assertThat(back.payload()).isEqualTo(p4.value().payload());
        }
        Parsed<Ipv6Header> h6 = answered(Ipv6Header.parse(b, off, len));
        if (h6.isOk()) {
            assertThat(Ipv6Header.parse(h6.value().encode(), 0, 40).value()).isEqualTo(h6.value());
        }
        Parsed<Ipv6Packet> p6 = answered(Ipv6Packet.parse(b, off, len));
        if (p6.isOk()) {
            byte[] e = p6.value().encode();
            assertThat(Ipv6Packet.parse(e, 0, e.length).value()).isEqualTo(p6.value());
        }
        answered(Ipv6Packet.parse(b, off, len, g.intBetween(0, 3)));
        answered(Ipv4Header.parseUnverified(b, off, len));
        Parsed<IcmpQuote> q = answered(IcmpQuote.parse(Bytes.copyOf(b, off, len)));
        if (q.isOk()) {
            assertThat(q.value().srcPort()).isBetween(-1, 0xFFFF);
            assertThat(q.value().transport().length()).isLessThanOrEqualTo(len);
        }
        Parsed<IpPacket> ip = answered(IpPacket.parse(b, off, len));
        if (ip.isOk()) {
            IpPacket p = ip.value();
            parseUpperLayers(p.payload(), p.pseudoHeader());
        }
        parseUpperLayers(Bytes.copyOf(b, off, len), g.bool() ? ph4 : ph6);
        Parsed<TcpOptions> o = answered(TcpOptions.parse(b, off, Math.min(len, TcpOptions.MAX_LENGTH), 20));
        if (o.isOk()) {
            byte[] e = new byte[o.value().length()];
            o.value().encodeInto(e, 0);
            assertThat(TcpOptions.parse(e, 0, e.length, 20).value()).isEqualTo(o.value());
        }
    }

    private static void parseUpperLayers(Bytes data, PseudoHeader ph) {
        byte[] b = data.toArray();
        int n = b.length;
        Parsed<Icmpv4Message> i4 = answered(Icmpv4Message.parse(b, 0, n));
        if (i4.isOk()) {
            assertThat(Icmpv4Message.parse(i4.value().encode(), 0, n).value()).isEqualTo(i4.value());
        }
        Parsed<Icmpv6Message> i6 = answered(Icmpv6Message.parse(b, 0, n, ph));
        if (i6.isOk()) {
            assertThat(Icmpv6Message.parse(i6.value().encode(ph), 0, n, ph).value())
                    .isEqualTo(i6.value());
        }
        answered(Icmpv6Message.parseUnverified(b, 0, n));
        Parsed<UdpDatagram> u = answered(UdpDatagram.parse(b, 0, n, ph));
        if (u.isOk()) {
            UdpDatagram d = u.value();
            byte[] e = d.encode(ph);
            assertThat(UdpDatagram.parse(e, 0, e.length, ph).value().withChecksum(0))
                    .isEqualTo(d.withChecksum(0));
        }
        answered(UdpDatagram.parseUnverified(b, 0, n));
        Parsed<TcpHeader> th = answered(TcpHeader.parse(b, 0, n));
        Parsed<TcpSegment> ts = answered(TcpSegment.parseUnverified(b, 0, n));
        if (ts.isOk()) {
            TcpSegment s = ts.value();
            assertThat(th.value()).isEqualTo(s.header());
            byte[] e = s.encode(ph);
            TcpSegment back = TcpSegment.parse(e, 0, e.length, ph).value();
            assertThat(back.withChecksum(0)).isEqualTo(s.withChecksum(0));
        }
        answered(TcpSegment.parse(b, 0, n, ph));
    }

    private static <T> Parsed<T> answered(Parsed<T> p) {
        assertThat(p).isNotNull();
        if (p instanceof Parsed.Err<T> err) {
            assertThat(err.error().kind()).isNotNull();
            assertThat(err.error().field()).isNotBlank();
        }
        return p;
    }
}
