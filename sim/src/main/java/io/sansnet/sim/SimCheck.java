package io.sansnet.sim;

import io.sansnet.check.Gen;
import io.sansnet.sim.scenario.Scenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.stack.fault.Units;
import java.util.List;

/**
 * The simulator in property tests of the {@code check} harness: a try's {@link Gen} gives the simulation seed
 * ({@link Gen#seed()}, fixed while shrinking) and a fault plan drawn through the generator, so the harness shrinks the
 * plan on failure: rates towards 0, fewer scheduled disruptions, lower latency, a shorter workload.
 *
 * <pre>{@code
 * @Property(tries = 200)
 * void echoSurvivesFaults(Gen g) {
 *     SimCheck.assertScenario(g, Scenarios.byName("udp-echo").orElseThrow(), 40);
 * }
 *
 * @Property(tries = 100)
 * void myService(Gen g) {
 *     Simulation sim = SimCheck.simulation(g);
 *     FaultPlan plan = SimCheck.faultPlan(g);
 *     ... build hosts, sim.connect(a, b, plan.linkParams()), run, assert ...
 * }
 * }</pre>
 *
 * A failure report shows the try's seed with {@code -Dsansnet.seed=N} (the harness's replay), the shrunk fault plan,
 * the fingerprint, and for named scenarios the {@code ./sansnet sim} command that replays exactly that run with its
 * capture.
 */
public final class SimCheck {
    private SimCheck() {}

    /** Most scheduled disruptions a drawn plan has. */
    public static final int MAX_DRAWN_DISRUPTIONS = 2;

    /** A simulation seeded with the try's seed (noted for the report). */
    public static Simulation simulation(Gen g) {
        g.note("simulation seed", g.seed());
        return Simulation.create(g.seed());
    }

    /**
     * A fault plan drawn through {@code g} within the same ranges as {@link FaultPlan#resolve} draws; every value
     * shrinks towards "no fault": rates to 0, latency to its minimum, jitter to 0, the schedule to empty.
     */
    public static FaultPlan faultPlan(Gen g) {
        double loss = rate(g, FaultPlan.MAX_DRAWN_LOSS);
        double dup = rate(g, FaultPlan.MAX_DRAWN_DUPLICATE);
        double reorder = rate(g, FaultPlan.MAX_DRAWN_REORDER);
        double corrupt = rate(g, FaultPlan.MAX_DRAWN_CORRUPT);
        long latUs = g.longBetween(FaultPlan.MIN_DRAWN_LATENCY_NANOS / 1000, FaultPlan.MAX_DRAWN_LATENCY_NANOS / 1000);
        long jitterUs = g.longBetween(0, latUs / 4);
        long bw = g.pick(List.of(1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L));
        int mtu = g.pick(List.of(1500, 1280, 9000));
        List<Disruption> schedule = g.listOf(0, MAX_DRAWN_DISRUPTIONS, SimCheck::disruption);
        FaultPlan plan = new FaultPlan(loss, dup, reorder, corrupt, latUs * 1000, jitterUs * 1000, bw, mtu, schedule);
        g.note("fault plan", plan);
        return plan;
    }

    private static double rate(Gen g, double max) {
        return StrictMath.floor(g.probability() * max * 1000.0) / 1000.0;
    }

    private static Disruption disruption(Gen g) {
        long fromMs = g.longBetween(0, 300);
        long lenMs = g.longBetween(1, 1000);
        if (g.bool()) {
            return new Disruption.Crash("server", fromMs * 1_000_000L, (fromMs + lenMs) * 1_000_000L);
        }
        Link.Direction d = g.pick(Link.Direction.values());
        return new Disruption.Partition(d, fromMs * 1_000_000L, (fromMs + lenMs) * 1_000_000L);
    }

    /**
     * Runs {@code scenario} for this try (seed from {@code g}, plan and workload size up to {@code maxMessages} drawn
     * through it) and throws an {@link AssertionError} naming the failed invariant, the plan, the fingerprint and the
     * {@code ./sansnet sim} replay command when an invariant fails.
     */
    public static ScenarioResult assertScenario(Gen g, Scenario scenario, int maxMessages) {
        FaultPlan plan = faultPlan(g);
        ScenarioOptions options = new ScenarioOptions(g.intBetween(1, maxMessages));
        ScenarioResult r = ScenarioRunner.run(
                new ScenarioRunner.Request(scenario, g.seed(), FaultPlan.Overrides.of(plan), options));
        String replay = r.replayCommand(r.defaultPcapName());
        g.note("sim replay", replay);
        if (!r.passed()) {
            throw new AssertionError(failureReport(r, replay));
        }
        return r;
    }

    /** The report of a failed scenario run: what failed, with which plan, and how to replay it. */
    public static String failureReport(ScenarioResult r, String replay) {
        StringBuilder m = new StringBuilder();
        m.append("scenario ")
                .append(r.scenario())
                .append(" failed for seed ")
                .append(r.seed())
                .append(": ");
        m.append(String.join("; ", r.violations())).append('\n');
        m.append("fault plan: ").append(r.plan()).append('\n');
        m.append("messages: ").append(r.options().messages()).append('\n');
        m.append("virtual time: ")
                .append(Units.formatDuration(r.virtualTimeNanos()))
                .append('\n');
        m.append("fingerprint: ").append(r.fingerprint()).append('\n');
        m.append("replay: ").append(replay);
        return m.toString();
    }
}
