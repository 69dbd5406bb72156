package io.sansnet.trace.plot;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sequence ranges a sender has sent, as disjoint sorted intervals: tells a retransmission (a range that overlaps
 * one sent before) from a first transmission, including segments seen out of order. Bounded by
 * {@link PlotLimits#maxTrackedRanges()}: past it the two lowest intervals are joined, forgetting the oldest hole.
 */
final class SeenRanges {
    private final int maxRanges;
    /** start -> end (exclusive), disjoint and not touching. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    SeenRanges(int maxRanges) {
        this.maxRanges = maxRanges;
    }

    /** Whether any octet of {@code [start, end)} was added before. */
    boolean overlaps(long start, long end) {
        Map.Entry<Long, Long> below = ranges.lowerEntry(end);
        return below != null && below.getValue() > start;
    }

    /** Adds {@code [start, end)}, merging it with the intervals it touches. */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        long s = start;
        long e = end;
        Map.Entry<Long, Long> below = ranges.floorEntry(s);
        if (below != null && below.getValue() >= s) {
            s = below.getKey();
            e = Math.max(e, below.getValue());
            ranges.remove(below.getKey());
        }
        while (true) {
            Map.Entry<Long, Long> next = ranges.ceilingEntry(s);
            if (next == null || next.getKey() > e) {
                break;
            }
            e = Math.max(e, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(s, e);
        while (ranges.size() > maxRanges) {
            Map.Entry<Long, Long> first = ranges.pollFirstEntry();
            Map.Entry<Long, Long> second = ranges.pollFirstEntry();
            ranges.put(first.getKey(), Math.max(first.getValue(), second.getValue()));
        }
    }

    int size() {
        return ranges.size();
    }
}
