package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CaptureFormat;
import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sansnet replay --drive server|client} on the committed corpus (acceptance 2): exit 0 with a match for every
 * trace and both modes; exit 1 naming the packet when a payload byte of the capture file was changed: with its TCP
 * checksum left failing (a hex editor) on its own, with the checksum fixed when the untouched capture's streams are
 * given with {@code --expect}.
 */
class ReplayDriveTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> tracesAndModes() throws IOException {
        return ReplayCorpusTest.traces().flatMap(t -> Stream.of(Arguments.of(t, "server"), Arguments.of(t, "client")));
    }

    @ParameterizedTest(name = "{0} --drive {1}")
    @MethodSource("tracesAndModes")
    void everyCorpusTraceMatches(Path trace, String mode) {
        ReplayCorpusTest.Run run = ReplayCorpusTest.replay(trace.toString(), "--drive", mode);
        String context = "stdout:\n" + run.out() + "\nstderr:\n" + run.err();

        assertThat(run.exit()).as(context).isZero();
        assertThat(run.out()).as(context).contains("drive " + mode + " connection 1: match (");
        assertThat(run.out()).as(context).containsPattern("drive " + mode + ": [1-9]\\d* matched, 0 diverged");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"socat-clean.pcap", "http-tun.pcapng"})
    void alteredPayloadDivergesAtItsPacket(String name) throws IOException {
        Path trace = ReplayCorpusTest.corpus().resolve(name);
        Path truth = tmp.resolve("truth");
        assertThat(ReplayCorpusTest.replay(trace.toString(), "--extract", truth.toString())
                        .exit())
                .isZero();
        Path altered = tmp.resolve("altered-" + name);
        // the data goes to socat's port 5001 and comes from the HTTP server's port 8080
        long frame = alterThirtiethDataPacket(trace, altered, name.startsWith("socat") ? 5001 : 8080, name, true);

        for (String mode : new String[] {"server", "client"}) {
            ReplayCorpusTest.Run run = ReplayCorpusTest.replay(
                    altered.toString(), "--drive", mode, "--expect", truth.toString(), "--connection", "1");
            String context = mode + "\nstdout:\n" + run.out() + "\nstderr:\n" + run.err();
            assertThat(run.exit()).as(context).isEqualTo(Main.EXIT_CHECK_FAILED);
            assertThat(run.out()).as(context).contains("connection 1: DIVERGED at packet " + frame + " ");
            assertThat(run.out()).as(context).contains("drive " + mode + ": 0 matched, 1 diverged");
        }
        // without the true streams the altered capture is a consistent conversation of its own
        assertThat(ReplayCorpusTest.replay(altered.toString(), "--drive", "server")
                        .exit())
                .isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"socat-clean.pcap", "socat-impaired.pcap", "http-any.pcap", "http-tun.pcapng"})
    void payloadEditedWithoutFixingTheChecksumDivergesAtItsPacket(String name) throws IOException {
        Path trace = ReplayCorpusTest.corpus().resolve(name);
        Path altered = tmp.resolve("hex-edited-" + name);
        long frame = alterThirtiethDataPacket(trace, altered, name.startsWith("socat") ? 5001 : 8080, name, false);

        for (String mode : new String[] {"server", "client"}) {
            ReplayCorpusTest.Run run = ReplayCorpusTest.replay(altered.toString(), "--drive", mode);
            String context = mode + "\nstdout:\n" + run.out() + "\nstderr:\n" + run.err();
            assertThat(run.exit()).as(context).isEqualTo(Main.EXIT_CHECK_FAILED);
            assertThat(run.out())
                    .as(context)
                    .containsPattern("drive " + mode + " connection 1: DIVERGED at packet " + frame
                            + " \\(t=[0-9.]+ s\\): corrupt capture: the (replayed|replaced) (client|server)'s segment"
                            + " \\(seq \\d+, \\d+ payload bytes\\) fails its TCP checksum");
            assertThat(run.out()).as(context).contains("drive " + mode + ": 0 matched, 1 diverged");
        }
    }

    @Test
    void usageErrors() {
        Path trace = ReplayCorpusTest.corpus().resolve("http-tun.pcapng");
        assertThat(ReplayCorpusTest.replay(trace.toString(), "--drive", "sideways")
                        .exit())
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(ReplayCorpusTest.replay(trace.toString(), "--connection", "1")
                        .exit())
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(ReplayCorpusTest.replay(trace.toString(), "--drive", "client", "--connection", "0")
                        .exit())
                .isEqualTo(Main.EXIT_USAGE);
        ReplayCorpusTest.Run missing =
                ReplayCorpusTest.replay(trace.toString(), "--drive", "client", "--connection", "2");
        assertThat(missing.exit()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(missing.out()).contains("no connection 2 (the trace has 1)");
    }

    /**
     * Copies {@code trace} to {@code out} with one payload byte of the 30th data segment sent from or to {@code port}
     * inverted and, when {@code fixChecksum}, that segment's TCP checksum recomputed (else left as a hex editor leaves
     * it: failing); returns its packet number.
     */
    private static long alterThirtiethDataPacket(Path trace, Path out, int port, String name, boolean fixChecksum)
            throws IOException {
        byte[] file = Files.readAllBytes(trace);
        CaptureReader.Capture c = CaptureReader.readAll(file);
        int recordHeader = c.format().orElseThrow() == CaptureFormat.PCAPNG ? 28 : 16;
        int seen = 0;
        for (CapturedPacket p : c.packets()) {
            LinkLayer.Decoded.Ip d = (LinkLayer.Decoded.Ip) p.decodeIp();
            byte[] ipBytes = d.bytes();
            IpPacket ip = ((Parsed.Ok<IpPacket>) IpPacket.parse(ipBytes, 0, ipBytes.length)).value();
            byte[] tcp = ip.payload().toArray();
            TcpSegment seg = ((Parsed.Ok<TcpSegment>) TcpSegment.parse(tcp, 0, tcp.length, ip.pseudoHeader())).value();
            boolean data = seg.header().srcPort() == port || seg.header().dstPort() == port;
            if (!data || seg.payload().length() < 100 || ++seen < 30) {
                continue;
            }
            int tcpAt = (int) p.fileOffset() + recordHeader + d.linkHeaderLength() + (ip.length() - tcp.length);
            tcp[seg.header().length() + 50] ^= (byte) 0xFF;
            TcpSegment changed = ((Parsed.Ok<TcpSegment>) TcpSegment.parseUnverified(tcp, 0, tcp.length)).value();
            byte[] fixed = fixChecksum ? changed.encode(ip.pseudoHeader()) : tcp;
            System.arraycopy(fixed, 0, file, tcpAt, fixed.length);
            Files.write(out, file);
            // the copy still reads cleanly and the segment's checksum verifies exactly when it was fixed
            CaptureReader.Capture check = CaptureReader.readAll(Files.readAllBytes(out));
            assertThat(check.error()).isEmpty();
            assertThat(check.packets()).hasSameSizeAs(c.packets());
            byte[] checkIp = ((LinkLayer.Decoded.Ip)
                            check.packets().get((int) p.frameNumber() - 1).decodeIp())
                    .bytes();
            IpPacket checkPacket = ((Parsed.Ok<IpPacket>) IpPacket.parse(checkIp, 0, checkIp.length)).value();
            assertThat(TcpSegment.parse(checkPacket.payload(), checkPacket.pseudoHeader()))
                    .isInstanceOf(fixChecksum ? Parsed.Ok.class : Parsed.Err.class);
            return p.frameNumber();
        }
        throw new AssertionError("no 30th data packet from port " + port + " in " + name);
    }
}
