package io.sansnet.bench.sim;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bulk TCP throughput in the simulator (issue 4, "Measured"): one operation is one seed of the {@code bulk} scenario
 * (one connection, 1 MiB each way at once, then close) on the fault-free link of {@link FaultPlan#NONE}; the secondary
 * score {@code seed:bytes} is <b>simulated bytes delivered per wall second</b> (both directions). A failed run stops
 * the benchmark.
 *
 * <p>Run with {@code bench/run.sh sim-bulk}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BulkBenchmark {

    private long nextSeed;

    /** Octets delivered to the applications; JMH reports the field as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        nextSeed = 1;
    }

    @Benchmark
    public ScenarioResult seed(Bytes counter) {
        long seed = nextSeed++;
        ScenarioResult r = ScenarioRunner.run(new ScenarioRunner.Request(
                Scenarios.byName("bulk").orElseThrow(),
                seed,
                FaultPlan.Overrides.of(FaultPlan.NONE),
                ScenarioOptions.DEFAULT));
        if (!r.passed()) {
            throw new IllegalStateException("bulk seed " + seed + " failed: " + r.outcome());
        }
        counter.bytes += fact(r, "client-received") + fact(r, "server-received");
        return r;
    }

    /** The numeric fact {@code key} of {@code r}. */
    static long fact(ScenarioResult r, String key) {
        for (String[] f : r.facts()) {
            if (f[0].equals(key) && f[1].matches("[0-9]{1,18}")) return Long.parseLong(f[1]);
        }
        throw new IllegalStateException("bulk result has no numeric fact " + key);
    }
}
