package io.sansnet.check;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shrinks a failing try by replaying edited choice sequences, keeping an edit when the property still fails the same
 * way ({@link #signature}: the exception class and where in the code under test it was thrown) and the recorded
 * choices are simpler ({@link Tape#simplerThan}). Passes, repeated until none
 * helps or the step budget is spent: delete list elements and bytes (shortest failing prefix first, then chunks),
 * set whole lists or elements to their simplest choices, then move each choice towards its target (binary search).
 * Each replay is one step; the result is deterministic for a deterministic property.
 */
final class Shrinker {
    /** Chunk deletions tried per list per round, so one long byte array cannot eat the whole budget. */
    private static final int MAX_CHUNK_TRIES_PER_SPAN = 200;
    /** Lists with at most this many elements also get each element simplified on its own. */
    private static final int MAX_ELEMENTS_ZEROED_ONE_BY_ONE = 64;

    record Outcome(Throwable failure, Tape tape) {}

    private final PropertyRunner.Body body;
    private final long seed;
    private final String failure;
    private final int maxSteps;
    private final Set<Key> seen = new HashSet<>();
    private Outcome best;
    private int steps;

    Shrinker(PropertyRunner.Body body, long seed, Outcome failing, int maxSteps) {
        this.body = body;
        this.seed = seed;
        this.failure = signature(failing.failure());
        this.best = failing;
        this.maxSteps = maxSteps;
        seen.add(new Key(failing.tape().values()));
    }

    /** The simplest failing outcome found. */
    Outcome shrink() {
        boolean progress = true;
        while (progress && budgetLeft()) {
            progress = deleteElements();
            progress |= simplifySpans();
            progress |= minimizeChoices();
        }
        return best;
    }

    int steps() {
        return steps;
    }

    private boolean budgetLeft() {
        return steps < maxSteps;
    }

    private Tape.Span span(int s) {
        return s < best.tape().spans().size() ? best.tape().spans().get(s) : null;
    }

    private boolean deleteElements() {
        boolean progress = false;
        for (int s = best.tape().spans().size() - 1; s >= 0 && budgetLeft(); s--) {
            Tape.Span sp = span(s);
            if (sp == null || sp.complete <= sp.min) {
                continue;
            }
            progress |= shortestFailingPrefix(s, sp);
            progress |= deleteChunks(s);
        }
        return progress;
    }

    /** Binary search for the fewest leading elements that still fail (assumes longer prefixes fail too). */
    private boolean shortestFailingPrefix(int s, Tape.Span sp) {
        int passing = (int) sp.min;
        int failing = sp.complete;
        if (keepPrefix(s, passing)) {
            return true;
        }
        boolean progress = false;
        while (failing - passing > 1 && budgetLeft()) {
            int mid = (passing + failing) >>> 1;
            if (keepPrefix(s, mid)) {
                failing = mid;
                progress = true;
            } else {
                passing = mid;
            }
        }
        return progress;
    }

    private boolean keepPrefix(int s, int keep) {
        Tape.Span sp = span(s);
        return sp != null && keep < sp.complete && delete(s, keep, sp.complete);
    }

    /** Deletes chunks of halving size, from the end towards the start (delta debugging). */
    private boolean deleteChunks(int s) {
        boolean progress = false;
        int tries = 0;
        Tape.Span sp = span(s);
        for (int k = sp == null ? 0 : (int) (sp.complete - sp.min); k >= 1; k /= 2) {
            Tape.Span now = span(s);
            if (now == null) {
                break;
            }
            int start = now.complete - k;
            while (start >= 0 && budgetLeft() && tries++ < MAX_CHUNK_TRIES_PER_SPAN) {
                Tape.Span cur = span(s);
                if (cur == null || cur.complete - k < cur.min) {
                    break;
                }
                if (start + k <= cur.complete && delete(s, start, start + k)) {
                    progress = true;
                }
                start -= k;
            }
        }
        return progress;
    }

    /** Removes elements {@code [from, to)} of span {@code s} and lowers its length choice to match. */
    private boolean delete(int s, int from, int to) {
        Tape tape = best.tape();
        Tape.Span sp = tape.spans().get(s);
        int a = sp.bounds[from];
        int b = sp.bounds[to];
        long[] v = tape.values();
        long[] candidate = new long[v.length - (b - a)];
        System.arraycopy(v, 0, candidate, 0, a);
        System.arraycopy(v, b, candidate, a, v.length - b);
        candidate[sp.lengthIndex] -= to - from;
        return consider(candidate);
    }

    /** Sets a whole list's choices, then (for short lists) each element's, to their simplest values. */
    private boolean simplifySpans() {
        boolean progress = false;
        for (int s = best.tape().spans().size() - 1; s >= 0 && budgetLeft(); s--) {
            Tape.Span sp = span(s);
            if (sp == null || sp.complete == 0) {
                continue;
            }
            progress |= simplifyRange(sp.bounds[0], sp.bounds[sp.complete]);
            sp = span(s);
            if (sp == null || sp.complete > MAX_ELEMENTS_ZEROED_ONE_BY_ONE) {
                continue;
            }
            for (int e = 0; e < sp.complete && budgetLeft(); e++) {
                Tape.Span cur = span(s);
                if (cur == null || e >= cur.complete) {
                    break;
                }
                progress |= simplifyRange(cur.bounds[e], cur.bounds[e + 1]);
            }
        }
        return progress;
    }

    private boolean simplifyRange(int from, int to) {
        Tape tape = best.tape();
        long[] candidate = tape.values();
        boolean changed = false;
        for (int i = from; i < to && i < candidate.length; i++) {
            long t = tape.target(i);
            changed |= candidate[i] != t;
            candidate[i] = t;
        }
        return changed && consider(candidate);
    }

    /** Moves each choice to its target, or as near as still fails (binary search on the distance). */
    private boolean minimizeChoices() {
        boolean progress = false;
        for (int i = 0; i < best.tape().size() && budgetLeft(); i++) {
            Tape tape = best.tape();
            long v = tape.value(i);
            long lo = tape.lo(i);
            long hi = tape.hi(i);
            long target = tape.target(i);
            if (v == target) {
                continue;
            }
            if (replace(i, target)) {
                progress = true;
                continue;
            }
            boolean above = v > target;
            long passing = 0;
            long failing = Tape.distance(v, target);
            while (Long.compareUnsigned(failing - passing, 1) > 0 && budgetLeft()) {
                long mid = passing + ((failing - passing) >>> 1);
                if (replace(i, above ? target + mid : target - mid)) {
                    failing = mid;
                    progress = true;
                    Tape now = best.tape();
                    if (i >= now.size() || now.lo(i) != lo || now.hi(i) != hi) {
                        break; // the structure changed under this choice: its bounds mean something else now
                    }
                } else {
                    passing = mid;
                }
            }
        }
        return progress;
    }

    private boolean replace(int i, long value) {
        long[] candidate = best.tape().values();
        if (i >= candidate.length) {
            return false;
        }
        candidate[i] = value;
        return consider(candidate);
    }

    private boolean consider(long[] candidate) {
        if (!budgetLeft() || !seen.add(new Key(candidate))) {
            return false;
        }
        steps++;
        Gen g = Gen.replaying(seed, candidate);
        Throwable t = PropertyRunner.invoke(body, g);
        if (t != null && signature(t).equals(failure) && g.tape().simplerThan(best.tape())) {
            best = new Outcome(t, g.tape());
            seen.add(new Key(g.tape().values()));
            return true;
        }
        return false;
    }

    /** Frames of these packages are not where a failure happened, only how it was reported or run. */
    private static final List<String> FRAMEWORK_PACKAGES =
            List.of("org.assertj.", "org.junit.", "org.opentest4j.", "java.", "javax.", "jdk.", "sun.", "com.sun.");

    /** The harness's own classes (its tests, also in this package, count as user code). */
    private static final List<String> HARNESS_CLASSES = List.of(
            Gen.class.getName(),
            PropertyRunner.class.getName(),
            PropertyExtension.class.getName(),
            Shrinker.class.getName(),
            Tape.class.getName(),
            Rng.class.getName());

    /**
     * How a try failed: the exception's class and the first stack frame outside assertion libraries, the JDK and the
     * harness (the assertion or throw in the property or the code it tests). Shrinking keeps this fixed, so that it
     * does not slip from the original bug to another one.
     */
    static String signature(Throwable t) {
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if (FRAMEWORK_PACKAGES.stream().noneMatch(c::startsWith)
                    && HARNESS_CLASSES.stream().noneMatch(h -> c.equals(h) || c.startsWith(h + "$"))) {
                return t.getClass().getName() + " at " + f;
            }
        }
        return t.getClass().getName();
    }

    /** A choice sequence as a set element (arrays compare by identity). */
    private static final class Key {
        private final long[] values;
        private final int hash;

        Key(long[] values) {
            this.values = values;
            this.hash = Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.values, values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
