package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sansnet.check.PropertyFailedError;
import io.sansnet.check.PropertyRunner;
import io.sansnet.sim.SimCheck;
import io.sansnet.sim.scenario.Scenarios;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimCommandTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        /** The key: value lines (the last value of a repeated key). */
        Map<String, String> fields() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                int c = line.indexOf(": ");
                if (c > 0) {
                    m.put(line.substring(0, c), line.substring(c + 2));
                }
            }
            return m;
        }
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static final List<String> KEYS = List.of(
            "scenario",
            "seed",
            "loss",
            "duplicate",
            "reorder",
            "corrupt",
            "latency",
            "jitter",
            "bandwidth",
            "mtu",
            "schedule",
            "virtual-time",
            "events",
            "wall-time",
            "sent",
            "lost",
            "duplicated",
            "reordered",
            "corrupted",
            "outcome",
            "fingerprint");

    @Test
    void simAloneIsAMeaningfulPassingRunWithTheFixedKeys() {
        Result r = run("sim");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(new ArrayList<>(r.fields().keySet())).containsExactlyElementsOf(KEYS);
        assertThat(r.fields().get("scenario")).isEqualTo("udp-echo");
        assertThat(r.fields().get("outcome")).isEqualTo("pass");
        assertThat(r.fields().get("fingerprint")).matches("[0-9a-f]{16}");
        assertThat(Long.parseLong(r.fields().get("sent"))).isPositive();
    }

    @Test
    void theSameFlagsGiveTheSameRunAndFilesAndGivenFlagsWin() throws Exception {
        Path ng1 = dir.resolve("a.pcapng");
        Path ng2 = dir.resolve("b.pcapng");
        Path classic = dir.resolve("c.pcap");
        Path trace = dir.resolve("t.txt");
        String[] common = {"sim", "--scenario", "ping", "--seed", "-42", "--loss", "0.25", "--latency", "3ms"};
        Result a = run(concat(common, "--pcap", ng1.toString(), "--trace", trace.toString()));
        Result b = run(concat(common, "--pcap", ng2.toString()));
        Result c = run(concat(common, "--pcap", classic.toString()));
        assertThat(a.exit()).as(a.out() + a.err()).isZero();
        assertThat(a.fields().get("fingerprint"))
                .isEqualTo(b.fields().get("fingerprint"))
                .isEqualTo(c.fields().get("fingerprint"));
        assertThat(a.fields().get("seed")).isEqualTo("-42");
        assertThat(a.fields().get("loss")).isEqualTo("0.25");
        assertThat(a.fields().get("latency")).isEqualTo("3ms");
        assertThat(Files.readAllBytes(ng1)).isEqualTo(Files.readAllBytes(ng2));
        assertThat(Files.readAllBytes(ng1)).startsWith(0x0A, 0x0D, 0x0D, 0x0A);
        assertThat(Files.readAllBytes(classic)).startsWith(0xD4, 0xC3, 0xB2, 0xA1);
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).isNotEmpty().allMatch(l -> l.matches("[0-9]+ \\S+ [a-z-]+ ([0-9a-f]+|-)"));
    }

    @Test
    void bulkTakesItsSizeFromBytesAndOnlyBulkTakesIt() {
        Result small = run("sim", "--scenario", "bulk", "--bytes", "4096", "--seed", "5", "--loss", "0.05");
        Result large = run("sim", "--scenario", "bulk", "--bytes", "65536", "--seed", "5", "--loss", "0.05");
        assertThat(small.exit()).as(small.out() + small.err()).isZero();
        assertThat(small.fields().get("scenario")).isEqualTo("bulk");
        assertThat(small.fields().get("outcome")).isEqualTo("pass");
        assertThat(large.exit()).as(large.out() + large.err()).isZero();
        // 16 times the data: clearly more packets.
        assertThat(Long.parseLong(large.fields().get("sent")))
                .isGreaterThan(4 * Long.parseLong(small.fields().get("sent")));
        assertUsage(run("sim", "--scenario", "udp-echo", "--bytes", "10"), "--bytes");
        assertUsage(run("sim", "--scenario", "bulk", "--bytes", "0"), "--bytes");
        assertUsage(run("sim", "--scenario", "bulk", "--bytes", "ten"), "--bytes");
    }

    @Test
    void theAttackScenariosTakeBytesToo() {
        for (String scenario : List.of("syn-flood", "rst-attack")) {
            Result small = run("sim", "--scenario", scenario, "--bytes", "4096", "--seed", "5", "--loss", "0");
            Result large = run("sim", "--scenario", scenario, "--bytes", "262144", "--seed", "5", "--loss", "0");
            assertThat(small.exit()).as(scenario + small.out() + small.err()).isZero();
            assertThat(small.fields().get("scenario")).isEqualTo(scenario);
            assertThat(small.fields().get("outcome")).isEqualTo("pass");
            assertThat(large.exit()).as(scenario + large.out() + large.err()).isZero();
            assertThat(Long.parseLong(large.fields().get("sent")))
                    .as(scenario)
                    .isGreaterThan(Long.parseLong(small.fields().get("sent")) + 100);
            assertUsage(run("sim", "--scenario", scenario, "--bytes", "0"), "--bytes");
        }
        assertUsage(run("sim", "--scenario", "handshake-storm", "--bytes", "10"), "--bytes");
    }

    @Test
    void jsonHasTheSameKeys() {
        Result r = run("sim", "--json", "--seed", "3");
        assertThat(r.exit()).isZero();
        String json = r.out().strip();
        assertThat(json).startsWith("{").endsWith("}");
        for (String k : KEYS) {
            assertThat(json).contains("\"" + k + "\": ");
        }
        assertThat(json).contains("\"seed\": 3,").contains("\"outcome\": \"pass\"");
    }

    @Test
    void aFailedInvariantExitsOneAndSaysHowToReplay() {
        Result r = run("sim", "--scenario", "udp-echo-broken", "--seed", "9", "--loss", "0", "--messages", "8");
        assertThat(r.exit()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(r.fields().get("outcome")).startsWith("fail: message 6 unanswered");
        assertThat(r.fields().get("violation")).contains("message 6");
        assertThat(r.fields().get("replay"))
                .isEqualTo("./sansnet sim --scenario udp-echo-broken --seed 9 --loss 0 --messages 8 --pcap"
                        + " udp-echo-broken-9.pcapng");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag() {
        assertUsage(run("sim", "--loss", "1.5"), "--loss");
        assertUsage(run("sim", "--latency", "20 minutes"), "--latency");
        assertUsage(run("sim", "--bandwidth", "fast"), "--bandwidth");
        assertUsage(run("sim", "--mtu", "100"), "--mtu");
        assertUsage(run("sim", "--scenario", "nope"), "--scenario");
        assertUsage(run("sim", "--schedule", "partition@sideways:1s-2s"), "--schedule");
        assertUsage(run("sim", "--seed", "x"), "--seed");
        assertUsage(run("sim", "--messages", "0"), "--messages");
    }

    private static void assertUsage(Result r, String flag) {
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains(flag);
    }

    @Test
    void anUnwritableCaptureIsAnEnvironmentError() {
        Result r = run("sim", "--pcap", dir.resolve("missing/dir/x.pcapng").toString());
        assertThat(r.exit()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(r.err()).contains("cannot write");
    }

    /**
     * Acceptance 3, end to end: a simulation property over the broken scenario fails; the {@code ./sansnet sim}
     * command in its report, run through the CLI, fails the same way with the reported fingerprint, and the shrunk
     * plan has every fault rate at 0.
     */
    @Test
    void theReplayCommandOfAFailedPropertyReproducesItsFailureAndFingerprint() {
        PropertyFailedError e = catchThrowableOfType(
                PropertyFailedError.class,
                () -> PropertyRunner.named("brokenEcho")
                        .tries(20)
                        .shrinkSteps(300)
                        .run(g -> SimCheck.assertScenario(
                                g, Scenarios.byName("udp-echo-broken").orElseThrow(), 30)));
        assertThat(e).isNotNull();
        String replay = last(Pattern.compile("replay: \\./sansnet (sim [^\\n]*)"), e.getMessage());
        String fingerprint = last(Pattern.compile("fingerprint: ([0-9a-f]{16})"), e.getMessage());
        String pcap = dir.resolve("replay.pcapng").toString();
        String[] args = replay.replaceAll("--pcap \\S+$", "--pcap " + pcap).split(" ");
        Result r = run(args);
        assertThat(r.exit()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(r.fields().get("fingerprint")).isEqualTo(fingerprint);
        assertThat(r.fields().get("outcome")).contains("message 6 unanswered");
        for (String rate : List.of("loss", "duplicate", "reorder", "corrupt")) {
            assertThat(r.fields().get(rate)).as(rate).isEqualTo("0");
        }
        assertThat(Path.of(pcap)).exists();
    }

    private static String last(Pattern p, String text) {
        Matcher m = p.matcher(text);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        assertThat(found).as(text).isNotNull();
        return found;
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
