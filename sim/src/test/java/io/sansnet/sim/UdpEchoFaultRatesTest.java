package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2: with loss 0.3, duplication 0.1, reordering 0.2 and corruption 0.05 (the rest of each plan drawn from
 * its seed), udp-echo completes for seeds 0..N-1 (N = 1,000, or {@code -Dsansnet.exploreSeeds} as the
 * {@code -Pexplore} profile sets to 10,000), and the link counters show each fault at about its rate.
 */
class UdpEchoFaultRatesTest {

    static final FaultPlan.Overrides RATES = new FaultPlan.Overrides(0.3, 0.1, 0.2, 0.05, null, null, null, null, null);

    @Test
    void udpEchoCompletesForEveryFixedSeedAndFaultsShowAtTheirRates() {
        int seeds = Integer.getInteger("sansnet.exploreSeeds", 1_000);
        ChannelStats total = ChannelStats.ZERO;
        List<String> failures = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            ScenarioResult r = ScenarioRunner.run(new ScenarioRunner.Request(
                    Scenarios.byName("udp-echo").orElseThrow(), seed, RATES, ScenarioOptions.DEFAULT));
            if (!r.passed()) {
                failures.add(r.outcome() + " -- " + r.replayCommand(r.defaultPcapName()));
            }
            total = total.plus(r.stats());
        }
        assertThat(failures).isEmpty();
        // The fault model sees every packet that got past the partition, MTU and queue checks.
        double faultable = total.offered() - total.partitionDrops() - total.mtuDrops() - total.queueDrops();
        double survived = faultable - total.lost();
        // The seeds are fixed, so these bounds are checked once and cannot flake; each is many standard deviations
        // wide for the ~10^5 packets involved.
        assertThat(total.lost() / faultable).isBetween(0.28, 0.32);
        assertThat(total.duplicated() / survived).isBetween(0.09, 0.11);
        assertThat(total.reordered() / survived).isBetween(0.18, 0.22);
        assertThat(total.corrupted() / survived).isBetween(0.04, 0.06);
        assertThat(total.offered()).isGreaterThan(seeds * 40L);
    }
}
