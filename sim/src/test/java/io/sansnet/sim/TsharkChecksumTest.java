package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4: tshark reads the capture of a faulty run with checksum validation on and flags exactly the corrupted
 * packets (as the receiving host saw them) as bad checksums, and nothing else. Needs tshark: skipped without it,
 * failed without it when CI=true.
 */
class TsharkChecksumTest {

    @TempDir
    Path dir;

    @Test
    void tsharkFlagsExactlyTheCorruptedPackets() throws Exception {
        Path tshark = findTshark();
        for (String scenario : List.of("udp-echo", "ping")) {
            Path pcap = dir.resolve(scenario + ".pcapng");
            Set<byte[]> corrupted = Collections.newSetFromMap(new IdentityHashMap<>());
            List<Integer> expected = new ArrayList<>();
            int[] frame = {0};
            ScenarioResult r;
            try (OutputStream out = Files.newOutputStream(pcap)) {
                // MTU 9000: no fragments, so every corrupted packet is checked on its own frame
                r = ScenarioRunner.run(
                        new ScenarioRunner.Request(
                                Scenarios.byName(scenario).orElseThrow(),
                                11,
                                new FaultPlan.Overrides(0.1, 0.1, 0.1, 0.2, null, null, null, 9000, List.of()),
                                new ScenarioOptions(60)),
                        sim -> {
                            sim.log().addListener(e -> {
                                if (e.kind() == EventKind.CORRUPT) {
                                    corrupted.add(e.bytes());
                                }
                            });
                            Capture.attach(sim, out, Capture.Format.PCAPNG);
                            sim.addObserver((t, node, dir, bytes) -> {
                                frame[0]++;
                                if (dir == PacketObserver.Direction.IN && corrupted.contains(bytes)) {
                                    expected.add(frame[0]);
                                }
                            });
                        });
            }
            assertThat(r.passed()).as(r.outcome()).isTrue();
            assertThat(r.stats().corrupted()).isGreaterThan(5);
            assertThat(expected).hasSize((int) r.stats().corrupted());

            Process p = new ProcessBuilder(
                            tshark.toString(),
                            "-r",
                            pcap.toString(),
                            "-o",
                            "ip.check_checksum:TRUE",
                            "-o",
                            "udp.check_checksum:TRUE",
                            "-o",
                            "tcp.check_checksum:TRUE",
                            "-Y",
                            "ip.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0"
                                    + " || icmpv6.checksum.status == 0 || _ws.malformed",
                            "-T",
                            "fields",
                            "-e",
                            "frame.number")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("tshark exit status").isZero();
            Set<Integer> flagged = new TreeSet<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    flagged.add(Integer.parseInt(line.strip()));
                }
            }
            assertThat(flagged).as(scenario).containsExactlyElementsOf(new TreeSet<>(expected));
        }
    }

    private static Path findTshark() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, "tshark");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("tshark is required when CI=true (apt-get install tshark)");
        }
        Assumptions.abort("tshark is not installed: skipping the capture validation");
        return null;
    }
}
