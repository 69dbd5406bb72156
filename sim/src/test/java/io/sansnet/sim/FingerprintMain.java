package io.sansnet.sim;

import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Runs one scenario with a pcapng capture and prints {@code <fingerprint> <sha-256 of the capture>}: what
 * {@link DeterminismTest} compares across JVMs. Arguments: scenario name, seed.
 */
public final class FingerprintMain {
    private FingerprintMain() {}

    public static void main(String[] args) {
        System.out.println(run(args[0], Long.parseLong(args[1])));
    }

    static String run(String scenario, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Capture[] c = new Capture[1];
        ScenarioResult r = ScenarioRunner.run(
                new ScenarioRunner.Request(
                        Scenarios.byName(scenario).orElseThrow(),
                        seed,
                        FaultPlan.Overrides.NONE,
                        ScenarioOptions.DEFAULT),
                sim -> c[0] = Capture.attach(sim, out, Capture.Format.PCAPNG));
        try {
            c[0].close();
            return r.fingerprint() + " "
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
