package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the invoking packet quoted in ICMP errors (RFC 792, RFC 4443 §2.4 (c), RFC 5927 §4). */
class IcmpQuoteTest {

    private static IcmpQuote quote(byte[] packet, int quotedLength) {
        return IcmpQuote.parse(Bytes.copyOf(packet, 0, quotedLength)).value();
    }

    @Test
    void rfc792MinimumQuoteOfATcpSynGivesPortsAndSequence() {
        // RFC 792: the IP header plus the first 64 bits of the datagram's data
        IcmpQuote q = quote(Captures.SYN_V4, 28);
        assertThat(q.src()).isEqualTo(Ipv4Address.of("198.18.0.1"));
        assertThat(q.dst()).isEqualTo(Ipv4Address.of("198.18.0.2"));
        assertThat(q.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(q.srcPort()).isEqualTo(36562);
        assertThat(q.dstPort()).isEqualTo(80);
        assertThat(q.hasTcpSequenceNumber()).isTrue();
        assertThat(q.tcpSequenceNumber()).isEqualTo(0x9e36c0f4);
    }

    @Test
    void aWholeUdpDatagramQuotedByLinux() {
        IcmpQuote q = quote(Captures.UDP_V4, Captures.UDP_V4.length);
        assertThat(q.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(q.dstPort()).isEqualTo(7);
        assertThat(q.transport().length()).isEqualTo(14);
    }

    @Test
    void shortQuotesGiveWhatTheyHave() {
        IcmpQuote q = quote(Captures.SYN_V4, 22);
        assertThat(q.srcPort()).isEqualTo(36562);
        assertThat(q.dstPort()).isEqualTo(-1);
        assertThat(q.hasTcpSequenceNumber()).isFalse();
        assertThat(IcmpQuote.parse(Bytes.copyOf(Captures.SYN_V4, 0, 19)).error().kind())
                .isEqualTo(ParseError.Kind.TRUNCATED);
    }

    @Test
    void theInnerIpv4ChecksumIsNotVerified() {
        byte[] b = Arrays.copyOf(Captures.SYN_V4, 28);
        b[8] = 1; // TTL decremented on the way, checksum not updated (some middleboxes)
        assertThat(IcmpQuote.parse(Bytes.copyOf(b)).value().dstPort()).isEqualTo(80);
    }

    @Test
    void ipv6QuoteWalksExtensionHeaders() {
        IcmpQuote plain = quote(Captures.SYN_V6, 48);
        assertThat(plain.src()).isEqualTo(Ipv6Address.of("fd00:5a::1"));
        assertThat(plain.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(plain.tcpSequenceNumber()).isEqualTo(0xd4b1b0b4);

        Ipv6Header h = Ipv6Header.of(Ipv6Address.of("fd00:5a::2"), Ipv6Address.of("fd00:5a::1"), 0, 64, 0);
        Ipv6Packet p = Ipv6Packet.of(
                h,
                List.of(new Ipv6ExtensionHeader.Generic(IpProtocol.IPV6_OPTS, Bytes.copyOf(new byte[6]))),
                IpProtocol.UDP,
                Bytes.of(0x30, 0x39, 0, 53, 0, 8, 0, 0));
        IcmpQuote q = IcmpQuote.parse(Bytes.copyOf(p.encode())).value();
        assertThat(q.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(q.srcPort()).isEqualTo(12345);
        assertThat(q.dstPort()).isEqualTo(53);
    }

    @Test
    void nonFirstFragmentsQuoteNoTransportHeader() {
        IcmpQuote v4 = quote(Captures.FRAG_V4_2, 28);
        assertThat(v4.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(v4.transport().length()).isZero();
        assertThat(v4.srcPort()).isEqualTo(-1);
        IcmpQuote v6 = quote(Captures.FRAG_V6_2, 56);
        assertThat(v6.protocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(v6.transport().length()).isZero();
        IcmpQuote first6 = quote(Captures.FRAG_V6_1, 56);
        assertThat(first6.transport().getUnsigned(0)).isEqualTo(Icmpv6Message.TYPE_ECHO_REQUEST);
    }
}
