package io.sansnet.http.server;

/**
 * The {@code Date} field value (RFC 9110 §6.6.1), formatted once per second of the injected clock and shared by all
 * connections (TechEmpower's rule: a cached Date may be at most one second old). Safe for several loop threads: the
 * cached pair is one immutable value behind a volatile reference.
 */
final class DateCache {
    private record Entry(long second, String text) {}

    private final WallClock clock;
    private volatile Entry entry = new Entry(Long.MIN_VALUE, "");

    DateCache(WallClock clock) {
        this.clock = clock;
    }

    long epochMillis() {
        return clock.epochMillis();
    }

    String now() {
        long second = Math.floorDiv(clock.epochMillis(), 1000L);
        Entry e = entry;
        if (e.second != second) {
            e = new Entry(second, HttpDate.format(second));
            entry = e;
        }
        return e.text;
    }
}
