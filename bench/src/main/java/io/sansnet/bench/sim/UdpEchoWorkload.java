package io.sansnet.bench.sim;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.List;

/**
 * One seed of the {@code udp-echo} scenario, as {@code sansnet sim --scenario udp-echo} runs it, under one of three
 * fault settings. The benchmark measures wall time around {@link #run(Faults, long)}: nothing here reads a clock.
 */
public final class UdpEchoWorkload {
    private UdpEchoWorkload() {}

    /** The fault settings a benchmark run uses. */
    public enum Faults {
        /** {@link FaultPlan#NONE}: no per-packet faults, 1 ms, 1 Gbit/s, MTU 1500, nothing scheduled. */
        NONE(FaultPlan.Overrides.of(FaultPlan.NONE)),
        /**
         * The fault rates of issue 3 acceptance 2 (loss 0.3, duplication 0.1, reordering 0.2, corruption 0.05) on the
         * link of {@link FaultPlan#NONE}, nothing scheduled: every seed does comparable work.
         */
        FAULTS(new FaultPlan.Overrides(
                0.3,
                0.1,
                0.2,
                0.05,
                FaultPlan.NONE.latencyNanos(),
                FaultPlan.NONE.jitterNanos(),
                FaultPlan.NONE.bandwidthBitsPerSecond(),
                FaultPlan.NONE.mtu(),
                List.of())),
        /** Everything drawn from the seed, partitions and crashes included: what {@code sansnet explore} runs. */
        DRAWN(FaultPlan.Overrides.NONE);

        private final FaultPlan.Overrides overrides;

        Faults(FaultPlan.Overrides overrides) {
            this.overrides = overrides;
        }

        public FaultPlan.Overrides overrides() {
            return overrides;
        }
    }

    /** The request for {@code seed}, with the default workload (20 messages). */
    public static ScenarioRunner.Request request(Faults faults, long seed) {
        return new ScenarioRunner.Request(
                Scenarios.byName("udp-echo").orElseThrow(), seed, faults.overrides(), ScenarioOptions.DEFAULT);
    }

    /**
     * Runs {@code seed} and returns its result; a failed run is an error, not a data point (a benchmark of a broken
     * simulation would measure the wrong thing).
     *
     * @throws IllegalStateException when an invariant failed; the message has the replay command
     */
    public static ScenarioResult run(Faults faults, long seed) {
        ScenarioResult r = ScenarioRunner.run(request(faults, seed));
        if (!r.passed()) {
            throw new IllegalStateException("udp-echo seed " + seed + " (" + faults + ") failed: " + r.outcome()
                    + "; replay: " + r.replayCommand(r.defaultPcapName()));
        }
        return r;
    }
}
