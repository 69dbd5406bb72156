package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** tshark and capinfos open what {@link PcapWriter} and {@link PcapngWriter} write, and decode the packets. */
class ToolsReadOurWritersTest {
    private static final long T0 = 1_767_225_600_123_456_789L;

    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        ExternalTools.require("tshark", "capinfos");
    }

    @ParameterizedTest
    @EnumSource(TimestampPrecision.class)
    void pcapWriterOutput(TimestampPrecision precision) throws Exception {
        Path file = dir.resolve("raw-" + precision + ".pcap");
        byte[] big = CaptureBytes.ipv4Udp(64_000, 9); // a GRO-sized datagram
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
                PcapWriter w = PcapWriter.open(os, PcapWriter.Options.DEFAULT.withPrecision(precision))) {
            w.write(T0, CaptureBytes.ipv4Udp(10, 1));
            w.write(T0 + 1_001, CaptureBytes.ipv6Udp(20));
            w.write(T0 + 2_000_000_000L, big);
        }

        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, file);
        assertThat(c.packets()).hasSize(3);
        ExternalTools.Result verbose = ExternalTools.run(dir, "tshark", "-n", "-r", file.toString(), "-V");
        assertThat(ExternalTools.meaningfulStderr(verbose)).isEmpty();
        assertThat(verbose.stdout())
                .contains("Internet Protocol Version 4, Src: 198.18.0.1, Dst: 198.18.0.2")
                .contains("Internet Protocol Version 6, Src: fd00:5a::1, Dst: fd00:5a::2")
                .contains("User Datagram Protocol, Src Port: 7, Dst Port: 7")
                .doesNotContain("Malformed");
        ExternalTools.Result info = ExternalTools.run(dir, "capinfos", file.toString());
        assertThat(info.stdout())
                .containsPattern("Number of packets:\\s+3")
                .contains("Raw IP")
                .contains(precision == TimestampPrecision.NANOSECONDS ? "nanosecond pcap" : "- pcap");
    }

    @Test
    void pcapWriterWithEthernetLinkType() throws Exception {
        Path file = dir.resolve("eth.pcap");
        byte[] frame = CaptureBytes.concat(
                HexFormat.of().parseHex("020000000002020000000001" + "0800"), CaptureBytes.ipv4Udp(4, 2));
        try (OutputStream os = Files.newOutputStream(file);
                PcapWriter w = PcapWriter.open(os, PcapWriter.Options.DEFAULT.withLinkType(LinkType.ETHERNET))) {
            w.write(T0, frame);
        }
        TsharkComparison.assertReaderAgrees(dir, file);
        ExternalTools.Result verbose = ExternalTools.run(dir, "tshark", "-n", "-r", file.toString(), "-V");
        assertThat(verbose.stdout())
                .contains("Ethernet II, Src: 02:00:00:00:00:01")
                .contains("Src: 198.18.0.1");
    }

    @Test
    void pcapngWriterOutputWithOneInterfacePerHost() throws Exception {
        Path file = dir.resolve("sim.pcapng");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
                PcapngWriter w = PcapngWriter.open(os)) {
            int a = w.addInterface("host-a", LinkType.RAW);
            int b = w.addInterface("host-b", LinkType.RAW);
            byte[] p = CaptureBytes.ipv4Udp(30, 1);
            w.write(a, 0, p, Direction.OUTBOUND); // virtual time starts at 0
            w.write(b, 1_500_000, p, Direction.INBOUND);
            int c = w.addInterface("router", LinkType.LINUX_SLL2); // interfaces may be added later
            byte[] sll2 = CaptureBytes.concat(
                    HexFormat.of().parseHex("86dd" + "0000" + "00000003" + "fffe" + "00" + "00" + "0000000000000000"),
                    CaptureBytes.ipv6Udp(5));
            w.write(c, 2_000_000, sll2);
            w.write(b, T0, CaptureBytes.ipv6Udp(0), Direction.OUTBOUND);
        }

        CaptureReader.Capture read = TsharkComparison.assertReaderAgrees(dir, file);
        assertThat(read.interfaces()).extracting(InterfaceInfo::name).containsExactly("host-a", "host-b", "router");
        ExternalTools.Result verbose = ExternalTools.run(dir, "tshark", "-n", "-r", file.toString(), "-V");
        assertThat(ExternalTools.meaningfulStderr(verbose)).isEmpty();
        assertThat(verbose.stdout())
                .contains("Interface name: host-a")
                .contains("Interface name: router")
                .contains("Direction: Outbound")
                .contains("Direction: Inbound")
                .contains("Linux cooked capture v2")
                .contains("Internet Protocol Version 6, Src: fd00:5a::1")
                .doesNotContain("Malformed");
        ExternalTools.Result info = ExternalTools.run(dir, "capinfos", file.toString());
        assertThat(info.stdout())
                .containsPattern("Number of packets:\\s+4")
                .containsPattern("Number of interfaces in file:\\s+3")
                .contains("pcapng")
                .containsPattern("Capture application:\\s+sansnet");
    }
}
