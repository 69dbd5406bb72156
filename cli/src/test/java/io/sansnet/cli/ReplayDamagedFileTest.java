package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.CapturedPacket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sansnet replay} on damaged and missing files: a truncated capture still summarises (and extracts) every
 * packet before the damage and names its byte offset, exit 1; an unreadable file exits 3. No external tool needed.
 */
class ReplayDamagedFileTest {

    @TempDir
    Path tmp;

    @Test
    void truncatedTraceSummarisesItsLeadingPackets() throws Exception {
        for (String name : List.of("socat-impaired.pcap", "http-tun.pcapng")) {
            Path full = ReplayCorpusTest.corpus().resolve(name);
            byte[] bytes = Files.readAllBytes(full);
            List<CapturedPacket> packets = CaptureReader.readAll(bytes).packets();
            // Cut inside the record of a packet about 60% into the file: that record is the damage.
            CapturedPacket cutInside = packets.get(packets.size() * 6 / 10);
            int cut = (int) cutInside.fileOffset() + 7;
            Path truncated = tmp.resolve("cut-" + name);
            Files.write(truncated, Arrays.copyOf(bytes, cut));
            long before = cutInside.frameNumber() - 1;

            Path fullDir = tmp.resolve("full-" + name);
            Path cutDir = tmp.resolve("cut-dir-" + name);
            ReplayCorpusTest.Run whole = ReplayCorpusTest.replay(full.toString(), "--extract", fullDir.toString());
            ReplayCorpusTest.Run run = ReplayCorpusTest.replay(truncated.toString(), "--extract", cutDir.toString());
            String context = run.out() + "\n" + run.err();

            assertThat(whole.exit()).as(whole.out() + whole.err()).isZero();
            assertThat(run.exit()).as(context).isEqualTo(Main.EXIT_CHECK_FAILED);
            assertThat(run.out())
                    .as(context)
                    .contains("packets: " + before + " (")
                    .contains("connection 1: ");
            assertThat(run.err())
                    .as(context)
                    .contains("is damaged")
                    .contains("byte offset " + cutInside.fileOffset())
                    .contains("the " + before + " packet(s) before it are summarised");
            // What was extracted is a proper prefix of the whole capture's streams.
            byte[] wholeServer = Files.readAllBytes(fullDir.resolve("1.server.bin"));
            byte[] wholeClient = Files.readAllBytes(fullDir.resolve("1.client.bin"));
            byte[] longer = wholeServer.length > wholeClient.length ? wholeServer : wholeClient;
            byte[] part = Files.readAllBytes(cutDir.resolve(longer == wholeServer ? "1.server.bin" : "1.client.bin"));
            assertThat(part.length).as(context).isPositive().isLessThan(longer.length);
            assertThat(Arrays.copyOf(longer, part.length)).as(context).isEqualTo(part);
        }
    }

    @Test
    void notACaptureIsDamagedAndAMissingFileIsAnEnvironmentError() throws Exception {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "this is not a capture file at all");
        ReplayCorpusTest.Run bad = ReplayCorpusTest.replay(text.toString());
        assertThat(bad.exit()).as(bad.err()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(bad.out()).contains("packets: 0 ");
        assertThat(bad.err()).contains("not a pcap or pcapng file").contains("byte offset 0");

        ReplayCorpusTest.Run missing =
                ReplayCorpusTest.replay(tmp.resolve("absent.pcap").toString());
        assertThat(missing.exit()).as(missing.err()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(missing.err()).contains("absent.pcap").contains("no such file");

        ReplayCorpusTest.Run directory = ReplayCorpusTest.replay(tmp.toString());
        assertThat(directory.exit()).as(directory.err()).isEqualTo(Main.EXIT_ENVIRONMENT);
    }

    @Test
    void extractWritesNumberedStreamsOfTheWholeTransfer() throws Exception {
        Path dir = tmp.resolve("x");
        ReplayCorpusTest.Run run = ReplayCorpusTest.replay(
                ReplayCorpusTest.corpus().resolve("socat-clean.pcap").toString(), "--extract", dir.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        // The capture script sends random.Random(1).randbytes(786432) from the client; the server sends nothing.
        assertThat(Files.size(dir.resolve("1.client.bin"))).isEqualTo(786_432L);
        assertThat(Files.size(dir.resolve("1.server.bin"))).isZero();
        assertThat(run.out())
                .contains("client->server: 786432 bytes (FIN)")
                .contains("anomalies: retransmissions 0, out-of-order 0, gaps 0, overlaps 0, bad checksums 0");
    }
}
