package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.sim.scenario.BulkScenario;
import io.sansnet.sim.scenario.HandshakeStormScenario;
import io.sansnet.sim.scenario.Scenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import java.util.List;

/**
 * The TCP scenarios over 200 fixed seeds each (the harness derives the seeds from the class and method names), each
 * seed with its own fault plan: loss up to 0.3, duplication up to 0.1, reordering up to 0.2, corruption up to 0.05,
 * latency, jitter, bandwidth and MTU drawn, and up to two partitions (one direction or both) that heal; {@code bulk}
 * also draws a path MTU change that is undone later ({@link #bulkFaultPlan}). Every run also checks
 * {@link TcpInvariants} (buffer bounds, data within the peer's window, timeouts only when the network dropped the
 * segment). A failure reports the seed, the shrunk plan and the {@code ./sansnet sim} command that replays it.
 */
class TcpPropertyTest {

    /** Highest loss rate drawn (per packet, per direction). */
    static final double MAX_LOSS = 0.3;

    static final double MAX_DUPLICATE = 0.1;
    static final double MAX_REORDER = 0.2;
    static final double MAX_CORRUPT = 0.05;
    /** Largest transfer per direction in a try: small enough that 200 lossy tries take seconds. */
    static final int MAX_BULK_BYTES = 64 * 1024;
    /** Most connections in a storm try. */
    static final int MAX_STORM_CONNECTIONS = 40;

    @Property(tries = 200, exploreTries = 10_000)
    void bulkDeliversEveryByteOnceInOrderUnderDrawnFaults(Gen g) {
        Scenario s = new BulkScenario(g.intBetween(1, MAX_BULK_BYTES));
        ScenarioResult r = check(g, s, bulkFaultPlan(g));
        assertThat(TcpScenarioTest.fact(r, "client-received")).isEqualTo(TcpScenarioTest.fact(r, "bytes"));
    }

    @Property(tries = 200, exploreTries = 10_000)
    void handshakeStormCompletesEveryConnectionUnderDrawnFaults(Gen g) {
        int n = g.intBetween(1, MAX_STORM_CONNECTIONS);
        ScenarioResult r = check(g, new HandshakeStormScenario(n), faultPlan(g));
        assertThat(TcpScenarioTest.fact(r, "accepted")).isEqualTo(Integer.toString(n));
    }

    /** Runs {@code s} with this try's seed and a plan drawn through {@code g}; fails with the replay command. */
    private static ScenarioResult check(Gen g, Scenario s, FaultPlan plan) {
        ScenarioResult r = ScenarioRunner.run(
                new ScenarioRunner.Request(s, g.seed(), FaultPlan.Overrides.of(plan), ScenarioOptions.DEFAULT));
        String replay = r.replayCommand(r.defaultPcapName());
        g.note("sim replay", replay + " (workload: " + s.description() + ")");
        if (!r.passed()) {
            throw new AssertionError(SimCheck.failureReport(r, replay) + "\nworkload: " + s.description());
        }
        return r;
    }

    /** A plan that shrinks towards no faults: rates to 0, no partitions, low latency. No crashes: TCP cannot survive one. */
    static FaultPlan faultPlan(Gen g) {
        double loss = rate(g, MAX_LOSS);
        double dup = rate(g, MAX_DUPLICATE);
        double reorder = rate(g, MAX_REORDER);
        double corrupt = rate(g, MAX_CORRUPT);
        long latUs = g.longBetween(FaultPlan.MIN_DRAWN_LATENCY_NANOS / 1000, FaultPlan.MAX_DRAWN_LATENCY_NANOS / 1000);
        long jitterUs = g.longBetween(0, latUs / 4);
        long bw = g.pick(List.of(1_000_000_000L, 100_000_000L, 10_000_000L));
        int mtu = g.pick(List.of(1500, 1280, 9000));
        List<Disruption> schedule = g.listOf(0, 2, TcpPropertyTest::partition);
        FaultPlan plan = new FaultPlan(loss, dup, reorder, corrupt, latUs * 1000, jitterUs * 1000, bw, mtu, schedule);
        g.note("fault plan", plan);
        return plan;
    }

    /** MTUs a drawn MTU change sets: lower than the drawn link MTU (so PMTUD must act), or higher. */
    static final List<Integer> MTU_CHANGES = List.of(1280, 1400, 1500, 9000);

    /**
     * {@link #faultPlan} plus, in {@code bulk}, at most one path MTU change of one direction or both (undone up to two
     * seconds later): packets larger than the new MTU are dropped and answered with ICMP, and the transfer must still
     * complete. Shrinks towards no change.
     */
    static FaultPlan bulkFaultPlan(Gen g) {
        FaultPlan p = faultPlan(g);
        List<Disruption> changes = g.listOf(0, 1, TcpPropertyTest::mtuChange);
        if (changes.isEmpty()) {
            return p;
        }
        List<Disruption> schedule = new java.util.ArrayList<>(p.schedule());
        schedule.addAll(changes);
        FaultPlan plan = new FaultPlan(
                p.loss(),
                p.duplicate(),
                p.reorder(),
                p.corrupt(),
                p.latencyNanos(),
                p.jitterNanos(),
                p.bandwidthBitsPerSecond(),
                p.mtu(),
                schedule);
        g.note("fault plan with MTU change", plan);
        return plan;
    }

    private static Disruption mtuChange(Gen g) {
        long fromMs = g.longBetween(0, 300);
        long lenMs = g.longBetween(1, 2000);
        Link.Direction d = g.pick(Link.Direction.values());
        return new Disruption.MtuChange(d, g.pick(MTU_CHANGES), fromMs * 1_000_000L, (fromMs + lenMs) * 1_000_000L);
    }

    private static double rate(Gen g, double max) {
        return StrictMath.floor(g.probability() * max * 1000.0) / 1000.0;
    }

    private static Disruption partition(Gen g) {
        long fromMs = g.longBetween(0, 300);
        long lenMs = g.longBetween(1, 1000);
        Link.Direction d = g.pick(Link.Direction.values());
        return new Disruption.Partition(d, fromMs * 1_000_000L, (fromMs + lenMs) * 1_000_000L);
    }
}
