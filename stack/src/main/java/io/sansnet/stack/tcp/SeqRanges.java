package io.sansnet.stack.tcp;

/**
 * A bounded set of disjoint, non-adjacent sequence ranges {@code [start, end)} kept in ascending order. All members lie
 * within 2^31 of each other (inside one window), so serial comparison orders them. Used for the receiver's out-of-order
 * octets (RFC 2018 §4) and the sender's SACK scoreboard (RFC 6675 §3).
 */
final class SeqRanges {

    private final int maxRanges;
    private final int[] starts;
    private final int[] ends;
    private int count;

    SeqRanges(int maxRanges) {
        if (maxRanges <= 0) {
            throw new IllegalArgumentException("maxRanges must be positive");
        }
        this.maxRanges = maxRanges;
        this.starts = new int[maxRanges + 1];
        this.ends = new int[maxRanges + 1];
    }

    int count() {
        return count;
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    boolean isEmpty() {
        return count == 0;
    }

    void clear() {
        count = 0;
    }

    /**
     * Adds {@code [start, end)}, merging with overlapping or adjacent ranges. Returns false, changing nothing, when
     * the result would need more than {@code maxRanges} ranges.
     */
    boolean add(int start, int end) {
        if (!SeqNum.lt(start, end)) {
            return true;
        }
        int i = 0;
        while (i < count && SeqNum.lt(ends[i], start)) {
            i++;
        }
        int j = i;
        int newStart = start;
        int newEnd = end;
        while (j < count && SeqNum.le(starts[j], end)) {
            newStart = SeqNum.min(newStart, starts[j]);
            newEnd = SeqNum.max(newEnd, ends[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && count == maxRanges) {
            return false;
        }
        // replace ranges [i, j) by the one new range
        int tail = count - j;
        System.arraycopy(starts, j, starts, i + 1, tail);
        System.arraycopy(ends, j, ends, i + 1, tail);
        starts[i] = newStart;
        ends[i] = newEnd;
        count = i + 1 + tail;
        return true;
    }

    /** Drops every octet before {@code seq}. */
    void removeBefore(int seq) {
        int i = 0;
        while (i < count && SeqNum.le(ends[i], seq)) {
            i++;
        }
        if (i > 0) {
            System.arraycopy(starts, i, starts, 0, count - i);
            System.arraycopy(ends, i, ends, 0, count - i);
            count -= i;
        }
        if (count > 0 && SeqNum.lt(starts[0], seq)) {
            starts[0] = seq;
        }
    }

    /** Index of the range containing {@code seq}, or -1. */
    int indexOf(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.le(starts[i], seq) && SeqNum.lt(seq, ends[i])) {
                return i;
            }
        }
        return -1;
    }

    boolean contains(int seq) {
        return indexOf(seq) >= 0;
    }

    /** Whether one range holds all of {@code [start, end)}. */
    boolean containsRange(int start, int end) {
        int i = indexOf(start);
        return i >= 0 && SeqNum.le(end, ends[i]);
    }

    /** Octets covered by all ranges. */
    long totalLength() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += SeqNum.sub(ends[i], starts[i]);
        }
        return n;
    }

    /** The first range whose start is after {@code seq}, or -1. */
    int firstStartingAfter(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.gt(starts[i], seq)) {
                return i;
            }
        }
        return -1;
    }
}
