package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import org.junit.jupiter.api.Test;

/** RFC 1071 arithmetic, the two pseudo-headers, and detection of a flipped bit by every checksummed codec. */
class ChecksumTest {

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2; the checksum is its complement.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(Checksum.add(0, b, 0, b.length)).isEqualTo(0x2ddf0L);
        assertThat(Checksum.fold(0x2ddf0L)).isEqualTo(0xddf2);
        assertThat(Checksum.compute(b, 0, b.length)).isEqualTo(0x220d);
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        byte[] odd = {0x12, 0x34, 0x56};
        byte[] padded = {0x12, 0x34, 0x56, 0x00};
        assertThat(Checksum.compute(odd, 0, 3)).isEqualTo(Checksum.compute(padded, 0, 4));
        assertThat(Checksum.compute(odd, 0, 3)).isEqualTo(~(0x1234 + 0x5600) & 0xFFFF);
    }

    @Test
    void emptyDataChecksumIsAllOnes() {
        assertThat(Checksum.compute(new byte[0], 0, 0)).isEqualTo(0xFFFF);
    }

    @Test
    void ipv4PseudoHeaderWords() {
        Ipv4Address s = Ipv4Address.of("198.18.0.1");
        Ipv4Address d = Ipv4Address.of("198.18.0.2");
        long expected = 0xc612 + 0x0001 + 0xc612 + 0x0002 + 6 + 60;
        assertThat(Checksum.pseudoHeaderV4(s, d, IpProtocol.TCP, 60)).isEqualTo(expected);
        assertThat(new PseudoHeader(s, d).sum(IpProtocol.TCP, 60)).isEqualTo(expected);
    }

    @Test
    void ipv6PseudoHeaderWords() {
        Ipv6Address s = Ipv6Address.of("fd00:5a::1");
        Ipv6Address d = Ipv6Address.of("fd00:5a::2");
        // RFC 8200 §8.1: addresses, 32-bit length, three zero octets, next header
        long expected = 0xfd00 + 0x5a + 1 + 0xfd00 + 0x5a + 2 + 0x0001 + 0x0002 + 17;
        assertThat(Checksum.pseudoHeaderV6(s, d, IpProtocol.UDP, 0x10002)).isEqualTo(expected);
    }

    @Test
    void pseudoHeaderRejectsMixedVersions() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PseudoHeader(Ipv4Address.of("198.18.0.1"), Ipv6Address.of("fd00:5a::1")));
    }

    @Property(tries = 10_000)
    void accumulatingInEvenPiecesEqualsTheWhole(Gen g) {
        byte[] b = g.bytes(0, 1600);
        int cut = g.intBetween(0, b.length / 2) * 2;
        long pieces = Checksum.add(Checksum.add(0, b, 0, cut), b, cut, b.length - cut);
        assertThat(Checksum.fold(pieces)).isEqualTo(Checksum.fold(Checksum.add(0, b, 0, b.length)));
        // and data followed by its own checksum verifies (RFC 1071 §1 (3)); pad odd data first
        byte[] withSum = java.util.Arrays.copyOf(b, (b.length + 1) / 2 * 2 + 2);
        int c = Checksum.compute(b, 0, b.length);
        withSum[withSum.length - 2] = (byte) (c >>> 8);
        withSum[withSum.length - 1] = (byte) c;
        assertThat(Checksum.verifies(Checksum.add(0, withSum, 0, withSum.length)))
                .isTrue();
    }

    @Property(tries = 10_000)
    void aFlippedBitIsDetectedByEveryChecksummedCodec(Gen g) {
        int version = g.bool() ? 4 : 6;
        PseudoHeader ph = WireGen.pseudoHeader(g, version);
        int codec = g.intBetween(0, 4);
        byte[] wire;
        int from = 0; // first covered byte that a flip may hit
        switch (codec) {
            case 0 -> wire = WireGen.tcpSegment(g).encode(ph);
            case 1 -> wire = WireGen.udp(g).encode(ph);
            case 2 -> wire = WireGen.icmpv4(g).encode();
            case 3 -> wire = WireGen.icmpv6(g).encode(WireGen.pseudoHeader(g, 6));
            default -> {
                wire = WireGen.ipv4Packet(g).header().encode();
                from = 1; // the IHL nibble moves the header's end, which the checksum does not cover
            }
        }
        int bit = g.intBetween(from * 8, wire.length * 8 - 1);
        if (codec == 1 && (bit / 8 == 4 || bit / 8 == 5)) {
            bit = 6 * 8 + bit % 8; // a changed UDP length changes the covered range; flip in the checksum instead
        }
        g.note("codec", codec);
        g.note("bit", bit);
        byte[] b = wire.clone();
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        Parsed<?> p = switch (codec) {
            case 0 -> TcpSegment.parse(b, 0, b.length, ph);
            case 1 -> UdpDatagram.parse(b, 0, b.length, ph);
            case 2 -> Icmpv4Message.parse(b, 0, b.length);
            case 3 -> Icmpv6Message.parse(b, 0, b.length, ph);
            default -> Ipv4Header.parse(b, 0, b.length);
        };
        if (codec == 3) {
            return; // checked below with the pseudo-header used to encode
        }
        if (codec == 1 && version == 4 && Wire.u16(b, 6) == 0) {
            assertThat(p.isOk()).isTrue(); // RFC 768: a zero checksum means none was computed
            return;
        }
        assertThat(p.isOk()).as("flipped bit %d of %s", bit, p).isFalse();
        // BAD_VALUE: a UDP checksum flipped to zero over IPv6; BAD_LENGTH: an IPv4 total length below the header's
        assertThat(p.error().kind())
                .isIn(ParseError.Kind.BAD_CHECKSUM, ParseError.Kind.BAD_VALUE, ParseError.Kind.BAD_LENGTH);
    }

    @Property(tries = 10_000)
    void aFlippedBitInAnIcmpv6MessageOrItsPseudoHeaderIsDetected(Gen g) {
        PseudoHeader ph = WireGen.pseudoHeader(g, 6);
        byte[] wire = WireGen.icmpv6(g).encode(ph);
        byte[] b = wire.clone();
        PseudoHeader check = ph;
        if (g.bool()) {
            int bit = g.intBetween(0, b.length * 8 - 1);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        } else {
            Ipv6Address src = (Ipv6Address) ph.src();
            check = new PseudoHeader(new Ipv6Address(src.hi(), src.lo() ^ (1L << g.intBetween(0, 63))), ph.dst());
        }
        assertThat(Icmpv6Message.parse(b, 0, b.length, check).error().kind()).isEqualTo(ParseError.Kind.BAD_CHECKSUM);
    }
}
