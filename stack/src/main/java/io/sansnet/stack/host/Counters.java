package io.sansnet.stack.host;

/** The live, mutable counters of one host (package-private); {@link #snapshot()} gives the public view. */
final class Counters {
    private final long[] values = new long[HostCounter.values().length];

    void increment(HostCounter c) {
        values[c.ordinal()]++;
    }

    void add(HostCounter c, long n) {
        values[c.ordinal()] += n;
    }

    long get(HostCounter c) {
        return values[c.ordinal()];
    }

    HostCounters snapshot() {
        return HostCounters.of(values);
    }
}
