package io.sansnet.stack.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of a {@link Host}'s counters, like the output of {@code netstat -s}. Take one with
 * {@link Host#counters()} at any time; it does not change afterwards.
 */
public final class HostCounters {

    /** One printed line: a counter's name and its value. */
    public record Entry(String name, long value) {
        public Entry {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name + ": " + value;
        }
    }

    private static final HostCounter[] ALL = HostCounter.values();

    private final long[] values;

    private HostCounters(long[] values) {
        this.values = values;
    }

    /** A snapshot of {@code values}, indexed by {@link HostCounter#ordinal()}; the array is copied. */
    static HostCounters of(long[] values) {
        if (values.length != ALL.length) {
            throw new IllegalArgumentException("expected " + ALL.length + " values, got " + values.length);
        }
        return new HostCounters(values.clone());
    }

    /** All counters at zero. */
    public static HostCounters zero() {
        return new HostCounters(new long[ALL.length]);
    }

    /** The value of one counter. */
    public long get(HostCounter counter) {
        return values[counter.ordinal()];
    }

    /**
     * The value of the counter printed as {@code name} (e.g. {@code "udp.noPort"}); throws
     * {@link IllegalArgumentException} for an unknown name.
     */
    public long get(String name) {
        for (HostCounter c : ALL) {
            if (c.counterName().equals(name)) {
                return values[c.ordinal()];
            }
        }
        throw new IllegalArgumentException("no such counter: " + name);
    }

    /** Every counter, in the stable order of {@link HostCounter}. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(ALL.length);
        for (HostCounter c : ALL) {
            out.add(new Entry(c.counterName(), values[c.ordinal()]));
        }
        return Collections.unmodifiableList(out);
    }

    /** Only the counters that are not zero, in the same order. */
    public List<Entry> nonZero() {
        List<Entry> out = new ArrayList<>();
        for (HostCounter c : ALL) {
            if (values[c.ordinal()] != 0) {
                out.add(new Entry(c.counterName(), values[c.ordinal()]));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The change since {@code earlier}: each counter's difference. */
    public HostCounters minus(HostCounters earlier) {
        long[] d = new long[ALL.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i] - earlier.values[i];
        }
        return new HostCounters(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostCounters other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** The non-zero counters, one {@code name: value} per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : nonZero()) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }
}
