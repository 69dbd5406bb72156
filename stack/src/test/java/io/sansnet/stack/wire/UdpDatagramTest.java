package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** UDP lengths and the zero-checksum rules of RFC 768 and RFC 8200 §8.1. */
class UdpDatagramTest {

    private static final PseudoHeader V4 = new PseudoHeader(Ipv4Address.of("198.18.0.1"), Ipv4Address.of("198.18.0.2"));
    private static final PseudoHeader V6 = new PseudoHeader(Ipv6Address.of("fd00:5a::1"), Ipv6Address.of("fd00:5a::2"));

    @Test
    void zeroChecksumMeansNoneOverIpv4() {
        byte[] b = UdpDatagram.of(1000, 7, Bytes.of(1, 2, 3)).encode(V4);
        b[6] = 0;
        b[7] = 0;
        UdpDatagram d = UdpDatagram.parse(b, 0, b.length, V4).value();
        assertThat(d.checksum()).isZero();
        assertThat(d.payload()).isEqualTo(Bytes.of(1, 2, 3));
    }

    @Test
    void zeroChecksumIsRejectedOverIpv6() {
        byte[] b = UdpDatagram.of(1000, 7, Bytes.of(1, 2, 3)).encode(V6);
        b[6] = 0;
        b[7] = 0;
        ParseError e = UdpDatagram.parse(b, 0, b.length, V6).error();
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_VALUE);
        assertThat(e.field()).isEqualTo("udp.checksum");
        assertThat(e.offset()).isEqualTo(6);
    }

    @Test
    void aComputedZeroIsSentAsAllOnes() {
        // Find a payload whose checksum computes to zero: the sum of everything else must be 0xFFFF.
        UdpDatagram base = UdpDatagram.of(1, 2, Bytes.of(0, 0));
        long rest = Checksum.add(V4.sum(IpProtocol.UDP, 10), base.encode(V4), 0, 6);
        int word = 0xFFFF - Checksum.fold(rest);
        UdpDatagram d = UdpDatagram.of(1, 2, Bytes.of(word >>> 8, word & 0xFF));
        byte[] b = d.encode(V4);
        assertThat(Wire.u16(b, 6)).isEqualTo(0xFFFF);
        assertThat(UdpDatagram.parse(b, 0, b.length, V4).value().checksum()).isEqualTo(0xFFFF);
    }

    @Test
    void lengthFieldBoundsThePayload() {
        byte[] b = UdpDatagram.of(1000, 7, Bytes.of(1, 2, 3, 4)).encode(V4);
        byte[] padded = java.util.Arrays.copyOf(b, b.length + 3);
        assertThat(UdpDatagram.parse(padded, 0, padded.length, V4)
                        .value()
                        .payload()
                        .length())
                .isEqualTo(4);
        ParseError tooLong = UdpDatagram.parse(b, 0, b.length - 1, V4).error();
        assertThat(tooLong.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(tooLong.field()).isEqualTo("udp.length");
        b[5] = 7; // below the header
        assertThat(UdpDatagram.parseUnverified(b, 0, b.length).error().kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(UdpDatagram.parse(b, 0, 7, V4).error().kind()).isEqualTo(ParseError.Kind.TRUNCATED);
    }

    @Test
    void theChecksumCoversThePseudoHeader() {
        byte[] b = UdpDatagram.of(1000, 7, Bytes.of(1, 2, 3)).encode(V4);
        PseudoHeader elsewhere = new PseudoHeader(Ipv4Address.of("198.18.0.1"), Ipv4Address.of("198.18.0.3"));
        assertThat(UdpDatagram.parse(b, 0, b.length, elsewhere).error().kind()).isEqualTo(ParseError.Kind.BAD_CHECKSUM);
    }
}
