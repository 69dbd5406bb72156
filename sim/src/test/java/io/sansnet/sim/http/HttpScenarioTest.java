package io.sansnet.sim.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.SimCheck;
import io.sansnet.sim.scenario.HttpScenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code http} scenario by name, on a clean and on a faulty link, and its determinism. */
class HttpScenarioTest {

    static ScenarioResult run(long seed, FaultPlan.Overrides given, int messages) {
        return ScenarioRunner.run(new ScenarioRunner.Request(
                Scenarios.byName("http").orElseThrow(), seed, given, new ScenarioOptions(messages)));
    }

    static String report(ScenarioResult r) {
        return SimCheck.failureReport(r, r.replayCommand(r.defaultPcapName()));
    }

    static String fact(ScenarioResult r, String key) {
        for (String[] f : r.facts()) {
            if (f[0].equals(key)) {
                return f[1];
            }
        }
        throw new AssertionError("no fact " + key + " in " + r.facts());
    }

    @Test
    void knownByNameAndListed() {
        assertThat(Scenarios.NAMES).contains("http");
        assertThat(Scenarios.byName("http").orElseThrow()).isInstanceOf(HttpScenario.class);
        assertThat(Scenarios.byName("http").orElseThrow().replayFlags()).isEmpty();
    }

    @Test
    void everyRequestIsAnsweredOnACleanLink() {
        for (long seed = 1; seed <= 5; seed++) {
            ScenarioResult r = run(seed, FaultPlan.Overrides.of(FaultPlan.NONE), 30);
            assertThat(r.passed()).as(report(r)).isTrue();
            assertThat(fact(r, "answered")).isEqualTo("30");
            assertThat(fact(r, "reconnects")).isEqualTo("0");
            assertThat(fact(r, "idle-retries")).isEqualTo("0");
        }
    }

    @Test
    void everyRequestIsAnsweredUnderLossReorderingAndCorruption() {
        FaultPlan plan = new FaultPlan(0.1, 0.05, 0.1, 0.02, 5_000_000L, 1_000_000L, 10_000_000L, 1280, List.of());
        ScenarioResult r = run(7, FaultPlan.Overrides.of(plan), 40);
        assertThat(r.passed()).as(report(r)).isTrue();
        assertThat(fact(r, "answered")).isEqualTo("40");
        assertThat(r.stats().lost()).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        ScenarioResult a = run(11, FaultPlan.Overrides.NONE, 12);
        ScenarioResult b = run(11, FaultPlan.Overrides.NONE, 12);
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThat(a.events()).isEqualTo(b.events());
        assertThat(a.passed()).as(report(a)).isTrue();
    }
}
