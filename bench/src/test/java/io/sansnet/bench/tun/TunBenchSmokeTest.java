package io.sansnet.bench.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link TunBench} once with a tiny transfer, so {@code mvn verify} catches a broken benchmark. No speed is
 * asserted: throughput is measured by {@code bench/run.sh tun}. Skipped without root, /dev/net/tun, ip, ss or socat,
 * unless CI=true (then it fails).
 */
class TunBenchSmokeTest {

    @Test
    void parsesByteCounts() {
        assertThat(TunBench.parseBytes("64K")).isEqualTo(65_536);
        assertThat(TunBench.parseBytes("256m")).isEqualTo(256L << 20);
        assertThat(TunBench.parseBytes("1G")).isEqualTo(1L << 30);
        assertThat(TunBench.parseBytes("1000")).isEqualTo(1000);
        assertThat(TunBench.gbps(125_000_000, 1_000_000_000L)).isEqualTo(1.0);
    }

    @Test
    void allThreePathsMoveATinyTransferAndTheNamespacesAreGone() throws Exception {
        requireRootAndTools();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TunBench.Report r = TunBench.run(64 * 1024, 1, new PrintStream(log, true, StandardCharsets.UTF_8));

        for (TunBench.Path p : List.of(r.kernelToSansnet(), r.sansnetToKernel(), r.kernelToKernel())) {
            assertThat(p.bytes()).isEqualTo(64 * 1024);
            assertThat(p.gbps()).hasSize(1).allMatch(g -> g > 0 && Double.isFinite(g));
        }
        assertThat(r.format()).contains("kernel->sansnet", "sansnet->kernel", "veth", "ratio");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("run 1: kernel->kernel (veth)");
        String namespaces = capture("ip", "netns", "list");
        assertThat(namespaces).doesNotContain("sbt" + ProcessHandle.current().pid());
    }

    private static void requireRootAndTools() throws Exception {
        List<String> missing = new ArrayList<>();
        if (!capture("id", "-u").trim().equals("0")) {
            missing.add("root");
        }
        if (!new File("/dev/net/tun").exists()) {
            missing.add("/dev/net/tun");
        }
        for (String tool : List.of("ip", "socat", "ss")) {
            if (capture("sh", "-c", "command -v " + tool).isBlank()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            String msg = "TunBench smoke test needs " + missing;
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (CI=true: must run, not skip)");
            }
            Assumptions.abort(msg + "; skipped");
        }
    }

    private static String capture(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
