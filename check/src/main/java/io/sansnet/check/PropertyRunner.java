package io.sansnet.check;

import java.lang.reflect.Array;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.LongFunction;
import org.opentest4j.TestAbortedException;

/**
 * Runs a property outside of (or under) JUnit: {@code tries} tries, try {@code i} drawing from a {@link Gen} seeded
 * with a seed derived from (run seed, i); on the first failure, shrinks it and throws a {@link PropertyFailedError}
 * whose message reports the seed and the replay command. {@link Property} uses this; so can other harnesses.
 *
 * <pre>{@code
 * PropertyRunner.named("codec round-trips").tries(10_000).run(g -> { byte[] b = g.bytes(0, 1500); ... });
 * }</pre>
 *
 * <p>A try that throws {@link TestAbortedException} (a failed JUnit assumption) is discarded; any other exception or
 * error fails the property. A property must be deterministic given its {@link Gen}: the failing try is re-run from
 * its seed to record and shrink it, and the report says so when it does not fail again.
 */
public final class PropertyRunner {
    /** Default number of tries. */
    public static final int DEFAULT_TRIES = 1000;
    /** Default bound on shrink replays, each one a run of the property. */
    public static final int DEFAULT_SHRINK_STEPS = 1000;
    /** Longest rendering of one value in a report, in characters. */
    static final int MAX_VALUE_CHARS = 400;
    /** Longest rendering of a failure message in a report, in characters. */
    static final int MAX_MESSAGE_CHARS = 2000;

    /** The property's body: checks one try's input drawn from {@code g}. */
    @FunctionalInterface
    public interface Body {
        void check(Gen g) throws Throwable;
    }

    /** What a passing run did: tries run (including discarded ones) and tries discarded by assumptions. */
    public record Summary(String property, long runSeed, int tries, int discarded) {}

    private final String name;
    private int tries = DEFAULT_TRIES;
    private long runSeed;
    private boolean replaying;
    private long replaySeed;
    private int shrinkSteps = DEFAULT_SHRINK_STEPS;
    private LongFunction<String> replayCommand = seed -> "-Dsansnet.seed=" + seed;

    private PropertyRunner(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.runSeed = Rng.runSeedFor(name);
    }

    /** A runner for the property {@code name}, whose default run seed is derived from the name. */
    public static PropertyRunner named(String name) {
        return new PropertyRunner(name);
    }

    public PropertyRunner tries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1: " + tries);
        }
        this.tries = tries;
        return this;
    }

    /** The seed the tries' seeds are derived from. */
    public PropertyRunner runSeed(long runSeed) {
        this.runSeed = runSeed;
        return this;
    }

    /** Runs exactly one try, with this seed (from a failure report), instead of the derived tries. */
    public PropertyRunner replaySeed(long seed) {
        this.replaying = true;
        this.replaySeed = seed;
        return this;
    }

    public PropertyRunner shrinkSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("shrink steps must not be negative: " + steps);
        }
        this.shrinkSteps = steps;
        return this;
    }

    /** How the report tells to replay a try, given its seed. */
    public PropertyRunner replayCommand(LongFunction<String> command) {
        this.replayCommand = Objects.requireNonNull(command, "command");
        return this;
    }

    /** The seed of try {@code index} under {@code runSeed}. */
    public static long trySeed(long runSeed, int index) {
        return Rng.trySeed(runSeed, index);
    }

    /** Runs the tries; returns quietly when all pass, else throws a {@link PropertyFailedError}. */
    public Summary run(Body body) {
        Objects.requireNonNull(body, "body");
        int count = replaying ? 1 : tries;
        int discarded = 0;
        for (int i = 0; i < count; i++) {
            long seed = replaying ? replaySeed : Rng.trySeed(runSeed, i);
            Throwable failure = invoke(body, Gen.fromSeed(seed));
            if (failure instanceof TestAbortedException) {
                discarded++;
            } else if (failure != null) {
                throw report(body, replaying ? -1 : i, seed, failure);
            }
        }
        if (discarded == count) {
            throw new AssertionError("Property " + name + ": all " + count
                    + " tries were discarded by assumptions, so nothing was checked");
        }
        return new Summary(name, runSeed, count, discarded);
    }

    static Throwable invoke(Body body, Gen g) {
        try {
            body.check(g);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private PropertyFailedError report(Body body, int tryIndex, long seed, Throwable original) {
        Gen again = Gen.recording(seed);
        Throwable rerun = invoke(body, again);
        Shrinker.Outcome shrunk;
        int steps = 0;
        String determinism = "";
        if (rerun != null && Shrinker.signature(rerun).equals(Shrinker.signature(original))) {
            Shrinker shrinker = new Shrinker(body, seed, new Shrinker.Outcome(rerun, again.tape()), shrinkSteps);
            shrunk = shrinker.shrink();
            steps = shrinker.steps();
        } else {
            shrunk = new Shrinker.Outcome(rerun, again.tape());
            determinism = "  WARNING: re-running this try from its seed "
                    + (rerun == null ? "passed" : "failed differently (" + Shrinker.signature(rerun) + ")")
                    + ": the property is not deterministic, so the replay may not fail either.\n";
        }
        String command = replayCommand.apply(seed);
        String counterexample = render(shrunk.tape());
        StringBuilder m = new StringBuilder();
        m.append("Property ").append(name).append(" failed ");
        if (tryIndex < 0) {
            m.append("when replaying seed ").append(seed).append(".\n");
        } else {
            m.append("on try ")
                    .append(tryIndex + 1)
                    .append(" of ")
                    .append(tries)
                    .append(", seed ")
                    .append(seed)
                    .append(" (run seed ")
                    .append(runSeed)
                    .append(").\n");
        }
        m.append("  failure: ").append(describe(original)).append('\n');
        m.append(determinism);
        if (steps > 0 && shrunk.failure() != null) {
            m.append("Shrunk counterexample (")
                    .append(steps)
                    .append(" shrink steps), which fails with: ")
                    .append(describe(shrunk.failure()))
                    .append('\n');
        } else {
            m.append(determinism.isEmpty() ? "Counterexample:\n" : "Counterexample, as re-run:\n");
        }
        m.append(counterexample);
        m.append("Replay this try:\n  ").append(command).append('\n');
        PropertyFailedError error =
                new PropertyFailedError(m.toString(), original, name, tryIndex, seed, counterexample, command);
        if (shrunk.failure() != null && shrunk.failure() != original) {
            error.addSuppressed(shrunk.failure());
        }
        return error;
    }

    private static String render(Tape tape) {
        StringBuilder s = new StringBuilder();
        if (!tape.notes().isEmpty()) {
            s.append("  notes:\n");
            for (Tape.Note n : tape.notes()) {
                s.append("    ")
                        .append("  ".repeat(n.depth()))
                        .append(n.label())
                        .append(" = ")
                        .append(show(n.value()))
                        .append('\n');
            }
        }
        s.append("  drawn values:\n");
        if (tape.draws().isEmpty()) {
            s.append("    (none)\n");
        }
        for (Tape.Draw d : tape.draws()) {
            s.append("    ")
                    .append("  ".repeat(d.depth()))
                    .append(d.call())
                    .append(" = ")
                    .append(show(d.value()))
                    .append('\n');
        }
        if (tape.unloggedDraws() > 0) {
            s.append("    ... and ").append(tape.unloggedDraws()).append(" more draws\n");
        }
        return s.toString();
    }

    /** A value for the report: byte arrays in hex with their length, other arrays element by element, bounded. */
    static String show(Object value) {
        String s;
        try {
            if (value instanceof byte[] b) {
                int shown = Math.min(b.length, MAX_VALUE_CHARS / 2);
                s = "[" + b.length + " bytes] " + HexFormat.of().formatHex(b, 0, shown)
                        + (shown < b.length ? "..." : "");
            } else if (value != null && value.getClass().isArray()) {
                StringBuilder a = new StringBuilder("[");
                int n = Array.getLength(value);
                for (int i = 0; i < n && a.length() < MAX_VALUE_CHARS; i++) {
                    a.append(i == 0 ? "" : ", ").append(show(Array.get(value, i)));
                }
                s = a.append(']').toString();
            } else {
                s = String.valueOf(value);
            }
        } catch (RuntimeException e) {
            s = "<toString threw " + e + ">";
        }
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "..." : s;
    }

    /** A failure on one line, or several indented under it; bounded. */
    private static String describe(Throwable t) {
        String s = t.toString().strip();
        if (s.length() > MAX_MESSAGE_CHARS) {
            s = s.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        return s.replace("\n", "\n    ");
    }
}
