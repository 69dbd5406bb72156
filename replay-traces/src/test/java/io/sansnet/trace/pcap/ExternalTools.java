package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs Wireshark's and tcpdump's command-line tools for interoperability tests. */
final class ExternalTools {
    private static final long TIMEOUT_SECONDS = 120;

    private ExternalTools() {}

    /** Whether the tests run in CI, where a missing tool or capability fails instead of skipping. */
    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test (fails it in CI) unless every tool is on the PATH. */
    static void require(String... tools) {
        for (String tool : tools) {
            if (!onPath(tool)) {
                String msg = tool + " is not installed (apt-get install tshark tcpdump); interoperability test skipped";
                if (inCi()) {
                    fail(msg + " — but CI=true, where it must run");
                }
                Assumptions.abort(msg);
            }
        }
    }

    /** Skips the test (fails it in CI) unless running as root, for captures inside a new network namespace. */
    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            String msg = "live capture needs root (unshare --net, tcpdump); skipped";
            if (inCi()) {
                fail(msg + " — but CI=true, where it must run");
            }
            Assumptions.abort(msg);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitCode, String stdout, String stderr) {
        /** stdout lines, without the final empty one. */
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /** Runs a command and returns its output; fails the test if it exits with an error. */
    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Result r = runAllowingFailure(dir, command);
        assertThat(r.exitCode())
                .as("%s exited with %d; stderr:%n%s", String.join(" ", command), r.exitCode(), r.stderr())
                .isZero();
        return r;
    }

    static Result runAllowingFailure(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** stderr without tshark's warning about running as root. */
    static String meaningfulStderr(Result r) {
        StringBuilder b = new StringBuilder();
        for (String line : r.stderr().split("\n")) {
            if (!line.isBlank() && !line.startsWith("Running as user")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }
}
