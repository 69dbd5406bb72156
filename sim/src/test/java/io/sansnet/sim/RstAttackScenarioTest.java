package io.sansnet.sim;

import static io.sansnet.sim.TransferScenarioChecks.fact;
import static io.sansnet.sim.TransferScenarioChecks.report;
import static io.sansnet.sim.TransferScenarioChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.sim.scenario.RstAttackScenario;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rst-attack}: blind and in-window RST, SYN and data injection against a transferring connection (RFC 5961).
 * 200 fixed seeds with drawn fault plans and small transfers run in CI; {@code -Dsansnet.tries=10000} runs the
 * explore-sized property.
 */
class RstAttackScenarioTest {

    /** Largest transfer per direction in a property try. */
    static final int MAX_BYTES = 16 * 1024;

    @Test
    void knownByNameWithItsDefaults() {
        assertThat(Scenarios.NAMES).contains("rst-attack");
        RstAttackScenario s = (RstAttackScenario) Scenarios.byName("rst-attack").orElseThrow();
        assertThat(s.bytes()).isEqualTo(RstAttackScenario.DEFAULT_BYTES);
        assertThat(s.replayFlags()).isEmpty();
        assertThat(new RstAttackScenario(5).replayFlags()).isEqualTo("--bytes 5");
    }

    /**
     * On a slow clean link the attack runs through the whole transfer: RFC 5961 challenge ACKs answer the in-window
     * RSTs, the SYNs and the data with unacceptable ACKs, and every octet arrives intact.
     */
    @Test
    void rfc5961_challengeAcksAndAnIntactTransfer() {
        FaultPlan slow = new FaultPlan(0, 0, 0, 0, 5_000_000L, 0, 10_000_000L, 1500, List.of());
        int intact = 0;
        for (long seed = 1; seed <= 6; seed++) {
            ScenarioResult r = run(new RstAttackScenario(), seed, slow);
            assertThat(r.passed()).as(report(r)).isTrue();
            assertThat(Integer.parseInt(fact(r, "injected"))).isGreaterThan(50);
            assertThat(Integer.parseInt(fact(r, "in-window-guesses"))).isPositive();
            if (fact(r, "attack").equals("failed")) {
                intact++;
                assertThat(Long.parseLong(fact(r, "challenge-acks"))).isPositive();
                assertThat(fact(r, "client-received")).isEqualTo(Long.toString(RstAttackScenario.DEFAULT_BYTES));
                assertThat(fact(r, "server-received")).isEqualTo(Long.toString(RstAttackScenario.DEFAULT_BYTES));
                assertThat(fact(r, "client-close")).isEqualTo("GRACEFUL");
            }
        }
        assertThat(intact).isPositive();
    }

    /**
     * RFC 5961 §3.2: a RST at exactly RCV.NXT is accepted. The seeds whose attacker makes its one exact guess end
     * with the connection reset, the octets delivered so far an exact prefix, and both layers empty.
     */
    @Test
    void rfc5961_3_2_anExactGuessResetsTheConnection() {
        FaultPlan slow = new FaultPlan(0, 0, 0, 0, 5_000_000L, 0, 10_000_000L, 1500, List.of());
        int succeeded = 0;
        for (long seed = 1; seed <= 64 && succeeded == 0; seed++) {
            ScenarioResult r = run(new RstAttackScenario(), seed, slow);
            assertThat(r.passed()).as(report(r)).isTrue();
            if (fact(r, "attack").startsWith("succeeded")) {
                succeeded++;
                assertThat(Integer.parseInt(fact(r, "exact-guesses"))).isPositive();
                assertThat(List.of(fact(r, "client-close"), fact(r, "server-close")))
                        .contains("RESET");
            }
        }
        assertThat(succeeded).isEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameFingerprint() {
        TransferScenarioChecks.assertSameSeedSameFingerprint(() -> new RstAttackScenario(16 * 1024));
    }

    /** What {@code ./sansnet sim --scenario rst-attack --seed N} runs: plans drawn from the seed, crashes too. */
    @Test
    void passesWithPlansDrawnFromTheSeedAsTheCliRunsThem() {
        TransferScenarioChecks.assertPassesAsTheCliRunsIt("rst-attack");
    }

    @Property(tries = 200, exploreTries = 10_000)
    void theTransferSurvivesBlindInjectionUnderDrawnFaults(Gen g) {
        RstAttackScenario s = new RstAttackScenario(g.intBetween(1, MAX_BYTES));
        ScenarioResult r = TransferScenarioChecks.runPassing(g, s);
        if (fact(r, "attack").equals("failed")) {
            assertThat(fact(r, "client-received")).isEqualTo(Long.toString(s.bytes()));
        }
    }
}
