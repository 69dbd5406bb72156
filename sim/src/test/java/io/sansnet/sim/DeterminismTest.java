package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acceptance 1: one seed, one run: the same fingerprint and byte-identical captures, in one JVM and in two. */
class DeterminismTest {

    private static final FaultPlan.Overrides HEAVY =
            new FaultPlan.Overrides(0.3, 0.1, 0.2, 0.05, null, null, null, null, null);

    private record Run(String fingerprint, byte[] pcapng, byte[] pcap, List<String> trace) {}

    private static Run run(String scenario, long seed, FaultPlan.Overrides given) {
        ByteArrayOutputStream ng = new ByteArrayOutputStream();
        ByteArrayOutputStream classic = new ByteArrayOutputStream();
        List<String> trace = new ArrayList<>();
        ScenarioResult r = ScenarioRunner.run(
                new ScenarioRunner.Request(
                        Scenarios.byName(scenario).orElseThrow(), seed, given, ScenarioOptions.DEFAULT),
                sim -> {
                    Capture.attach(sim, ng, Capture.Format.PCAPNG);
                    Capture.attach(sim, classic, Capture.Format.PCAP);
                    sim.log().addListener(e -> trace.add(e.toTraceLine()));
                });
        return new Run(r.fingerprint(), ng.toByteArray(), classic.toByteArray(), trace);
    }

    @Test
    void theSameSeedTwiceGivesTheSameFingerprintAndByteIdenticalCaptures() {
        for (String scenario : List.of("udp-echo", "ping")) {
            Run first = run(scenario, 77, HEAVY);
            Run second = run(scenario, 77, HEAVY);
            assertThat(second.fingerprint())
                    .isEqualTo(first.fingerprint())
                    .hasSize(16)
                    .matches("[0-9a-f]{16}");
            assertThat(second.pcapng()).isEqualTo(first.pcapng());
            assertThat(second.pcap()).isEqualTo(first.pcap());
            assertThat(second.trace()).isEqualTo(first.trace());
            assertThat(first.pcapng().length).isGreaterThan(1000);
        }
    }

    @Test
    void differentSeedsGiveDifferentFingerprintsWhenFaultsAreOn() {
        Set<String> fingerprints = new HashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            fingerprints.add(run("udp-echo", seed, HEAVY).fingerprint());
        }
        assertThat(fingerprints).hasSize(20);
    }

    @Test
    void oneFaultDecisionOrOnePacketByteChangesTheFingerprint() {
        Simulation a = twoRawHosts(0.0, (byte) 1);
        Simulation b = twoRawHosts(0.0, (byte) 2);
        Simulation c = twoRawHosts(1.0, (byte) 1);
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint());
        assertThat(twoRawHosts(0.0, (byte) 1).fingerprint()).isEqualTo(a.fingerprint());
    }

    private static Simulation twoRawHosts(double loss, byte last) {
        Simulation sim = Simulation.create(9);
        RawHost x = sim.addRawHost("x", io.sansnet.stack.wire.IpAddress.of("198.18.0.1"));
        RawHost y = sim.addRawHost("y", io.sansnet.stack.wire.IpAddress.of("198.18.0.2"));
        sim.connect(x, y, LinkParams.DEFAULT.withLoss(loss));
        byte[] p = new byte[24];
        p[0] = 0x45;
        io.sansnet.stack.wire.IpAddress.of("198.18.0.2").writeTo(p, 16);
        p[23] = last;
        x.send(p);
        sim.runUntilIdle();
        return sim;
    }

    @Test
    void aSecondJvmGivesTheSameFingerprintAndCapture() throws Exception {
        String here = FingerprintMain.run("udp-echo", 1234);
        List<Path> javas = new ArrayList<>();
        javas.add(Path.of(System.getProperty("java.home"), "bin", "java"));
        // Fingerprints must not depend on the JDK: compare with JDK 25 too when the machine has it.
        String other = System.getenv("SANSNET_OTHER_JDK");
        Path jdk25 = other != null ? Path.of(other) : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (Files.isExecutable(jdk25.resolve("bin/java"))) {
            javas.add(jdk25.resolve("bin/java"));
        }
        for (Path java : javas) {
            Process p = new ProcessBuilder(
                            java.toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            FingerprintMain.class.getName(),
                            "udp-echo",
                            "1234")
                    .redirectErrorStream(true)
                    .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("second JVM finished")
                    .isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).as("output of " + java).isEqualTo(here);
        }
    }

    @Test
    void theFingerprintIsTheSha256OfTheTracedEventLog() throws Exception {
        Run r = run("udp-echo", 5, HEAVY);
        assertThat(r.trace()).anyMatch(l -> l.contains(" client send 4"));
        assertThat(r.trace()).anyMatch(l -> l.contains(" client->server loss ") || l.contains(" server->client loss "));
        // recompute the digest from the trace lines with the encoding EventLog documents
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (String line : r.trace()) {
            String[] f = line.split(" ");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
            md.update(b.putLong(Long.parseLong(f[0])).array());
            for (String s : new String[] {f[1], f[2]}) {
                byte[] u = s.getBytes(StandardCharsets.UTF_8);
                md.update(new byte[] {(byte) (u.length >>> 8), (byte) u.length});
                md.update(u);
            }
            byte[] bytes =
                    f[3].equals("-") ? new byte[0] : java.util.HexFormat.of().parseHex(f[3]);
            md.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
            md.update(bytes);
        }
        String hex = java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        assertThat(hex).isEqualTo(r.fingerprint());
    }
}
