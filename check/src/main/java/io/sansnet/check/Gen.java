package io.sansnet.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The source of every value a property draws: seeded by the try's seed, deterministic, and shrinkable.
 *
 * <p>Each draw is one integer choice within known bounds; a failing try's choices are replayed with edits (shorter
 * lists and byte arrays, numbers nearer to zero or their lower bound, probabilities nearer to 0) to find a simpler
 * input that fails the same way. Values computed from {@link #seed()} or {@link #nextLong()} used as a seed cannot be
 * shrunk element by element; draw what should shrink through the other methods.
 *
 * <p>Draws are biased a little towards the edges (bounds, zero, small sizes) where bugs live; the distribution is
 * otherwise uniform. Outside a {@link Property}, {@link #fromSeed(long)} gives a generator for any other harness. Not
 * thread-safe.
 */
public final class Gen {
    private static final int UNIFORM = 0;
    private static final int EDGES = 1;
    private static final int SIZE = 2;
    /** Sizes drawn from the small range are at most this much above the minimum. */
    private static final long SMALL_SIZE = 8;
    /** Ranges up to this size take their value from the same 64 random bits as the edge decision. */
    private static final long MAX_SHARED_DRAW_RANGE = 1L << 16;
    /**
     * A replay may draw at most this many choices past the end of its sequence (each the simplest value) before it is
     * abandoned: a loop such as {@code while (!g.bool())} would otherwise never end on simplest values.
     */
    static final int MAX_CHOICES_PAST_REPLAY = 10_000;

    private final long seed;
    private final Rng rng;
    private final long[] replay;
    private final Tape tape;
    private int pos;
    private int depth;

    private Gen(long seed, Rng rng, long[] replay, Tape tape) {
        this.seed = seed;
        this.rng = rng;
        this.replay = replay;
        this.tape = tape;
    }

    /** A generator drawing from {@code seed}: the same seed gives the same values on every JVM. */
    public static Gen fromSeed(long seed) {
        return new Gen(seed, new Rng(seed), null, null);
    }

    /** Draws from the seed and records the choices, notes and draws (a failing try being re-run). */
    static Gen recording(long seed) {
        return new Gen(seed, new Rng(seed), null, new Tape());
    }

    /**
     * Replays {@code choices}: a choice outside the bounds asked for, or one past the end, becomes the simplest value
     * in bounds. Records what it actually used.
     */
    static Gen replaying(long seed, long[] choices) {
        return new Gen(seed, null, choices, new Tape());
    }

    Tape tape() {
        return tape;
    }

    /** The try's seed; the same while shrinking. Use it to seed a component whose input is not shrunk. */
    public long seed() {
        return seed;
    }

    /** 64 uniform random bits (shrinks towards 0). */
    public long nextLong() {
        long v = choose(Long.MIN_VALUE, Long.MAX_VALUE, UNIFORM);
        if (tape != null) {
            log("nextLong()", v);
        }
        return v;
    }

    /** An int in {@code [lo, hi]}, both inclusive (shrinks towards 0, or the bound nearer to it). */
    public int intBetween(int lo, int hi) {
        requireOrdered(lo, hi);
        int v = (int) choose(lo, hi, EDGES);
        if (tape != null) {
            log("intBetween", lo, hi, v);
        }
        return v;
    }

    /** A long in {@code [lo, hi]}, both inclusive (shrinks towards 0, or the bound nearer to it). */
    public long longBetween(long lo, long hi) {
        requireOrdered(lo, hi);
        long v = choose(lo, hi, EDGES);
        if (tape != null) {
            log("longBetween", lo, hi, v);
        }
        return v;
    }

    /** True or false with equal chance (shrinks towards false). */
    public boolean bool() {
        boolean v = choose(0, 1, UNIFORM) == 1;
        if (tape != null) {
            log("bool()", v);
        }
        return v;
    }

    /** True with probability {@code p}, a fraction 0..1 (shrinks towards false). */
    public boolean chance(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
        }
        long v;
        if (replay == null) {
            v = rng.nextDouble() < p ? 1 : 0;
            record(v, 0, 1);
        } else {
            v = replayChoice(0, 1);
        }
        if (tape != null) {
            tape.log(depth, "chance(" + p + ")", v == 1);
        }
        return v == 1;
    }

    /** A fraction in {@code [0, 1)} with 53 random bits (shrinks towards 0). */
    public double probability() {
        double v = choose(0, (1L << 53) - 1, EDGES) * 0x1.0p-53;
        if (tape != null) {
            log("probability()", v);
        }
        return v;
    }

    /** A byte array of a length in {@code [minLen, maxLen]} (shrinks shorter, then towards zero bytes). */
    public byte[] bytes(int minLen, int maxLen) {
        requireSizes(minLen, maxLen);
        int len = (int) choose(minLen, maxLen, SIZE);
        Tape.Span span = tape == null ? null : tape.openSpan(minLen, len);
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) choose(0, 255, EDGES);
            if (span != null) {
                span.elementDone(pos);
            }
        }
        if (tape != null) {
            log("bytes", minLen, maxLen, out.clone()); // a copy: the caller may change its array
        }
        return out;
    }

    /**
     * A list of {@code [min, max]} elements, each drawn by {@code element} from this generator (shrinks to fewer
     * elements, then simpler ones). The list is unmodifiable and may hold nulls if {@code element} returns them.
     */
    public <T> List<T> listOf(int min, int max, Function<Gen, T> element) {
        requireSizes(min, max);
        Objects.requireNonNull(element, "element");
        int n = (int) choose(min, max, SIZE);
        if (tape != null) {
            log("listOf", min, max, "size " + n);
        }
        Tape.Span span = tape == null ? null : tape.openSpan(min, n);
        List<T> out = new ArrayList<>(n);
        depth++;
        try {
            for (int i = 0; i < n; i++) {
                out.add(element.apply(this));
                if (span != null) {
                    span.elementDone(pos);
                }
            }
        } finally {
            depth--;
        }
        return Collections.unmodifiableList(out);
    }

    /** One of {@code options}, which must not be empty (shrinks towards the first). */
    public <T> T pick(List<T> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("nothing to pick from");
        }
        int i = (int) choose(0, options.size() - 1L, UNIFORM);
        T v = options.get(i);
        if (tape != null) {
            tape.log(depth, "pick(one of " + options.size() + ")", v);
        }
        return v;
    }

    /** One of {@code options}, which must not be empty (shrinks towards the first). */
    @SafeVarargs
    public final <T> T pick(T... options) {
        return pick(Arrays.asList(options));
    }

    /**
     * Labels a value for the failure report (the counterexample shows every note of the shrunk try). The value is
     * rendered only when a report is written; arrays are shown element by element.
     */
    public void note(String label, Object value) {
        if (tape != null) {
            tape.note(depth, label, value);
        }
    }

    private long choose(long lo, long hi, int distribution) {
        if (replay != null) {
            return replayChoice(lo, hi);
        }
        long v = draw(lo, hi, distribution);
        record(v, lo, hi);
        return v;
    }

    private long replayChoice(long lo, long hi) {
        if (pos - replay.length >= MAX_CHOICES_PAST_REPLAY) {
            throw new Overrun();
        }
        long v = pos < replay.length ? replay[pos] : Tape.target(lo, hi);
        if (v < lo || v > hi) {
            v = Tape.target(lo, hi);
        }
        record(v, lo, hi);
        return v;
    }

    private void record(long v, long lo, long hi) {
        pos++;
        if (tape != null) {
            tape.add(v, lo, hi);
        }
    }

    private long draw(long lo, long hi, int distribution) {
        long range = hi - lo + 1; // unsigned; 0 stands for 2^64
        if (distribution != UNIFORM && lo != hi) {
            long r = rng.nextLong();
            int pick = (int) (r & 15);
            if (pick == 0) {
                return edge(lo, hi, (int) ((r >>> 4) % 6));
            }
            if (distribution == SIZE && pick <= 2) {
                long small = Long.compareUnsigned(range, SMALL_SIZE + 1) < 0 ? range : SMALL_SIZE + 1;
                return lo + rng.nextUnsigned(small);
            }
            if (range > 0 && range <= MAX_SHARED_DRAW_RANGE) {
                // reuse the top 32 bits (unused above) by multiply-shift: exact for powers of two such as a
                // byte's 256, otherwise biased by less than range / 2^32
                return lo + (((r >>> 32) * range) >>> 32);
            }
        }
        return lo + rng.nextUnsigned(range);
    }

    /** An edge of {@code [lo, hi]} (lo < hi): a bound, the simplest value, or a neighbour of one. */
    private static long edge(long lo, long hi, int which) {
        long target = Tape.target(lo, hi);
        switch (which) {
            case 0:
                return lo;
            case 1:
                return hi;
            case 2:
                return lo + 1;
            case 3:
                return hi - 1;
            case 4:
                return target;
            default:
                return target < hi ? target + 1 : target - 1;
        }
    }

    /** Logs a draw; callers check {@code tape != null} first, so that untaped tries box nothing. */
    private void log(String call, Object value) {
        tape.log(depth, call, value);
    }

    private void log(String method, long lo, long hi, Object value) {
        tape.log(depth, method + "(" + lo + ", " + hi + ")", value);
    }

    /** A replay drew too far past its choices; the shrinker discards such a candidate. An Error, so that property
     *  code catching exceptions does not swallow it. */
    static final class Overrun extends Error {
        Overrun() {
            super(
                    "replay drew more than " + MAX_CHOICES_PAST_REPLAY + " choices past its recorded ones",
                    null,
                    false,
                    false);
        }
    }

    private static void requireOrdered(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty range: [" + lo + ", " + hi + "]");
        }
    }

    private static void requireSizes(int min, int max) {
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("bad size range: [" + min + ", " + max + "]");
        }
    }
}
