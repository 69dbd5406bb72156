package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.SimLimits;
import io.sansnet.sim.Simulation;
import io.sansnet.sim.SimulationLimitExceeded;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Runs a scenario for one seed: the same call in {@code sim}, {@code explore} and JUnit properties. */
public final class ScenarioRunner {
    private ScenarioRunner() {}

    /**
     * One run to make.
     *
     * @param scenario what to run
     * @param seed the seed (of the simulation and of the drawn parts of the fault plan)
     * @param given the fault values given explicitly; the rest are drawn from the seed
     * @param options the workload size
     */
    public record Request(Scenario scenario, long seed, FaultPlan.Overrides given, ScenarioOptions options) {
        public Request {
            Objects.requireNonNull(scenario, "scenario");
            Objects.requireNonNull(given, "given");
            Objects.requireNonNull(options, "options");
        }

        /** The plan this request runs with. */
        public FaultPlan plan() {
            return FaultPlan.resolve(seed, given);
        }
    }

    /** Runs {@code request} without capture or trace. */
    public static ScenarioResult run(Request request) {
        return run(request, sim -> {});
    }

    /**
     * Runs {@code request}. {@code beforeRun} gets the simulation after the scenario built it and before the first
     * event, to attach a capture or a trace listener.
     */
    public static ScenarioResult run(Request request, Consumer<Simulation> beforeRun) {
        FaultPlan plan = request.plan();
        Scenario s = request.scenario();
        Simulation sim =
                Simulation.create(request.seed(), new SimLimits(s.deadlineNanos() + 1, SimLimits.DEFAULT_MAX_EVENTS));
        Scenario.Run run = s.setUp(sim, plan, request.options());
        beforeRun.accept(sim);
        List<String> violations = new ArrayList<>();
        try {
            boolean done = sim.runUntil(run::finished);
            violations.addAll(run.violations());
            if (!done && violations.isEmpty()) {
                violations.add("the simulation went idle before the workload finished");
            }
        } catch (SimulationLimitExceeded e) {
            violations.add("does not finish: " + e.getMessage());
            violations.addAll(run.violations());
        }
        return new ScenarioResult(
                s.name(),
                s.replayFlags(),
                request.seed(),
                plan,
                request.given(),
                request.options(),
                sim.nowNanos(),
                sim.eventsRun(),
                sim.linkStats(),
                violations,
                run.facts(),
                sim.fingerprint());
    }
}
