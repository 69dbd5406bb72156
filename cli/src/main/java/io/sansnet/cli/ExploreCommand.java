package io.sansnet.cli;

import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sansnet explore}: runs a scenario for many seeds on all cores and summarises: seeds run, each failure with its
 * replay command, seeds per second. Exit 0 when every seed passed, 1 otherwise, 2 for a bad flag. SIGINT/SIGTERM stop it
 * early: the seeds under way finish and the summary covers the seeds run.
 */
@Command(
        name = "explore",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a scenario for seeds K..K+N-1 on all cores; fault settings not given are drawn from each seed.",
            "--shard I/M (1-based) keeps the seeds with seed % M == I-1, to split one exploration over machines."
        })
final class ExploreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SimCommand.FaultFlags faults = new SimCommand.FaultFlags();

    @Option(names = "--seeds", required = true, paramLabel = "N", description = "How many seeds (before sharding).")
    long seeds;

    @Option(names = "--from", paramLabel = "K", description = "The first seed (default 0).")
    String from;

    @Option(names = "--shard", paramLabel = "I/M", description = "Run only shard I of M (1-based).")
    String shard;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws InterruptedException {
        if (seeds < 1) {
            throw usage("--seeds=" + seeds + ": must be at least 1");
        }
        long first = from == null ? 0 : SimCommand.parseSeed(spec, from);
        long[] sh = parseShard();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw usage("--threads=" + threads + ": must be at least 1");
        }
        ScenarioRunner.Request template = faults.request(spec, first);
        long mine = 0;
        for (long i = 0; i < seeds; i++) {
            if (inShard(first + i, sh)) {
                mine++;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, mine, System.console() != null);
        long start = System.nanoTime();
        AtomicLong failed = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Signals.onInterrupt(() -> stop.set(true));
        List<ScenarioResult> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "explore");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ScenarioResult>> batch = new ArrayList<>();
            for (long i = 0; i < seeds && !stop.get(); i++) {
                long s = first + i;
                if (!inShard(s, sh)) {
                    continue;
                }
                ScenarioRunner.Request req =
                        new ScenarioRunner.Request(faults.scenario(spec), s, template.given(), template.options());
                batch.add(pool.submit(() -> {
                    if (stop.get()) {
                        return null; // SIGINT/SIGTERM: finish the seeds under way, skip the rest
                    }
                    ScenarioResult r = ScenarioRunner.run(req);
                    ran.incrementAndGet();
                    progress.done(r.passed() ? failed.get() : failed.incrementAndGet());
                    return r.passed() ? null : r; // keep only what the summary needs
                }));
                if (batch.size() == BATCH) {
                    collect(batch, failures);
                }
            }
            collect(batch, failures);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run crashed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.finish();
        double secs = (System.nanoTime() - start) / 1e9;
        failures.sort(Comparator.comparingLong(ScenarioResult::seed));
        out.println("scenario: " + template.scenario().name());
        out.println("seeds: " + ran.get());
        if (stop.get()) {
            out.println("stopped: interrupted after " + ran.get() + " of " + mine + " seeds");
        }
        out.println("first-seed: " + first);
        out.println("shard: " + sh[0] + "/" + sh[1]);
        String given = template.given().flags();
        out.println("given: " + (given.isEmpty() ? "none (every fault setting drawn from each seed)" : given));
        out.println("failures: " + failures.size());
        for (ScenarioResult r : failures) {
            out.println("failure: seed " + r.seed() + ": " + r.outcome() + " [" + r.plan() + "]");
            out.println("replay: " + r.replayCommand(r.defaultPcapName()));
        }
        out.println("wall-time: " + String.format(Locale.ROOT, "%.3fs", secs));
        out.println("seeds-per-second: " + String.format(Locale.ROOT, "%.1f", secs > 0 ? ran.get() / secs : 0.0));
        out.flush();
        return failures.isEmpty() ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }

    /** Seeds submitted at once: bounds the memory of a long exploration. */
    static final int BATCH = 4096;

    private static boolean inShard(long seed, long[] shard) {
        return Math.floorMod(seed, shard[1]) == shard[0] - 1;
    }

    private static void collect(List<Future<ScenarioResult>> batch, List<ScenarioResult> failures)
            throws InterruptedException, ExecutionException {
        for (Future<ScenarioResult> f : batch) {
            ScenarioResult r = f.get();
            if (r != null) {
                failures.add(r);
            }
        }
        batch.clear();
    }

    private long[] parseShard() {
        if (shard == null) {
            return new long[] {1, 1};
        }
        String[] p = shard.split("/", -1);
        if (p.length != 2 || !p[0].matches("[0-9]{1,9}") || !p[1].matches("[0-9]{1,9}")) {
            throw usage("--shard=" + shard + ": expected I/M, e.g. 2/8");
        }
        long i = Long.parseLong(p[0]);
        long m = Long.parseLong(p[1]);
        if (m < 1 || i < 1 || i > m) {
            throw usage("--shard=" + shard + ": need 1 <= I <= M");
        }
        return new long[] {i, m};
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A bar redrawn in place on a terminal; a plain line per tenth otherwise. */
    private static final class Progress {
        private static final int WIDTH = 40;
        private final PrintWriter err;
        private final long total;
        private final boolean terminal;
        private long done;
        private long lastTenth = -1;

        Progress(PrintWriter err, long total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.terminal = terminal;
        }

        synchronized void done(long failuresSoFar) {
            done++;
            long failures = Math.max(failuresSoFar, 0);
            if (terminal) {
                int filled = (int) (WIDTH * done / Math.max(total, 1));
                err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total
                        + (failures > 0 ? " failures: " + failures : ""));
                err.flush();
            } else {
                long tenth = 10 * done / Math.max(total, 1);
                if (tenth != lastTenth) {
                    lastTenth = tenth;
                    err.println("explored " + done + "/" + total + " seeds");
                    err.flush();
                }
            }
        }

        synchronized void finish() {
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }
}
