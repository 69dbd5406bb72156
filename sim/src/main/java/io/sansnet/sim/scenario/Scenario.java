package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.Simulation;
import java.util.List;

/** A named, seeded workload with invariants. */
public interface Scenario {

    /** The name used by {@code --scenario}. */
    String name();

    /** One line for the help text. */
    String description();

    /** Builds hosts, links and applications in {@code sim} following {@code plan}; returns the judge of the run. */
    Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options);

    /**
     * The CLI flags that select this scenario's own parameters when they differ from the defaults (for example
     * {@code --bytes 4096} for {@code bulk}), so a replay command reproduces the same workload; empty by default.
     */
    default String replayFlags() {
        return "";
    }

    /** Virtual time by which a run must have finished: later is a failure ("does not finish"). */
    default long deadlineNanos() {
        return 600_000_000_000L;
    }

    /** Watches one run. */
    interface Run {

        /** True once the workload is over (successfully or not); checked between events. */
        boolean finished();

        /** The invariants that failed, each one line; empty when the run is correct. Read after the run. */
        List<String> violations();

        /** A few {@code key: value} facts about the workload (messages answered, retries), for the report. */
        List<String[]> facts();
    }
}
