package io.sansnet.bench.sim;

import io.sansnet.sim.scenario.ScenarioResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The simulator benchmark without JMH, for a loaded machine: besides seeds and events per <em>wall</em> second it
 * prints them per second of this thread's <em>CPU</em> time, which other processes competing for the cores disturb
 * much less, and each seed's wall time as HdrHistogram percentiles. Seeds run in order from 1 on one thread, as in
 * {@link UdpEchoBenchmark}.
 *
 * <p>Run with {@code bench/run.sh sim-cpu [--warmup 5] [--seconds 10] [--faults NONE,FAULTS,DRAWN]}.
 */
public final class SimSpeed {
    private SimSpeed() {}

    /** One fault setting's figures. */
    public record Figures(
            UdpEchoWorkload.Faults faults,
            long seeds,
            long events,
            long wallNanos,
            long cpuNanos,
            Histogram seedNanos) {
        double seedsPerWallSecond() {
            return seeds * 1e9 / wallNanos;
        }

        double eventsPerWallSecond() {
            return events * 1e9 / wallNanos;
        }

        double seedsPerCpuSecond() {
            return cpuNanos == 0 ? 0 : seeds * 1e9 / cpuNanos;
        }

        double eventsPerCpuSecond() {
            return cpuNanos == 0 ? 0 : events * 1e9 / cpuNanos;
        }
    }

    public static void main(String[] args) {
        double warmup = 5;
        double seconds = 10;
        List<UdpEchoWorkload.Faults> modes = List.of(UdpEchoWorkload.Faults.values());
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--faults" -> {
                    List<UdpEchoWorkload.Faults> m = new ArrayList<>();
                    for (String f : args[i + 1].split(",")) m.add(UdpEchoWorkload.Faults.valueOf(f));
                    modes = m;
                }
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (args.length % 2 != 0) {
            System.err.println("usage: SimSpeed [--warmup S] [--seconds S] [--faults NONE,FAULTS,DRAWN]");
            System.exit(2);
        }
        System.out.printf(
                Locale.ROOT,
                "sim speed: udp-echo, %d messages a seed, %.0f s warm-up + %.0f s measured per setting, %d cores, Java %s%n",
                io.sansnet.sim.scenario.ScenarioOptions.DEFAULT_MESSAGES,
                warmup,
                seconds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println(
                "| faults | seeds | events/seed | seeds/s (wall) | events/s (wall) | seeds/s (CPU) | events/s (CPU)"
                        + " | seed p50 ms | seed p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (UdpEchoWorkload.Faults f : modes) {
            measure(f, warmup, 1L << 40);
            Figures r = measure(f, seconds, 1);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.3f | %.3f |%n",
                    f,
                    r.seeds(),
                    (double) r.events() / r.seeds(),
                    r.seedsPerWallSecond(),
                    r.eventsPerWallSecond(),
                    r.seedsPerCpuSecond(),
                    r.eventsPerCpuSecond(),
                    r.seedNanos().getValueAtPercentile(50) / 1e6,
                    r.seedNanos().getValueAtPercentile(99) / 1e6);
        }
    }

    /** Runs seeds from {@code firstSeed} for {@code seconds} of wall time (at least one seed). */
    public static Figures measure(UdpEchoWorkload.Faults faults, double seconds, long firstSeed) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        Histogram perSeed = new Histogram(3_600_000_000_000L, 3);
        long budget = (long) (seconds * 1e9);
        long seed = firstSeed;
        long events = 0;
        long cpu0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
        long t0 = System.nanoTime();
        long now = t0;
        do {
            long s0 = now;
            ScenarioResult r = UdpEchoWorkload.run(faults, seed++);
            events += r.events();
            now = System.nanoTime();
            perSeed.recordValue(Math.max(0, now - s0));
        } while (now - t0 < budget);
        long cpuNanos = cpu ? mx.getCurrentThreadCpuTime() - cpu0 : 0;
        return new Figures(faults, seed - firstSeed, events, now - t0, cpuNanos, perSeed);
    }
}
