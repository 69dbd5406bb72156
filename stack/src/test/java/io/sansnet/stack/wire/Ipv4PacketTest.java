package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** IPv4 header checks (RFC 791 §3.1), each error naming its field and offset. */
class Ipv4PacketTest {

    private static byte[] ping() {
        return Captures.PING_V4.clone();
    }

    private static ParseError error(byte[] b) {
        return Ipv4Packet.parse(b, 0, b.length).error();
    }

    /** Fixes the header checksum after a deliberate change, so the check under test is the one that fires. */
    private static byte[] resum(byte[] b) {
        int ihl = (b[0] & 0xF) * 4;
        b[10] = 0;
        b[11] = 0;
        int c = Checksum.compute(b, 0, Math.min(ihl, b.length));
        b[10] = (byte) (c >>> 8);
        b[11] = (byte) c;
        return b;
    }

    @Test
    void shorterThanAHeaderIsTruncated() {
        ParseError e = error(Arrays.copyOf(ping(), 19));
        assertThat(e.kind()).isEqualTo(ParseError.Kind.TRUNCATED);
        assertThat(e.field()).isEqualTo("ipv4.header");
    }

    @Test
    void versionSixInAnIpv4ParserIsBadVersion() {
        byte[] b = ping();
        b[0] = 0x65;
        assertThat(error(b).kind()).isEqualTo(ParseError.Kind.BAD_VERSION);
        assertThat(error(b).field()).isEqualTo("ipv4.version");
    }

    @Test
    void ihlBelowFiveIsBadLength() {
        byte[] b = ping();
        b[0] = 0x44;
        ParseError e = error(b);
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(e.field()).isEqualTo("ipv4.ihl");
    }

    @Test
    void totalLengthBeyondTheDataIsBadLengthAndPaddingIsIgnored() {
        ParseError e = error(Arrays.copyOf(ping(), 83));
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(e.field()).isEqualTo("ipv4.total_length");
        assertThat(e.offset()).isEqualTo(2);
        byte[] padded = Arrays.copyOf(ping(), 100);
        assertThat(Ipv4Packet.parse(padded, 0, 100).value().payload().length()).isEqualTo(64);
    }

    @Test
    void totalLengthBelowTheHeaderIsBadLength() {
        byte[] b = ping();
        b[2] = 0;
        b[3] = 19;
        assertThat(error(resum(b)).field()).isEqualTo("ipv4.total_length");
    }

    @Test
    void badHeaderChecksumIsReportedAtItsOffset() {
        byte[] b = ping();
        b[8] = 63; // TTL changed without updating the checksum
        ParseError e = error(b);
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_CHECKSUM);
        assertThat(e.field()).isEqualTo("ipv4.checksum");
        assertThat(e.offset()).isEqualTo(10);
    }

    @Test
    void optionsAreKeptAndCoveredByTheChecksum() {
        Ipv4Header h = Ipv4Header.builder(Ipv4Address.of("198.18.0.1"), Ipv4Address.of("198.18.0.2"), 17)
                .options(Bytes.of(0x94, 0x04, 0, 0)) // router alert (RFC 2113)
                .payloadLength(0)
                .build();
        byte[] b = h.encode();
        assertThat(b[0]).isEqualTo((byte) 0x46);
        Ipv4Header back = Ipv4Header.parse(b, 0, b.length).value();
        assertThat(back.options()).isEqualTo(Bytes.of(0x94, 0x04, 0, 0));
        b[22] = 1;
        assertThat(Ipv4Header.parse(b, 0, b.length).error().kind()).isEqualTo(ParseError.Kind.BAD_CHECKSUM);
    }

    @Test
    void anOffsetIntoALargerBufferIsHonoured() {
        byte[] big = new byte[200];
        System.arraycopy(Captures.PING_V4, 0, big, 37, 84);
        Ipv4Packet p = Ipv4Packet.parse(big, 37, 84).value();
        assertThat(p.encode()).isEqualTo(Captures.PING_V4);
        assertThat(IpPacket.parse(big, 37, 84).value()).isEqualTo(p);
        assertThat(IpPacket.parse(big, 0, 0).error().kind()).isEqualTo(ParseError.Kind.TRUNCATED);
    }

    @Test
    void aSliceOutsideTheArrayIsACallerBugNotAParseError() {
        byte[] b = Captures.PING_V4;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ipv4Packet.parse(b, 10, b.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TcpSegment.parseUnverified(b, -1, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
