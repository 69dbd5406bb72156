package io.sansnet.bench.sim;

import io.sansnet.sim.scenario.ScenarioResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Simulator speed (issue 3, acceptance 6): one benchmark operation is one whole seed of {@code udp-echo}, so the
 * primary score is <b>seeds per second</b>, and the secondary score {@code seed:events} is <b>simulated events per
 * second</b> (the sum of {@code ScenarioResult.events()} over the iteration, divided by its wall time). Seeds run in
 * order from 1, one thread, so a run does the same work every time.
 *
 * <p>Run with {@code bench/run.sh sim}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UdpEchoBenchmark {

    /** {@code NONE}, {@code FAULTS} or {@code DRAWN}: see {@link UdpEchoWorkload.Faults}. */
    @Param({"NONE", "FAULTS", "DRAWN"})
    public String faults;

    private UdpEchoWorkload.Faults mode;
    private long nextSeed;

    /** The events the simulator ran; JMH reports the field as a rate (events per second). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        mode = UdpEchoWorkload.Faults.valueOf(faults);
        nextSeed = 1;
    }

    @Benchmark
    public ScenarioResult seed(Events counter) {
        ScenarioResult r = UdpEchoWorkload.run(mode, nextSeed++);
        counter.events += r.events();
        return r;
    }
}
