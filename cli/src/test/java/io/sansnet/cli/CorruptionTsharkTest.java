package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.fault.Delivery;
import io.sansnet.stack.fault.FaultModel;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.testkit.TestPackets;
import io.sansnet.trace.pcap.PcapWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault model's corruption as tshark sees it: with checksum validation on, tshark flags every corrupted packet as
 * a bad checksum and nothing else, and the same filter the real-peer tests use finds no clean packet. (Needs tshark;
 * skipped without it unless CI=true.)
 */
class CorruptionTsharkTest {

    static final String FLAGGED = "_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == 0"
            + " || udp.checksum.status == 0 || tcp.checksum.status == 0 || icmp.checksum.status == 0"
            + " || icmpv6.checksum.status == 0";

    @TempDir
    Path tmp;

    @Test
    void tsharkFlagsExactlyTheCorruptedPackets() throws Exception {
        Lab.requireTools("tshark");
        List<Function<byte[], byte[]>> kinds = List.of(
                b -> TestPackets.ipv4(17, TestPackets.udp(b)),
                b -> TestPackets.ipv4(6, TestPackets.tcp(b)),
                b -> TestPackets.ipv4(1, TestPackets.echo(8, b)),
                b -> TestPackets.ipv6(17, TestPackets.udp(b)),
                b -> TestPackets.ipv6(6, TestPackets.tcp(b)),
                b -> TestPackets.ipv6(58, TestPackets.echo(128, b)));
        FaultModel model = new FaultModel(FaultSpec.NONE.withCorrupt(0.3), new SplitMix64(2026));
        SplitMix64 sizes = new SplitMix64(1);
        Set<Integer> corrupted = new TreeSet<>();
        Path pcap = tmp.resolve("corrupt.pcap");
        int frame = 0;
        try (OutputStream out = Files.newOutputStream(pcap);
                PcapWriter w = PcapWriter.open(out)) {
            for (int i = 0; i < 600; i++) {
                byte[] payload = new byte[sizes.nextInt(1200)];
                sizes.nextBytes(payload);
                byte[] p = kinds.get(i % kinds.size()).apply(payload);
                for (Delivery d : model.apply(p)) {
                    frame++;
                    w.write(1_700_000_000_000_000_000L + frame * 1_000_000L, d.packet());
                    if (d.corrupted()) {
                        corrupted.add(frame);
                    }
                }
            }
        }
        assertThat(corrupted).hasSizeBetween(120, 240);
        Lab.Result r = Lab.run(
                Duration.ofSeconds(60),
                "tshark",
                "-n",
                "-r",
                pcap.toString(),
                "-o",
                "ip.check_checksum:TRUE",
                "-o",
                "udp.check_checksum:TRUE",
                "-o",
                "tcp.check_checksum:TRUE",
                "-Y",
                FLAGGED,
                "-T",
                "fields",
                "-e",
                "frame.number");
        assertThat(r.exit()).as(r.describe()).isZero();
        Set<Integer> flagged = r.out()
                .lines()
                .filter(l -> !l.isBlank())
                .map(l -> Integer.parseInt(l.trim()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(flagged).as(r.describe()).isEqualTo(corrupted);
    }
}
