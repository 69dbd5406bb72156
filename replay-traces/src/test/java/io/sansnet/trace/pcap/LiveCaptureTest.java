package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.trace.tcp.Side;
import io.sansnet.trace.tcp.StreamAnomaly;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real captures made by tcpdump on loopback inside a throw-away network namespace (see {@code live-capture.sh}):
 * Ethernet on {@code lo}, Linux cooked v1 and v2 on {@code any}, with TCP segments far above a 1500-byte MTU.
 */
class LiveCaptureTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void capture() throws Exception {
        ExternalTools.require("tcpdump", "tshark", "editcap", "unshare", "ping", "socat", "ip");
        ExternalTools.requireRoot();
        Path script = dir.resolve("live-capture.sh");
        try (InputStream in = LiveCaptureTest.class.getResourceAsStream("live-capture.sh")) {
            Files.write(script, in.readAllBytes());
        }
        // tcpdump drops privileges to its own user before writing.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        ExternalTools.run(dir, "unshare", "--net", "sh", script.toString());
    }

    @Test
    void loopbackEthernetNanosecondCapture() throws Exception {
        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("lo.pcap"));
        assertThat(c.format()).contains(CaptureFormat.PCAP_NANOSECONDS);
        assertThat(c.interfaces().get(0).linkType()).isEqualTo(LinkType.ETHERNET);
        assertLooksLikeTheTraffic(c);
    }

    @Test
    void anyDeviceCookedV2Capture() throws Exception {
        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("sll2.pcap"));
        assertThat(c.interfaces().get(0).linkType()).isEqualTo(LinkType.LINUX_SLL2);
        assertLooksLikeTheTraffic(c);
    }

    @Test
    void anyDeviceCookedV1CaptureConvertedToPcapng() throws Exception {
        ExternalTools.run(dir, "editcap", "-F", "pcapng", "sll.pcap", "sll.pcapng");
        CaptureReader.Capture c = TsharkComparison.assertReaderAgrees(dir, dir.resolve("sll.pcapng"));
        assertThat(c.format()).contains(CaptureFormat.PCAPNG);
        assertThat(c.interfaces().get(0).linkType()).isEqualTo(LinkType.LINUX_SLL);
        assertLooksLikeTheTraffic(c);
    }

    /** Issue 6 acceptance 1 in small: our reassembled streams are what {@code tshark -z follow,tcp,raw} prints. */
    @Test
    void reassembledStreamsMatchTsharkFollow() throws Exception {
        Path file = dir.resolve("lo.pcap");
        TcpStreamReassembler r = TcpStreamReassembler.of(
                CaptureReader.readAll(Files.readAllBytes(file)).packets());
        TraceConnection bulk = r.connections().stream()
                .filter(c -> c.server().port() == 5001)
                .max(java.util.Comparator.comparingLong(c -> c.deliveredBytes(Side.CLIENT)))
                .orElseThrow();
        String k = ExternalTools.run(
                        dir,
                        "tshark",
                        "-n",
                        "-r",
                        file.toString(),
                        "-Y",
                        "tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.srcport=="
                                + bulk.client().port(),
                        "-T",
                        "fields",
                        "-e",
                        "tcp.stream")
                .lines()
                .get(0)
                .trim();
        ExternalTools.Result follow =
                ExternalTools.run(dir, "tshark", "-n", "-r", file.toString(), "-q", "-z", "follow,tcp,raw," + k);
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        boolean inBody = false;
        for (String line : follow.lines()) {
            if (line.startsWith("Node 1:")) {
                inBody = true;
            } else if (inBody && line.startsWith("=====")) {
                break;
            } else if (inBody && !line.isBlank()) {
                (line.startsWith("\t") ? server : client)
                        .writeBytes(HexFormat.of().parseHex(line.strip()));
            }
        }
        boolean clientGap =
                bulk.anomalies().stream().anyMatch(a -> a instanceof StreamAnomaly.Gap g && g.from() == Side.CLIENT);
        assertThat(bulk.sawSyn()).isTrue();
        assertThat(client.size()).as("tshark's client stream").isGreaterThan(100_000);
        if (clientGap) { // the capture lost packets (tcpdump drops under load): compare up to the gap
            assertThat(bulk.clientData().length).isLessThanOrEqualTo(client.size());
            assertThat(Arrays.copyOf(client.toByteArray(), bulk.clientData().length))
                    .isEqualTo(bulk.clientData());
        } else {
            assertThat(bulk.clientData()).isEqualTo(client.toByteArray());
        }
        assertThat(bulk.serverData()).isEqualTo(server.toByteArray());
    }

    private static void assertLooksLikeTheTraffic(CaptureReader.Capture c) {
        assertThat(c.packets()).isNotEmpty();
        assertThat(c.packets())
                .as("TCP segments larger than a 1500-byte MTU")
                .anySatisfy(p -> assertThat(p.capturedLength()).isGreaterThan(16_000));
        assertThat(c.packets())
                .as("IPv6 ping")
                .anySatisfy(p -> assertThat(p.decodeIp())
                        .isInstanceOfSatisfying(
                                LinkLayer.Decoded.Ip.class,
                                ip -> assertThat(ip.version()).isEqualTo(6)));
        for (CapturedPacket p : c.packets()) {
            assertThat(p.decodeIp()).as("%s", p).isInstanceOf(LinkLayer.Decoded.Ip.class);
        }
    }
}
