package io.sansnet.sim;

import static io.sansnet.sim.TransferScenarioChecks.fact;
import static io.sansnet.sim.TransferScenarioChecks.report;
import static io.sansnet.sim.TransferScenarioChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.Scenarios;
import io.sansnet.sim.scenario.SynFloodScenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code syn-flood}: spoofed SYNs fill the server's SYN queue and SYN cookies (RFC 4987 §3.6) carry the client's
 * connection through. 200 fixed seeds with drawn fault plans and small transfers run in CI; {@code
 * -Dsansnet.tries=10000} runs the explore-sized property.
 */
class SynFloodScenarioTest {

    /** Largest transfer per direction in a property try. */
    static final int MAX_BYTES = 16 * 1024;

    @Test
    void knownByNameWithItsDefaults() {
        assertThat(Scenarios.NAMES).contains("syn-flood");
        SynFloodScenario s = (SynFloodScenario) Scenarios.byName("syn-flood").orElseThrow();
        assertThat(s.bytes()).isEqualTo(SynFloodScenario.DEFAULT_BYTES);
        assertThat(s.replayFlags()).isEmpty();
        assertThat(new SynFloodScenario(1000).replayFlags()).isEqualTo("--bytes 1000");
    }

    /** On a clean link the flood fills the SYN queue, the server answers with cookies, the client's bytes arrive. */
    @Test
    void theClientCompletesThroughACookieWhileTheQueueIsFull() {
        List<String> paths = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            ScenarioResult r = run(new SynFloodScenario(), seed, FaultPlan.NONE);
            assertThat(r.passed()).as(report(r)).isTrue();
            assertThat(fact(r, "client-received")).isEqualTo(Long.toString(SynFloodScenario.DEFAULT_BYTES));
            assertThat(fact(r, "server-received")).isEqualTo(Long.toString(SynFloodScenario.DEFAULT_BYTES));
            assertThat(fact(r, "client-close")).isEqualTo("GRACEFUL");
            assertThat(Integer.parseInt(fact(r, "max-syn-queue"))).isEqualTo(SynFloodScenario.BACKLOG);
            assertThat(Long.parseLong(fact(r, "syncookies-sent"))).isPositive();
            assertThat(Integer.parseInt(fact(r, "flood-syns"))).isGreaterThan(SynFloodScenario.BACKLOG);
            assertThat(Long.parseLong(fact(r, "spoofed-replies"))).isPositive();
            paths.add(fact(r, "client-path"));
        }
        // both ways in: a cookie when the flood came first, the SYN queue when the client did
        assertThat(paths).contains("cookie", "syn-queue");
    }

    @Test
    void theSameSeedGivesTheSameFingerprint() {
        TransferScenarioChecks.assertSameSeedSameFingerprint(() -> new SynFloodScenario(8192));
    }

    /** What {@code ./sansnet sim --scenario syn-flood --seed N} runs: plans drawn from the seed, crashes too. */
    @Test
    void passesWithPlansDrawnFromTheSeedAsTheCliRunsThem() {
        TransferScenarioChecks.assertPassesAsTheCliRunsIt("syn-flood");
    }

    @Property(tries = 200, exploreTries = 10_000)
    void theClientsConnectionCompletesUnderAFloodAndDrawnFaults(Gen g) {
        SynFloodScenario s = new SynFloodScenario(g.intBetween(1, MAX_BYTES));
        ScenarioResult r = TransferScenarioChecks.runPassing(g, s);
        assertThat(fact(r, "client-received")).isEqualTo(Long.toString(s.bytes()));
        assertThat(Integer.parseInt(fact(r, "max-syn-queue"))).isLessThanOrEqualTo(SynFloodScenario.BACKLOG);
    }
}
