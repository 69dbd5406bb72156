package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.sim.scenario.HttpScenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} scenario over 200 fixed seeds with small workloads (1..{@link #MAX_SMALL_MESSAGES} requests), each
 * seed with a fault plan drawn as in {@link TcpPropertyTest} (loss up to 0.3, duplication, reordering, corruption,
 * partitions) plus, on one seed in four, a crash of the server that the client must recover from by reconnecting;
 * and a few seeds of the full-size workload exactly as {@code ./sansnet sim --scenario http} runs it. A failure
 * reports the seed, the shrunk plan and the {@code ./sansnet sim} command that replays it.
 */
class HttpPropertyTest {

    /** Most requests in a small try: 200 tries take seconds. */
    static final int MAX_SMALL_MESSAGES = 8;

    @Property(tries = 200, exploreTries = 10_000)
    void everyResponseMatchesItsRequestUnderDrawnFaults(Gen g) {
        int messages = g.intBetween(1, MAX_SMALL_MESSAGES);
        ScenarioResult r = check(g, plan(g), messages);
        assertThat(TcpScenarioTest.fact(r, "answered")).isEqualTo(Integer.toString(messages));
    }

    @Property(tries = 2)
    void fullSizeWorkloadUnderDrawnFaults(Gen g) {
        ScenarioResult r = check(g, plan(g), ScenarioOptions.DEFAULT_MESSAGES);
        assertThat(TcpScenarioTest.fact(r, "answered")).isEqualTo(Integer.toString(ScenarioOptions.DEFAULT_MESSAGES));
    }

    /**
     * The keep-alive race, found by {@link #everyResponseMatchesItsRequestUnderDrawnFaults} at this seed: at 30 % loss
     * the server's idle timeout (from the moment it handed the responses to TCP) closed the connection before the
     * client had read them; the client's next request went into the closed connection. The client must open a new
     * connection and send it again (RFC 9112 §9.3.1), and every request must be answered.
     */
    @Test
    void theKeepAliveIdleCloseRaceIsRetriedOnANewConnection() {
        FaultPlan plan =
                new FaultPlan(0.299, 0.041, 0.043, 0.022, 6_108_000L, 1_527_000L, 1_000_000_000L, 1500, List.of());
        HttpScenario s = (HttpScenario) Scenarios.byName("http").orElseThrow();
        ScenarioResult r = ScenarioRunner.run(new ScenarioRunner.Request(
                s, 2422153443023850506L, FaultPlan.Overrides.of(plan), new ScenarioOptions(6)));
        assertThat(r.passed())
                .as(SimCheck.failureReport(r, r.replayCommand(r.defaultPcapName())) + "\nfacts: " + facts(r))
                .isTrue();
        assertThat(TcpScenarioTest.fact(r, "answered")).isEqualTo("6");
        assertThat(Integer.parseInt(TcpScenarioTest.fact(r, "idle-retries"))).isPositive();
        assertThat(TcpScenarioTest.fact(r, "reconnects")).isEqualTo("0");
    }

    /** {@link TcpPropertyTest#faultPlan} and, on one try in four, a server crash of 100 ms..1 s in the first 300 ms. */
    static FaultPlan plan(Gen g) {
        FaultPlan p = TcpPropertyTest.faultPlan(g);
        if (g.intBetween(0, 3) != 0) {
            return p;
        }
        long fromMs = g.longBetween(0, 300);
        long lenMs = g.longBetween(100, 1000);
        List<Disruption> schedule = new ArrayList<>(p.schedule());
        schedule.add(new Disruption.Crash("server", fromMs * 1_000_000L, (fromMs + lenMs) * 1_000_000L));
        FaultPlan c = new FaultPlan(
                p.loss(),
                p.duplicate(),
                p.reorder(),
                p.corrupt(),
                p.latencyNanos(),
                p.jitterNanos(),
                p.bandwidthBitsPerSecond(),
                p.mtu(),
                schedule);
        g.note("fault plan with crash", c);
        return c;
    }

    private static ScenarioResult check(Gen g, FaultPlan plan, int messages) {
        HttpScenario s = (HttpScenario) Scenarios.byName("http").orElseThrow();
        ScenarioResult r = ScenarioRunner.run(
                new ScenarioRunner.Request(s, g.seed(), FaultPlan.Overrides.of(plan), new ScenarioOptions(messages)));
        String replay = r.replayCommand(r.defaultPcapName());
        g.note("sim replay", replay);
        if (!r.passed()) {
            throw new AssertionError(SimCheck.failureReport(r, replay) + "\nfacts: " + facts(r));
        }
        return r;
    }

    private static String facts(ScenarioResult r) {
        StringBuilder sb = new StringBuilder();
        for (String[] f : r.facts()) {
            sb.append(f[0]).append('=').append(f[1]).append(' ');
        }
        return sb.toString().trim();
    }
}
