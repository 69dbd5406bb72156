package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;

/**
 * The TCP scenarios exactly as {@code ./sansnet sim --scenario bulk|handshake-storm} runs them (1 MiB each way; 200
 * connections) under the drawn fault plans of {@link TcpPropertyTest} (for {@code bulk} with its drawn MTU change). A full-size run takes about 0.4 s of wall time
 * under heavy loss, so the default run checks 10 fixed seeds per scenario; {@code -Dsansnet.tries=200} runs 200 (about
 * 90 s for {@code bulk}, 70 s for {@code handshake-storm} on a 2-core machine). {@link TcpPropertyTest} covers 200
 * seeds with smaller workloads in seconds.
 */
class TcpFullSizePropertyTest {

    @Property(tries = 10)
    void bulkOfOneMebibyteEachWayUnderDrawnFaults(Gen g) {
        ScenarioResult r = run(g, "bulk", TcpPropertyTest.bulkFaultPlan(g));
        assertThat(TcpScenarioTest.fact(r, "client-received")).isEqualTo("1048576");
        assertThat(TcpScenarioTest.fact(r, "server-received")).isEqualTo("1048576");
    }

    @Property(tries = 10)
    void handshakeStormOfTwoHundredConnectionsUnderDrawnFaults(Gen g) {
        ScenarioResult r = run(g, "handshake-storm", TcpPropertyTest.faultPlan(g));
        assertThat(TcpScenarioTest.fact(r, "accepted")).isEqualTo("200");
    }

    private static ScenarioResult run(Gen g, String scenario, FaultPlan plan) {
        ScenarioResult r = ScenarioRunner.run(new ScenarioRunner.Request(
                Scenarios.byName(scenario).orElseThrow(),
                g.seed(),
                FaultPlan.Overrides.of(plan),
                ScenarioOptions.DEFAULT));
        String replay = r.replayCommand(r.defaultPcapName());
        g.note("sim replay", replay);
        if (!r.passed()) {
            throw new AssertionError(SimCheck.failureReport(r, replay));
        }
        return r;
    }
}
