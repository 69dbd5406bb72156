package io.sansnet.fuzz;

import static io.sansnet.fuzz.Fixtures.PH4;
import static io.sansnet.fuzz.Fixtures.PH6;
import static io.sansnet.fuzz.Fixtures.body;
import static io.sansnet.fuzz.Fixtures.control;
import static io.sansnet.fuzz.Fixtures.shifted;
import static io.sansnet.fuzz.Fixtures.withoutField;
import static io.sansnet.fuzz.Fixtures.writeChecksum;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IcmpQuote;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6ExtensionHeader;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.stack.wire.UdpDatagram;
import java.util.Arrays;

/**
 * The wire codecs of {@code io.sansnet.stack.wire} on arbitrary bytes. Every target checks the same two invariants: no
 * input makes a parser throw (it returns {@link Parsed.Ok} or {@link Parsed.Err}, and the same answer wherever the
 * bytes sit in an array), and a parsed value encodes to bytes that parse to the same value (checksum fields aside: the
 * encoder computes them, and 0x0000 and 0xFFFF both verify).
 *
 * <p>Inputs are a control byte and the bytes to parse. Control bit 0 asks the target to write a correct checksum
 * before parsing, so the fuzzer gets past the checksum check; bit 1 selects the IPv6 pseudo-header for UDP and TCP.
 */
class WireFuzzTest {

    /** Control bit 0: write a correct header checksum. Then the IPv4 packet. */
    @FuzzTest
    void ipv4(byte[] input) {
        byte[] b = body(input);
        if ((control(input) & 1) != 0 && b.length >= 20) {
            int ihl = (b[0] & 0xF) * 4;
            writeChecksum(b, Math.min(Math.max(ihl, 20), b.length), 10, 0, false);
        }
        Parsed<Ipv4Packet> p = Ipv4Packet.parse(b, 0, b.length);
        assertThat(Ipv4Packet.parse(shifted(b), 3, b.length)).isEqualTo(p);
        checkIpDispatch(b);
        quote(b);
        if (!(p instanceof Parsed.Ok<Ipv4Packet> ok)) {
            return;
        }
        Ipv4Packet v = ok.value();
        byte[] enc = v.encode();
        assertThat(enc).hasSize(v.header().totalLength());
        Parsed<Ipv4Packet> again = Ipv4Packet.parse(enc, 0, enc.length);
        assertThat(again.isOk()).as("re-encoded %s parses: %s", v, again).isTrue();
        assertThat(again.value().header().withChecksum(0)).isEqualTo(v.header().withChecksum(0));
        assertThat(again.value().payload()).isEqualTo(v.payload());
        // The encoding is the input's first total-length bytes, except the reserved flag (sent as zero) and the
        // checksum (recomputed).
        byte[] expected = Arrays.copyOf(b, enc.length);
        expected[6] &= 0x7F;
        assertThat(withoutField(enc, 10)).isEqualTo(withoutField(expected, 10));
    }

    /** Control bit 0: parse with at most {@code control >>> 1 & 15} extension headers instead of the default. */
    @FuzzTest
    void ipv6(byte[] input) {
        byte[] b = body(input);
        int c = control(input);
        int maxExt = (c & 1) != 0 ? c >>> 1 & 15 : Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS;
        Parsed<Ipv6Packet> p = Ipv6Packet.parse(b, 0, b.length, maxExt);
        assertThat(Ipv6Packet.parse(shifted(b), 3, b.length, maxExt)).isEqualTo(p);
        checkIpDispatch(b);
        quote(b);
        if (!(p instanceof Parsed.Ok<Ipv6Packet> ok)) {
            return;
        }
        Ipv6Packet v = ok.value();
        assertThat(v.extensionHeaders()).hasSizeLessThanOrEqualTo(maxExt);
        byte[] enc = v.encode();
        assertThat(enc).hasSize(40 + v.header().payloadLength());
        Parsed<Ipv6Packet> again = Ipv6Packet.parse(enc, 0, enc.length, maxExt);
        assertThat(again).isEqualTo(p);
        byte[] expected = Arrays.copyOf(b, enc.length);
        if (v.fragment().isPresent()) {
            // RFC 8200 §4.5: the Fragment header's reserved octet and two reserved bits are sent as zero
            int at = v.payloadOffset() - Ipv6ExtensionHeader.Fragment.LENGTH;
            expected[at + 1] = 0;
            expected[at + 3] &= (byte) 0xF9;
            // The step the host applies to an atomic fragment must not throw either.
            Parsed<Ipv6Packet> whole = Ipv6Packet.reassemble(v, v.payload());
            if (whole instanceof Parsed.Ok<Ipv6Packet> w) {
                assertThat(w.value().length()).isLessThanOrEqualTo(40 + 0xFFFF);
            }
        }
        assertThat(enc).isEqualTo(expected);
    }

    /** Control bit 0: write a correct checksum. Then the ICMP message. */
    @FuzzTest
    void icmpv4(byte[] input) {
        byte[] b = body(input);
        if ((control(input) & 1) != 0) {
            writeChecksum(b, b.length, 2, 0, false);
        }
        Parsed<Icmpv4Message> p = Icmpv4Message.parse(b, 0, b.length);
        assertThat(Icmpv4Message.parse(shifted(b), 3, b.length)).isEqualTo(p);
        if (!(p instanceof Parsed.Ok<Icmpv4Message> ok)) {
            return;
        }
        Icmpv4Message v = ok.value();
        byte[] enc = v.encode();
        Parsed<Icmpv4Message> again = Icmpv4Message.parse(enc, 0, enc.length);
        assertThat(again.isOk()).as("re-encoded %s parses: %s", v, again).isTrue();
        assertThat(again.value().withChecksum(0)).isEqualTo(v.withChecksum(0));
        assertThat(withoutField(enc, 2)).isEqualTo(withoutField(b, 2));
        if (v.isError()) {
            quote(v.data());
        }
    }

    /** Control bit 0: write a correct checksum; bit 1: use an IPv4 pseudo-header (always an error). */
    @FuzzTest
    void icmpv6(byte[] input) {
        byte[] b = body(input);
        int c = control(input);
        PseudoHeader ph = (c & 2) != 0 ? PH4 : PH6;
        if ((c & 1) != 0) {
            writeChecksum(b, b.length, 2, PH6.sum(IpProtocol.ICMPV6, b.length), false);
        }
        Parsed<Icmpv6Message> p = Icmpv6Message.parse(b, 0, b.length, ph);
        assertThat(Icmpv6Message.parse(shifted(b), 3, b.length, ph)).isEqualTo(p);
        Parsed<Icmpv6Message> unverified = Icmpv6Message.parseUnverified(b, 0, b.length);
        if (unverified instanceof Parsed.Ok<Icmpv6Message> u && u.value().isError()) {
            quote(u.value().data());
        }
        if (!(p instanceof Parsed.Ok<Icmpv6Message> ok)) {
            return;
        }
        assertThat(ph).isEqualTo(PH6);
        assertThat(unverified).isEqualTo(p);
        Icmpv6Message v = ok.value();
        byte[] enc = v.encode(PH6);
        Parsed<Icmpv6Message> again = Icmpv6Message.parse(enc, 0, enc.length, PH6);
        assertThat(again.isOk()).as("re-encoded %s parses: %s", v, again).isTrue();
        assertThat(again.value().withChecksum(0)).isEqualTo(v.withChecksum(0));
        assertThat(withoutField(enc, 2)).isEqualTo(withoutField(b, 2));
    }

    /** Control bit 0: write a correct checksum; bit 1: IPv6 pseudo-header. Then the UDP datagram. */
    @FuzzTest
    void udp(byte[] input) {
        byte[] b = body(input);
        int c = control(input);
        PseudoHeader ph = (c & 2) != 0 ? PH6 : PH4;
        if ((c & 1) != 0 && b.length >= 8) {
            int n = Math.min(Math.max((b[4] & 0xFF) << 8 | (b[5] & 0xFF), 8), b.length);
            writeChecksum(b, n, 6, ph.sum(IpProtocol.UDP, n), true);
        }
        Parsed<UdpDatagram> p = UdpDatagram.parse(b, 0, b.length, ph);
        assertThat(UdpDatagram.parse(shifted(b), 3, b.length, ph)).isEqualTo(p);
        Parsed<UdpDatagram> unverified = UdpDatagram.parseUnverified(b, 0, b.length);
        if (!(p instanceof Parsed.Ok<UdpDatagram> ok)) {
            return;
        }
        assertThat(unverified).isEqualTo(p);
        UdpDatagram v = ok.value();
        byte[] enc = v.encode(ph);
        assertThat(enc).hasSize(v.length());
        Parsed<UdpDatagram> again = UdpDatagram.parse(enc, 0, enc.length, ph);
        assertThat(again.isOk()).as("re-encoded %s parses: %s", v, again).isTrue();
        assertThat(again.value().withChecksum(0)).isEqualTo(v.withChecksum(0));
        assertThat(again.value().checksum()).isNotZero(); // the encoder always computes one
        assertThat(withoutField(enc, 6)).isEqualTo(withoutField(Arrays.copyOf(b, enc.length), 6));
    }

    /** Control bit 0: write a correct checksum; bit 1: IPv6 pseudo-header. Then the TCP segment. */
    @FuzzTest
    void tcp(byte[] input) {
        byte[] b = body(input);
        int c = control(input);
        PseudoHeader ph = (c & 2) != 0 ? PH6 : PH4;
        if ((c & 1) != 0) {
            writeChecksum(b, b.length, 16, ph.sum(IpProtocol.TCP, b.length), false);
        }
        Parsed<TcpSegment> p = TcpSegment.parse(b, 0, b.length, ph);
        assertThat(TcpSegment.parse(shifted(b), 3, b.length, ph)).isEqualTo(p);
        Parsed<TcpSegment> unverified = TcpSegment.parseUnverified(b, 0, b.length);
        assertThat(TcpHeader.parse(b, 0, b.length).isOk()).isEqualTo(unverified.isOk());
        if (!(p instanceof Parsed.Ok<TcpSegment> ok)) {
            return;
        }
        assertThat(unverified).isEqualTo(p);
        TcpSegment v = ok.value();
        TcpHeader h = v.header();
        assertThat(h.length()).isBetween(TcpHeader.MIN_LENGTH, TcpHeader.MAX_LENGTH);
        assertThat(h.length() % 4).isZero();
        assertThat(v.sequenceLength()).isGreaterThanOrEqualTo(v.payload().length());
        byte[] enc = v.encode(ph);
        assertThat(enc).hasSize(v.length());
        Parsed<TcpSegment> again = TcpSegment.parse(enc, 0, enc.length, ph);
        assertThat(again.isOk()).as("re-encoded %s parses: %s", v, again).isTrue();
        // Options are re-encoded in canonical order and padding, so only the values are compared.
        assertThat(again.value().withChecksum(0)).isEqualTo(v.withChecksum(0));
        // Ports, sequence numbers, flags, window and urgent pointer are copied as they were.
        assertThat(Arrays.copyOfRange(enc, 0, 12)).isEqualTo(Arrays.copyOfRange(b, 0, 12));
        assertThat(Arrays.copyOfRange(enc, 13, 16)).isEqualTo(Arrays.copyOfRange(b, 13, 16));
        assertThat(Arrays.copyOfRange(enc, 18, 20)).isEqualTo(Arrays.copyOfRange(b, 18, 20));
    }

    /** Version dispatch agrees with the per-version parsers. */
    private static void checkIpDispatch(byte[] b) {
        Parsed<IpPacket> any = IpPacket.parse(b, 0, b.length);
        if (any instanceof Parsed.Ok<IpPacket> ok) {
            IpPacket v = ok.value();
            assertThat(v.version()).isEqualTo(b[0] >>> 4 & 0xF);
            assertThat(v.length()).isLessThanOrEqualTo(b.length);
            assertThat(v.payload().length()).isLessThanOrEqualTo(v.length());
            v.pseudoHeader();
        }
    }

    /** The quote parser (ICMP errors quote an IP header) on the same bytes: a value or an error, never a throw. */
    private static void quote(byte[] b) {
        quote(Bytes.copyOf(b));
    }

    private static void quote(Bytes b) {
        Parsed<IcmpQuote> q = IcmpQuote.parse(b);
        if (q instanceof Parsed.Ok<IcmpQuote> ok) {
            IcmpQuote v = ok.value();
            assertThat(v.transport().length()).isLessThanOrEqualTo(b.length());
            v.srcPort();
            v.dstPort();
            if (v.hasTcpSequenceNumber()) {
                v.tcpSequenceNumber();
            }
        }
    }
}
