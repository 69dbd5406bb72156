package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.rand.SplitMix64;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by Wireshark's tools (text2pcap, editcap, mergecap) from frames of every supported link type: our
 * reader sees what tshark sees, frame by frame.
 */
class ReaderAgreesWithToolsTest {
    private static final int[] LINK_TYPES = {
        LinkType.RAW, LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP
    };
    private static final long BASE_SECONDS = 1_767_225_600L; // 2026-01-01T00:00:00Z

    @TempDir
    static Path dir;

    /** The frames written into {@code <linktype>.pcap}, per link type. */
    private static final List<List<byte[]>> FRAMES = new ArrayList<>();

    @BeforeAll
    static void writeWithText2pcap() throws Exception {
        ExternalTools.require("text2pcap", "editcap", "mergecap", "tshark", "capinfos");
        SplitMix64 rnd = new SplitMix64(0x5a5a_2026L);
        for (int t = 0; t < LINK_TYPES.length; t++) {
            int lt = LINK_TYPES[t];
            List<byte[]> frames = new ArrayList<>();
            StringBuilder dump = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                boolean v6 = rnd.nextBoolean();
                // One large segment per file, as GRO/TSO leave in real captures.
                int payload = i == 3 ? 60_000 + rnd.nextInt(5_000) : rnd.nextInt(1_400);
                byte[] ip = v6 ? CaptureBytes.ipv6Udp(payload) : CaptureBytes.ipv4Udp(payload, i);
                byte[] frame = CaptureBytes.concat(linkHeader(lt, v6, i), ip);
                frames.add(frame);
                // Distinct times across files so mergecap's chronological merge has one order.
                Instant at = Instant.ofEpochSecond(BASE_SECONDS + i, t * 1_000_000L + rnd.nextInt(1_000_000) * 1_000L);
                dump.append(at).append('\n').append(hexdump(frame));
            }
            FRAMES.add(frames);
            Path txt = dir.resolve(lt + ".txt");
            Files.writeString(txt, dump.toString());
            ExternalTools.run(
                    dir,
                    "text2pcap",
                    "-q",
                    "-t",
                    "ISO",
                    "-l",
                    Integer.toString(lt),
                    "-F",
                    "pcap",
                    txt.toString(),
                    dir.resolve(lt + ".pcap").toString());
        }
    }

    /** Link-layer header for frame {@code i}: Ethernet alternates no tag, 802.1Q and QinQ. */
    private static byte[] linkHeader(int linkType, boolean v6, int i) {
        HexFormat hex = HexFormat.of();
        String etherType = v6 ? "86dd" : "0800";
        return switch (linkType) {
            case LinkType.RAW -> new byte[0];
            case LinkType.ETHERNET ->
                hex.parseHex("020000000002" + "020000000001"
                        + (i % 3 == 1 ? "81000064" : i % 3 == 2 ? "88a800c881000064" : "") + etherType);
            case LinkType.LINUX_SLL -> hex.parseHex("0004" + "0001" + "0006" + "0200000000010000" + etherType);
            case LinkType.LINUX_SLL2 ->
                hex.parseHex(etherType + "0000" + "00000002" + "0001" + "00" + "06" + "0200000000010000");
            case LinkType.NULL -> hex.parseHex(v6 ? "1e000000" : "02000000"); // little-endian host
            case LinkType.LOOP -> hex.parseHex(v6 ? "00000018" : "00000002");
            default -> throw new IllegalArgumentException("link type " + linkType);
        };
    }

    private static String hexdump(byte[] frame) {
        StringBuilder b = new StringBuilder();
        for (int off = 0; off < frame.length; off += 16) {
            b.append(String.format("%06x ", off));
            for (int k = off; k < Math.min(frame.length, off + 16); k++) {
                b.append(String.format(" %02x", frame[k] & 0xFF));
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Test
    void classicPcapOfEachLinkTypeHoldsTheFramesText2pcapWasGiven() throws IOException {
        for (int t = 0; t < LINK_TYPES.length; t++) {
            CaptureReader.Capture c = CaptureReader.readAll(Files.readAllBytes(dir.resolve(LINK_TYPES[t] + ".pcap")));
            assertThat(c.error()).isEmpty();
            assertThat(c.format()).contains(CaptureFormat.PCAP_MICROSECONDS);
            assertThat(c.interfaces().get(0).linkType()).isEqualTo(LINK_TYPES[t]);
            assertThat(c.packets()).extracting(CapturedPacket::data).containsExactlyElementsOf(FRAMES.get(t));
            for (CapturedPacket p : c.packets()) {
                assertThat(p.decodeIp()).isInstanceOf(LinkLayer.Decoded.Ip.class);
            }
        }
    }

    @Test
    void mergecapPcapngWithOneInterfacePerLinkTypeMatchesTshark() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mergecap", "-F", "pcapng", "-w", "all.pcapng"));
        for (int lt : LINK_TYPES) {
            cmd.add(lt + ".pcap");
        }
        ExternalTools.run(dir, cmd.toArray(String[]::new));

        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("all.pcapng"));

        assertThat(c.format()).contains(CaptureFormat.PCAPNG);
        assertThat(c.interfaces())
                .extracting(InterfaceInfo::linkType)
                .containsExactlyInAnyOrder(
                        LINK_TYPES[0], LINK_TYPES[1], LINK_TYPES[2], LINK_TYPES[3], LINK_TYPES[4], LINK_TYPES[5]);
        assertThat(c.packets()).hasSize(6 * LINK_TYPES.length);
        assertThat(c.packets()).anySatisfy(p -> assertThat(p.capturedLength()).isGreaterThan(60_000));
    }

    @Test
    void editcapNanosecondPcapMatchesTshark() throws Exception {
        ExternalTools.run(dir, "editcap", "-F", "nsecpcap", LinkType.LINUX_SLL2 + ".pcap", "sll2-ns.pcap");
        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("sll2-ns.pcap"));
        assertThat(c.format()).contains(CaptureFormat.PCAP_NANOSECONDS);
        assertThat(c.packets()).extracting(CapturedPacket::data).containsExactlyElementsOf(FRAMES.get(3));
    }

    @Test
    void editcapSnapLengthTruncationMatchesTshark() throws Exception {
        ExternalTools.run(dir, "editcap", "-s", "40", LinkType.ETHERNET + ".pcap", "eth-s40.pcap");
        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("eth-s40.pcap"));
        assertThat(c.packets()).allSatisfy(p -> assertThat(p.capturedLength()).isLessThanOrEqualTo(40));
        assertThat(c.packets()).allSatisfy(p -> assertThat(p.isTruncated()).isTrue());
    }

    @Test
    void text2pcapPcapngWithDirectionsMatchesTshark() throws Exception {
        StringBuilder dump = new StringBuilder();
        List<byte[]> frames = FRAMES.get(0);
        for (int i = 0; i < frames.size(); i++) {
            dump.append(i % 2 == 0 ? "I " : "O ")
                    .append(Instant.ofEpochSecond(BASE_SECONDS + i, 123_456_789L))
                    .append('\n')
                    .append(hexdump(frames.get(i)));
        }
        Files.writeString(dir.resolve("dir.txt"), dump.toString());
        ExternalTools.run(
                dir,
                "text2pcap",
                "-q",
                "-D",
                "-t",
                "ISO",
                "-l",
                "101",
                "-F",
                "pcapng",
                "-N",
                "tun0",
                "dir.txt",
                "dir.pcapng");

        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("dir.pcapng"));

        assertThat(c.interfaces())
                .singleElement()
                .satisfies(i -> assertThat(i.name()).isEqualTo("tun0"));
        assertThat(c.packets())
                .extracting(CapturedPacket::direction)
                .containsExactly(
                        Direction.INBOUND,
                        Direction.OUTBOUND,
                        Direction.INBOUND,
                        Direction.OUTBOUND,
                        Direction.INBOUND,
                        Direction.OUTBOUND);
        assertThat(c.packets().get(0).timestampNanos()).isEqualTo(BASE_SECONDS * 1_000_000_000L + 123_456_789L);
    }

    @Test
    void nullHeaderFromABigEndianHostStillDecodes() {
        // Wireshark's text2pcap cannot write a big-endian file; the NULL header's own byte order is checked here.
        byte[] frame = CaptureBytes.concat(HexFormat.of().parseHex("00000002"), CaptureBytes.ipv4Udp(1, 1));
        LinkLayer.Decoded d = LinkLayer.decode(LinkType.NULL, frame);
        assertThat(d).isInstanceOf(LinkLayer.Decoded.Ip.class);
        assertThat(((LinkLayer.Decoded.Ip) d).packet()).isEqualTo(ByteBuffer.wrap(CaptureBytes.ipv4Udp(1, 1)));
    }
}
