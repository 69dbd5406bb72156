package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.sim.scenario.BulkScenario;
import io.sansnet.sim.scenario.HandshakeStormScenario;
import io.sansnet.sim.scenario.Scenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TCP scenarios on a clean and on a faulty network, by name as the CLI finds them. */
class TcpScenarioTest {

    private static ScenarioResult run(Scenario s, long seed, FaultPlan plan) {
        return ScenarioRunner.run(
                new ScenarioRunner.Request(s, seed, FaultPlan.Overrides.of(plan), ScenarioOptions.DEFAULT));
    }

    private static String report(ScenarioResult r) {
        return SimCheck.failureReport(r, r.replayCommand(r.defaultPcapName()));
    }

    @Test
    void bulkAndStormAreKnownByName() {
        assertThat(Scenarios.NAMES).contains("bulk", "handshake-storm");
        assertThat(Scenarios.byName("bulk").orElseThrow()).isInstanceOf(BulkScenario.class);
        assertThat(((BulkScenario) Scenarios.byName("bulk").orElseThrow()).bytes())
                .isEqualTo(1L << 20);
        assertThat(Scenarios.byName("handshake-storm").orElseThrow()).isInstanceOf(HandshakeStormScenario.class);
    }

    @Test
    void bulkTransfersOneMebibyteEachWayOnACleanLink() {
        ScenarioResult r = run(Scenarios.byName("bulk").orElseThrow(), 1, FaultPlan.NONE);
        assertThat(r.passed()).as(report(r)).isTrue();
        assertThat(fact(r, "client-received")).isEqualTo("1048576");
        assertThat(fact(r, "server-received")).isEqualTo("1048576");
        assertThat(fact(r, "client-close")).isEqualTo("GRACEFUL");
    }

    @Test
    void handshakeStormOpensExchangesAndClosesTwoHundredConnections() {
        ScenarioResult r = run(Scenarios.byName("handshake-storm").orElseThrow(), 2, FaultPlan.NONE);
        assertThat(r.passed()).as(report(r)).isTrue();
        assertThat(fact(r, "established")).isEqualTo("200");
        assertThat(fact(r, "accepted")).isEqualTo("200");
    }

    @Test
    void bulkUnderFaultsStillDeliversEveryByte() {
        FaultPlan plan = new FaultPlan(0.1, 0.05, 0.1, 0.02, 5_000_000L, 1_000_000L, 100_000_000L, 1500, List.of());
        ScenarioResult r = run(new BulkScenario(128 * 1024), 3, plan);
        assertThat(r.passed()).as(report(r)).isTrue();
        assertThat(r.stats().lost()).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameFingerprint() {
        FaultPlan plan = new FaultPlan(0.05, 0.02, 0.05, 0.01, 2_000_000L, 0, 100_000_000L, 1280, List.of());
        ScenarioResult a = run(new BulkScenario(64 * 1024), 7, plan);
        ScenarioResult b = run(new BulkScenario(64 * 1024), 7, plan);
        assertThat(a.passed()).as(report(a)).isTrue();
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    }

    /** What {@code ./sansnet sim --scenario S --seed N} and {@code explore} run: plans drawn from the seed, crashes too. */
    @Test
    void bothScenariosPassWithPlansDrawnFromTheSeedAsTheCliRunsThem() {
        int crashes = 0;
        for (long seed = 1; seed <= 4; seed++) {
            for (String name : List.of("bulk", "handshake-storm")) {
                ScenarioResult r = ScenarioRunner.run(new ScenarioRunner.Request(
                        Scenarios.byName(name).orElseThrow(), seed, FaultPlan.Overrides.NONE, ScenarioOptions.DEFAULT));
                assertThat(r.passed()).as(report(r)).isTrue();
                crashes += r.plan().schedule().stream().anyMatch(d -> d instanceof Disruption.Crash) ? 1 : 0;
            }
        }
        System.out.println("runs with a crash: " + crashes);
    }

    static String fact(ScenarioResult r, String key) {
        for (String[] f : r.facts()) {
            if (f[0].equals(key)) {
                return f[1];
            }
        }
        throw new AssertionError("no fact " + key + " in " + r);
    }
}
