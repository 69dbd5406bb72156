package io.sansnet.trace.pcap;

import static io.sansnet.trace.pcap.CaptureBytes.ipv4Udp;
import static io.sansnet.trace.pcap.CaptureBytes.ipv6Udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Files crafted byte by byte in both byte orders: every field lands where the format descriptions put it. */
class CaptureReaderFormatsTest {

    static Stream<Arguments> orders() {
        return Stream.of(Arguments.of(ByteOrder.BIG_ENDIAN), Arguments.of(ByteOrder.LITTLE_ENDIAN));
    }

    @ParameterizedTest
    @MethodSource("orders")
    void classicMicrosecondsInEitherByteOrder(ByteOrder order) {
        byte[] p1 = ipv4Udp(10, 1);
        byte[] p2 = ipv6Udp(3);
        byte[] file = CaptureBytes.pcap(order, false, LinkType.RAW, 65535)
                .record(1_700_000_000L, 123_456, p1, p1.length)
                .record(1_700_000_001L, 999_999, p2, 1500)
                .bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.error()).isEmpty();
        assertThat(c.format()).contains(CaptureFormat.PCAP_MICROSECONDS);
        assertThat(c.interfaces())
                .containsExactly(new InterfaceInfo(0, LinkType.RAW, 65535, "", TimestampResolution.MICROSECONDS, 0));
        assertThat(c.packets()).hasSize(2);
        CapturedPacket a = c.packets().get(0);
        assertThat(a.frameNumber()).isEqualTo(1);
        assertThat(a.fileOffset()).isEqualTo(24);
        assertThat(a.timestampNanos()).isEqualTo(1_700_000_000_123_456_000L);
        assertThat(a.data()).isEqualTo(p1);
        assertThat(a.originalLength()).isEqualTo(p1.length);
        assertThat(a.isTruncated()).isFalse();
        CapturedPacket b = c.packets().get(1);
        assertThat(b.frameNumber()).isEqualTo(2);
        assertThat(b.fileOffset()).isEqualTo(24 + 16 + p1.length);
        assertThat(b.timestampNanos()).isEqualTo(1_700_000_001_999_999_000L);
        assertThat(b.originalLength()).isEqualTo(1500);
        assertThat(b.isTruncated()).isTrue();
        assertThat(b.direction()).isEqualTo(Direction.UNKNOWN);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void classicNanosecondsInEitherByteOrder(ByteOrder order) {
        byte[] p = ipv4Udp(0, 9);
        byte[] file = CaptureBytes.pcap(order, true, LinkType.ETHERNET, 262144)
                .record(4_294_967_295L, 999_999_999, p, p.length)
                .bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.error()).isEmpty();
        assertThat(c.format()).contains(CaptureFormat.PCAP_NANOSECONDS);
        assertThat(c.packets()).singleElement().satisfies(pk -> {
            assertThat(pk.timestampNanos()).isEqualTo(4_294_967_295L * 1_000_000_000L + 999_999_999L);
            assertThat(pk.linkType()).isEqualTo(LinkType.ETHERNET);
        });
    }

    @Test
    void classicLinkTypeIgnoresFcsBits() {
        // draft-ietf-opsawg-pcap §4: the top bits of the LinkType field say whether frames carry an FCS.
        byte[] file = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 0x14000000 | LinkType.ETHERNET, 1514)
                .bytes();
        assertThat(CaptureReader.readAll(file).interfaces().get(0).linkType()).isEqualTo(LinkType.ETHERNET);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void pcapngSeveralInterfacesResolutionsAndDirections(ByteOrder order) {
        byte[] p1 = ipv4Udp(5, 1);
        byte[] p2 = ipv6Udp(7);
        byte[] p3 = ipv4Udp(1, 3);
        byte[] file = CaptureBytes.pcapng(order)
                .idb(LinkType.RAW, 0, "alice", 9, null) // nanoseconds
                .idb(LinkType.ETHERNET, 1514, null, null, null) // default: microseconds
                .idb(LinkType.LINUX_SLL2, 262144, "any", 0x80 | 20, 100L) // 2^-20 s, offset 100 s
                .epb(0, 1_700_000_000_123_456_789L, p1, p1.length, 1) // inbound
                .epb(1, 1_700_000_000_123_456L, p2, 9000, 2) // outbound
                .epb(2, (5L << 20) | (1L << 19), p3, p3.length, null) // 5.5 s (+100)
                .bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.error()).isEmpty();
        assertThat(c.format()).contains(CaptureFormat.PCAPNG);
        assertThat(c.interfaces()).hasSize(3);
        assertThat(c.interfaces().get(0).name()).isEqualTo("alice");
        assertThat(c.interfaces().get(0).resolution()).isEqualTo(TimestampResolution.NANOSECONDS);
        assertThat(c.interfaces().get(1).resolution()).isEqualTo(TimestampResolution.MICROSECONDS);
        assertThat(c.interfaces().get(2).resolution()).isEqualTo(new TimestampResolution(2, 20));
        assertThat(c.interfaces().get(2).timestampOffsetSeconds()).isEqualTo(100);
        List<CapturedPacket> ps = c.packets();
        assertThat(ps).hasSize(3);
        assertThat(ps.get(0).timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(ps.get(0).interfaceId()).isZero();
        assertThat(ps.get(0).direction()).isEqualTo(Direction.INBOUND);
        assertThat(ps.get(0).data()).isEqualTo(p1);
        assertThat(ps.get(1).timestampNanos()).isEqualTo(1_700_000_000_123_456_000L);
        assertThat(ps.get(1).linkType()).isEqualTo(LinkType.ETHERNET);
        assertThat(ps.get(1).originalLength()).isEqualTo(9000);
        assertThat(ps.get(1).direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(ps.get(2).timestampNanos()).isEqualTo(105_500_000_000L);
        assertThat(ps.get(2).interfaceId()).isEqualTo(2);
        assertThat(ps.get(2).direction()).isEqualTo(Direction.UNKNOWN);
        assertThat(ps.get(2).frameNumber()).isEqualTo(3);
    }

    @Test
    void pcapngPicosecondResolutionRoundsTowardsZero() {
        byte[] p = ipv4Udp(0, 1);
        byte[] file = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.RAW, 0, null, 12, null)
                .epb(0, 1_000_000_000_001_999L, p, p.length, null)
                .bytes();
        assertThat(CaptureReader.readAll(file).packets().get(0).timestampNanos())
                .isEqualTo(1_000_000_000_001L);
    }

    @Test
    void pcapngSimpleAndObsoletePacketBlocks() {
        byte[] p1 = ipv4Udp(20, 1); // 48 bytes
        byte[] p2 = ipv4Udp(0, 2);
        byte[] file = CaptureBytes.pcapng(ByteOrder.BIG_ENDIAN)
                .idb(LinkType.RAW, 40, null, null, null) // snap length 40
                .spb(p1.length, java.util.Arrays.copyOf(p1, 40))
                .opb(0, 2_000_001L, p2, p2.length)
                .bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.error()).isEmpty();
        assertThat(c.packets()).hasSize(2);
        CapturedPacket spb = c.packets().get(0);
        assertThat(spb.hasTimestamp()).isFalse();
        assertThat(spb.capturedLength()).isEqualTo(40);
        assertThat(spb.originalLength()).isEqualTo(48);
        assertThat(spb.data()).isEqualTo(java.util.Arrays.copyOf(p1, 40));
        assertThat(c.packets().get(1).timestampNanos()).isEqualTo(2_000_001_000L);
        assertThat(c.packets().get(1).data()).isEqualTo(p2);
    }

    @Test
    void pcapngUnknownBlocksAreSkipped() {
        byte[] p = ipv4Udp(3, 1);
        byte[] file = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN)
                .block(0x00000BAD, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}) // custom/unknown
                .idb(LinkType.RAW, 0, null, null, null)
                .block(4, new byte[4]) // name resolution block
                .block(5, new byte[12]) // interface statistics block
                .epb(0, 1, p, p.length, null)
                .block(0x40000BAD, new byte[0])
                .bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.error()).isEmpty();
        assertThat(c.packets())
                .singleElement()
                .satisfies(pk -> assertThat(pk.data()).isEqualTo(p));
    }

    @Test
    void pcapngSectionsRenumberInterfacesAndMaySwitchByteOrder() {
        byte[] p = ipv4Udp(1, 1);
        byte[] file = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.RAW, 0, "a", null, null)
                .idb(LinkType.RAW, 0, "b", null, null)
                .epb(1, 10, p, p.length, null)
                .shb(ByteOrder.BIG_ENDIAN)
                .idb(LinkType.ETHERNET, 0, "c", 9, null)
                .epb(0, 20, p, p.length, null)
                .bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.error()).isEmpty();
        assertThat(c.interfaces()).extracting(InterfaceInfo::name).containsExactly("a", "b", "c");
        assertThat(c.packets()).extracting(CapturedPacket::interfaceId).containsExactly(1, 2);
        assertThat(c.packets()).extracting(CapturedPacket::timestampNanos).containsExactly(10_000L, 20L);
        assertThat(c.packets().get(1).linkType()).isEqualTo(LinkType.ETHERNET);
    }

    @Test
    void pcapngPacketBlockNamingAnInterfaceOfAnotherSectionIsCorrupt() {
        byte[] p = ipv4Udp(1, 1);
        CaptureBytes b = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.RAW, 0, "a", null, null)
                .epb(0, 10, p, p.length, null)
                .shb(ByteOrder.LITTLE_ENDIAN);
        long badOffset = b.size();
        byte[] file = b.epb(0, 20, p, p.length, null).bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.packets()).hasSize(1);
        assertThat(c.error()).get().isInstanceOf(TraceError.Corrupt.class);
        assertThat(c.error().get().offset()).isEqualTo(badOffset);
        assertThat(c.error().get().message()).contains("interface 0").contains("section has 0");
    }

    /** GRO/TSO and BIG TCP leave segments of 64 KiB and more in captures of real hosts. */
    @ParameterizedTest
    @MethodSource("orders")
    void recordsFarAboveTheMtuAreReadWhole(ByteOrder order) {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 8));
        }
        big[0] = 0x45; // IPv4 with total length 0, as BIG TCP writes it
        big[2] = 0;
        big[3] = 0;
        byte[] gro = ipv4Udp(65_507, 4); // the largest IPv4 datagram
        byte[] pcap = CaptureBytes.pcap(order, true, LinkType.RAW, 262144)
                .record(1, 0, big, big.length)
                .record(2, 0, gro, gro.length)
                .bytes();
        byte[] ng = CaptureBytes.pcapng(order)
                .idb(LinkType.RAW, 0, null, 9, null)
                .epb(0, 1, big, big.length, null)
                .epb(0, 2, gro, gro.length, null)
                .bytes();
        for (byte[] file : List.of(pcap, ng)) {
            CaptureReader.Capture c = CaptureReader.readAll(file);
            assertThat(c.error()).isEmpty();
            assertThat(c.packets()).extracting(CapturedPacket::data).containsExactly(big, gro);
            assertThat(c.packets().get(1).decodeIp())
                    .isInstanceOfSatisfying(
                            LinkLayer.Decoded.Ip.class,
                            ip -> assertThat(ip.bytes()).isEqualTo(gro));
        }
    }

    @Test
    void streamingReaderRepeatsItsTerminalResult() {
        byte[] p = ipv4Udp(1, 1);
        byte[] file = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkType.RAW, 65535)
                .record(1, 0, p, p.length)
                .bytes();
        CaptureReader r = CaptureReader.of(file);
        assertThat(r.format()).isEmpty();
        assertThat(r.next()).isInstanceOf(ReadResult.Packet.class);
        assertThat(r.format()).contains(CaptureFormat.PCAP_MICROSECONDS);
        assertThat(r.next()).isEqualTo(new ReadResult.End(file.length));
        assertThat(r.next()).isEqualTo(new ReadResult.End(file.length));
    }
}
