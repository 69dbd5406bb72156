package io.sansnet.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The choices one try made, in order (a Hypothesis-style choice sequence): every draw is one integer choice within
 * bounds, and the generated values are a pure function of these choices. Shrinking edits the choices and replays
 * them; it never needs to understand the generated values themselves.
 *
 * <p>Also records the structure needed to shrink collections ({@link Span}s), the labelled notes and a log of the
 * draws, all for the failure report. Only failing tries and shrink candidates are recorded.
 */
final class Tape {
    /** Draws beyond this many are counted, not kept, so a report stays readable. */
    static final int MAX_LOGGED_DRAWS = 200;

    private long[] values = new long[32];
    private long[] lows = new long[32];
    private long[] highs = new long[32];
    private int size;
    private final List<Span> spans = new ArrayList<>();
    private final List<Draw> draws = new ArrayList<>();
    private int unloggedDraws;
    private final List<Note> notes = new ArrayList<>();

    /** A list or byte array: its length choice and where each element's choices start and end. */
    static final class Span {
        final int lengthIndex;
        final long min;
        /** Element k's choices are {@code [bounds[k], bounds[k + 1])}; only {@link #complete} elements are final. */
        final int[] bounds;

        int complete;

        Span(int lengthIndex, long min, int length, int firstChoice) {
            this.lengthIndex = lengthIndex;
            this.min = min;
            this.bounds = new int[length + 1];
            this.bounds[0] = firstChoice;
        }

        void elementDone(int nextChoice) {
            bounds[++complete] = nextChoice;
        }
    }

    /** One call of a {@link Gen} method and the value it returned; {@code depth} counts enclosing lists. */
    record Draw(int depth, String call, Object value) {}

    record Note(int depth, String label, Object value) {}

    void add(long value, long lo, long hi) {
        if (size == values.length) {
            int n = size * 2;
            values = Arrays.copyOf(values, n);
            lows = Arrays.copyOf(lows, n);
            highs = Arrays.copyOf(highs, n);
        }
        values[size] = value;
        lows[size] = lo;
        highs[size] = hi;
        size++;
    }

    int size() {
        return size;
    }

    long value(int i) {
        return values[i];
    }

    long lo(int i) {
        return lows[i];
    }

    long hi(int i) {
        return highs[i];
    }

    long target(int i) {
        return target(lows[i], highs[i]);
    }

    long[] values() {
        return Arrays.copyOf(values, size);
    }

    List<Span> spans() {
        return spans;
    }

    Span openSpan(long min, int length) {
        Span s = new Span(size - 1, min, length, size);
        spans.add(s);
        return s;
    }

    void log(int depth, String call, Object value) {
        if (draws.size() < MAX_LOGGED_DRAWS) {
            draws.add(new Draw(depth, call, value));
        } else {
            unloggedDraws++;
        }
    }

    void note(int depth, String label, Object value) {
        notes.add(new Note(depth, label, value));
    }

    List<Draw> draws() {
        return draws;
    }

    int unloggedDraws() {
        return unloggedDraws;
    }

    List<Note> notes() {
        return notes;
    }

    /** The simplest value of {@code [lo, hi]}: zero when it is in range, else the bound nearer to zero. */
    static long target(long lo, long hi) {
        if (lo > 0) {
            return lo;
        }
        if (hi < 0) {
            return hi;
        }
        return 0;
    }

    /**
     * Shortlex order: fewer choices is simpler; with as many, the first differing choice decides, the one nearer to
     * its target being simpler (at equal distance, the one above the target).
     */
    boolean simplerThan(Tape other) {
        if (size != other.size) {
            return size < other.size;
        }
        for (int i = 0; i < size; i++) {
            int c = compareRank(values[i], target(i), other.values[i], other.target(i));
            if (c != 0) {
                return c < 0;
            }
        }
        return false;
    }

    private static int compareRank(long a, long ta, long b, long tb) {
        int byDistance = Long.compareUnsigned(distance(a, ta), distance(b, tb));
        if (byDistance != 0) {
            return byDistance;
        }
        return Boolean.compare(a < ta, b < tb);
    }

    /** {@code |v - t|} as an unsigned long (exact even when the difference exceeds Long.MAX_VALUE). */
    static long distance(long v, long t) {
        return v >= t ? v - t : t - v;
    }
}
