package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.sim.scenario.Scenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.List;
import java.util.function.Supplier;

/** What the tests of the scenarios that transfer octets under an attack ({@code syn-flood}, {@code rst-attack}) share. */
final class TransferScenarioChecks {

    /** The fault plan of the same-seed checks: a little of every fault. */
    static final FaultPlan SOME_FAULTS =
            new FaultPlan(0.05, 0.02, 0.05, 0.01, 2_000_000L, 0, 100_000_000L, 1500, List.of());

    private TransferScenarioChecks() {}

    static ScenarioResult run(Scenario s, long seed, FaultPlan plan) {
        return ScenarioRunner.run(
                new ScenarioRunner.Request(s, seed, FaultPlan.Overrides.of(plan), ScenarioOptions.DEFAULT));
    }

    static String report(ScenarioResult r) {
        return SimCheck.failureReport(r, r.replayCommand(r.defaultPcapName()));
    }

    static String fact(ScenarioResult r, String key) {
        return TcpScenarioTest.fact(r, key);
    }

    /** Two runs of a fresh scenario with seed 7 under {@link #SOME_FAULTS}: the first passes, both print alike. */
    static void assertSameSeedSameFingerprint(Supplier<Scenario> scenario) {
        ScenarioResult a = run(scenario.get(), 7, SOME_FAULTS);
        ScenarioResult b = run(scenario.get(), 7, SOME_FAULTS);
        assertThat(a.passed()).as(report(a)).isTrue();
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    }

    /** What {@code ./sansnet sim --scenario NAME --seed N} runs for N in 1..8: plans drawn from the seed, crashes too. */
    static void assertPassesAsTheCliRunsIt(String name) {
        for (long seed = 1; seed <= 8; seed++) {
            ScenarioResult r = ScenarioRunner.run(new ScenarioRunner.Request(
                    Scenarios.byName(name).orElseThrow(), seed, FaultPlan.Overrides.NONE, ScenarioOptions.DEFAULT));
            assertThat(r.passed()).as(report(r)).isTrue();
        }
    }

    /** One property try: {@code s} under a fault plan drawn from {@code g}; a failed run throws its replay report. */
    static ScenarioResult runPassing(Gen g, Scenario s) {
        FaultPlan plan = TcpPropertyTest.faultPlan(g);
        ScenarioResult r = run(s, g.seed(), plan);
        String replay = r.replayCommand(r.defaultPcapName());
        g.note("sim replay", replay);
        if (!r.passed()) {
            throw new AssertionError(SimCheck.failureReport(r, replay) + "\nworkload: " + s.description());
        }
        return r;
    }
}
