package io.sansnet.stack.host;

import io.sansnet.stack.wire.IpPacket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fragment reassembly for IPv4 and IPv6 in one bounded memory budget. Read first: RFC 791 §3.2 (reassembly), RFC 815
 * (the hole-descriptor algorithm used here), RFC 8200 §4.5 (IPv6 fragments), RFC 5722 (overlapping IPv6 fragments),
 * RFC 1122 §3.3.2 (timeouts).
 *
 * <p>Rules of this file:
 *
 * <ul>
 *   <li>Each datagram in progress keeps the data it has received as non-overlapping pieces (never a buffer sized for
 *       the whole datagram, so a tiny fragment at a high offset costs only its own bytes) and a sorted list of holes.
 *   <li>IPv4 overlaps are tolerated: bytes already received win, only the parts of a fragment that fill holes are
 *       kept. IPv6 overlaps drop the whole datagram (RFC 5722 §4); an exact duplicate (same offset and length, as
 *       RFC 8200 §4.5 permits, like Linux) is dropped alone.
 *   <li>Memory is the sum of {@link #DATAGRAM_OVERHEAD_BYTES} per datagram, the saved first-fragment headers, each
 *       piece's bytes plus {@link #PIECE_OVERHEAD_BYTES} and {@link #HOLE_OVERHEAD_BYTES} per hole. Before a fragment
 *       is stored its exact cost is computed; if the total would exceed the budget, the oldest other datagrams are
 *       evicted (counted as budget drops) until it fits, and if it still does not fit, its own datagram is dropped.
 *       Evicting the oldest leaves room for new datagrams, so a flood of incomplete fragments cannot starve a
 *       complete datagram whose fragments arrive close together. The budget is never exceeded, not even briefly.
 *   <li>Every datagram has one deadline, its first fragment's arrival plus the timeout. Datagrams are kept in arrival
 *       order, so the oldest is also the first to expire.
 * </ul>
 */
final class Reassembler {

    /** Bookkeeping charged per datagram in progress (the map entry, key, hole list and piece map objects). */
    static final int DATAGRAM_OVERHEAD_BYTES = 256;
    /** Bookkeeping charged per stored piece (array header, map node). */
    static final int PIECE_OVERHEAD_BYTES = 64;
    /** Bookkeeping charged per hole descriptor. */
    static final int HOLE_OVERHEAD_BYTES = 32;

    /** RFC 815's "infinity": the last hole's end before the last fragment has arrived. */
    private static final int INFINITY = Integer.MAX_VALUE;

    /** What became of one fragment. */
    sealed interface Outcome {
        /** Stored; the datagram is not complete yet. */
        record Incomplete() implements Outcome {}

        /**
         * The datagram is complete.
         *
         * @param firstHeader the fragment at offset 0 without its data (its headers)
         * @param data the reassembled data (the fragmentable part)
         */
        record Complete(IpPacket firstHeader, byte[] data) implements Outcome {}

        /** The fragment (and, except for {@link Reason#DUPLICATE}, its whole datagram) was dropped. */
        record Dropped(Reason reason) implements Outcome {}
    }

    /** Why a fragment was dropped. */
    enum Reason {
        /** Its data had all been received already; the datagram is kept. */
        DUPLICATE,
        /** IPv6 only: it overlapped data already received (RFC 5722 §4); the datagram is dropped. */
        OVERLAP,
        /** The fragments disagree about where the datagram ends; the datagram is dropped. */
        INVALID,
        /** Storing it would exceed the budget even after evicting every other datagram. */
        BUDGET
    }

    /**
     * A datagram abandoned at its deadline.
     *
     * @param key its identity
     * @param firstFragmentQuote the saved start of the fragment at offset 0 (for an ICMP time exceeded message), or
     *     {@code null} when that fragment never arrived or no error may be sent about it
     */
    record Expired(FragmentKey key, byte[] firstFragmentQuote) {}

    private record Hole(int first, int last) {}

    private static final Outcome INCOMPLETE = new Outcome.Incomplete();

    /** One datagram in progress. */
    private static final class Datagram {
        final long deadlineNanos;
        final List<Hole> holes = new ArrayList<>();
        final TreeMap<Integer, byte[]> pieces = new TreeMap<>();
        /** The total data length once the last fragment has arrived, else -1. */
        int totalLength = -1;
        /** The highest end offset of any data received. */
        int maxEnd;

        IpPacket firstHeader;
        byte[] firstFragmentQuote;
        long memoryBytes;

        Datagram(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            holes.add(new Hole(0, INFINITY));
        }
    }

    private final long budgetBytes;
    private final long timeoutNanos;
    private final Counters counters;
    private final LinkedHashMap<FragmentKey, Datagram> datagrams = new LinkedHashMap<>();
    private long memoryBytes;

    Reassembler(long budgetBytes, long timeoutNanos, Counters counters) {
        this.budgetBytes = budgetBytes;
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
    }

    /** Bytes currently charged to datagrams in progress; never more than the budget. */
    long memoryBytes() {
        return memoryBytes;
    }

    /** Datagrams in progress. */
    int inProgress() {
        return datagrams.size();
    }

    /** The earliest deadline of a datagram in progress, or {@link Long#MAX_VALUE}. */
    long nextDeadline() {
        if (datagrams.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return datagrams.values().iterator().next().deadlineNanos;
    }

    /**
     * Adds one fragment.
     *
     * @param key the datagram it belongs to
     * @param offset its data offset in bytes
     * @param buf,off,len its data (copied if kept); {@code len > 0}
     * @param moreFragments the M / MF flag: false for the last fragment
     * @param firstHeader for the fragment at offset 0, the fragment without data, to rebuild the datagram with (else
     *     ignored)
     * @param firstFragmentQuote for the fragment at offset 0, its start as received for an ICMP time exceeded message,
     *     or {@code null} when no error may be sent about it (else ignored)
     * @param nowNanos the time of arrival
     */
    Outcome add(
            FragmentKey key,
            int offset,
            byte[] buf,
            int off,
            int len,
            boolean moreFragments,
            IpPacket firstHeader,
            byte[] firstFragmentQuote,
            long nowNanos) {
        if (len <= 0 || offset < 0) {
            throw new IllegalArgumentException("bad fragment: offset " + offset + " length " + len);
        }
        boolean strict = key.version() == 6; // RFC 5722 §4 for IPv6, tolerant RFC 815 for IPv4
        int first = offset;
        int last = offset + len - 1;
        int end = last + 1;

        Datagram dg = datagrams.get(key);
        boolean created = dg == null;
        if (created) {
            dg = new Datagram(saturatedAdd(nowNanos, timeoutNanos));
        }

        // RFC 815 step 4 (and RFC 791): every fragment must agree on where the datagram ends
        if (!moreFragments) {
            if ((dg.totalLength >= 0 && dg.totalLength != end) || dg.maxEnd > end) {
                return drop(key, created, Reason.INVALID);
            }
        } else if (dg.totalLength >= 0 && end > dg.totalLength) {
            return drop(key, created, Reason.INVALID);
        }
        int newTotal = moreFragments ? dg.totalLength : end;
        boolean setsTotal = newTotal != dg.totalLength;

        // Plan: which parts of [first, last] fill holes (a dry run, so the cost is known before anything changes)
        int newPieces = 0;
        long newBytes = 0;
        int holesAfter = 0;
        boolean insideOneHole = false;
        for (Hole h : dg.holes) {
            int hLast = newTotal >= 0 ? Math.min(h.last, newTotal - 1) : h.last;
            if (h.first > hLast) {
                continue; // the infinite hole, closed by this last fragment
            }
            if (last < h.first || first > hLast) {
                holesAfter++;
                continue;
            }
            // RFC 815 steps 5-7: the fragment fills part of this hole, leaving at most two holes
            newPieces++;
            newBytes += Math.min(last, hLast) - Math.max(first, h.first) + 1;
            if (first > h.first) {
                holesAfter++;
            }
            if (last < hLast) {
                holesAfter++;
            }
            if (h.first <= first && last <= hLast) {
                insideOneHole = true;
            }
        }
        if (strict && !insideOneHole) {
            byte[] same = dg.pieces.get(first);
            if (!created && !setsTotal && same != null && same.length == len) {
                counters.increment(HostCounter.IP6_DUPLICATE_FRAGMENTS);
                return new Outcome.Dropped(Reason.DUPLICATE);
            }
            return drop(key, created, Reason.OVERLAP);
        }
        if (newPieces == 0 && !setsTotal) {
            counters.increment(strict ? HostCounter.IP6_DUPLICATE_FRAGMENTS : HostCounter.IP_DUPLICATE_FRAGMENTS);
            return new Outcome.Dropped(Reason.DUPLICATE);
        }

        long cost = newBytes
                + (long) newPieces * PIECE_OVERHEAD_BYTES
                + (long) (holesAfter - dg.holes.size()) * HOLE_OVERHEAD_BYTES
                + (created ? DATAGRAM_OVERHEAD_BYTES + HOLE_OVERHEAD_BYTES : 0); // a new datagram's initial hole
        boolean savesHeader = first == 0 && dg.firstHeader == null;
        if (savesHeader) {
            cost += firstHeader.length() + (firstFragmentQuote == null ? 0 : firstFragmentQuote.length);
        }
        if (dg.memoryBytes + cost > budgetBytes || !makeRoom(key, cost)) {
            return drop(key, created, Reason.BUDGET);
        }

        // Apply the plan
        if (created) {
            datagrams.put(key, dg);
        }
        if (setsTotal) {
            dg.totalLength = newTotal;
        }
        List<Hole> holes = new ArrayList<>(holesAfter);
        for (Hole h : dg.holes) {
            int hLast = dg.totalLength >= 0 ? Math.min(h.last, dg.totalLength - 1) : h.last;
            if (h.first > hLast) {
                continue;
            }
            if (last < h.first || first > hLast) {
                holes.add(new Hole(h.first, hLast));
                continue;
            }
            int from = Math.max(first, h.first);
            int to = Math.min(last, hLast);
            byte[] piece = new byte[to - from + 1];
            System.arraycopy(buf, off + (from - first), piece, 0, piece.length);
            dg.pieces.put(from, piece);
            if (first > h.first) {
                holes.add(new Hole(h.first, first - 1));
            }
            if (last < hLast) {
                holes.add(new Hole(last + 1, hLast));
            }
        }
        dg.holes.clear();
        dg.holes.addAll(holes);
        dg.maxEnd = Math.max(dg.maxEnd, end);
        if (savesHeader) {
            dg.firstHeader = firstHeader;
            dg.firstFragmentQuote = firstFragmentQuote == null ? null : firstFragmentQuote.clone();
        }
        dg.memoryBytes += cost;
        memoryBytes += cost;

        // RFC 815 step 8: no holes left means the datagram is complete
        if (!dg.holes.isEmpty()) {
            return INCOMPLETE;
        }
        remove(key);
        byte[] data = new byte[dg.totalLength];
        for (Map.Entry<Integer, byte[]> e : dg.pieces.entrySet()) {
            System.arraycopy(e.getValue(), 0, data, e.getKey(), e.getValue().length);
        }
        return new Outcome.Complete(dg.firstHeader, data);
    }

    /** Abandons every datagram whose deadline is at or before {@code nowNanos}, oldest first. */
    List<Expired> expire(long nowNanos) {
        List<Expired> out = new ArrayList<>();
        Iterator<Map.Entry<FragmentKey, Datagram>> it = datagrams.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<FragmentKey, Datagram> e = it.next();
            if (e.getValue().deadlineNanos > nowNanos) {
                break;
            }
            it.remove();
            memoryBytes -= e.getValue().memoryBytes;
            counters.increment(
                    e.getKey().version() == 6 ? HostCounter.IP6_REASSEMBLY_FAILED : HostCounter.IP_REASSEMBLY_FAILED);
            out.add(new Expired(e.getKey(), e.getValue().firstFragmentQuote));
        }
        return out;
    }

    /** Evicts the oldest datagrams other than {@code keep} until {@code cost} more bytes fit; false if they cannot. */
    private boolean makeRoom(FragmentKey keep, long cost) {
        Iterator<Map.Entry<FragmentKey, Datagram>> it = datagrams.entrySet().iterator();
        while (memoryBytes + cost > budgetBytes && it.hasNext()) {
            Map.Entry<FragmentKey, Datagram> e = it.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            it.remove();
            memoryBytes -= e.getValue().memoryBytes;
            countBudgetDrop(e.getKey());
        }
        return memoryBytes + cost <= budgetBytes;
    }

    private Outcome drop(FragmentKey key, boolean created, Reason reason) {
        if (!created) {
            remove(key);
        }
        switch (reason) {
            case OVERLAP -> counters.increment(HostCounter.IP6_OVERLAP_DROPS);
            case INVALID ->
                counters.increment(
                        key.version() == 6 ? HostCounter.IP6_REASSEMBLY_INVALID : HostCounter.IP_REASSEMBLY_INVALID);
            case BUDGET -> countBudgetDrop(key);
            case DUPLICATE -> throw new IllegalStateException("duplicates do not drop the datagram");
        }
        return new Outcome.Dropped(reason);
    }

    private void countBudgetDrop(FragmentKey key) {
        counters.increment(
                key.version() == 6 ? HostCounter.IP6_REASSEMBLY_BUDGET_DROPS : HostCounter.IP_REASSEMBLY_BUDGET_DROPS);
    }

    private void remove(FragmentKey key) {
        Datagram dg = datagrams.remove(key);
        if (dg != null) {
            memoryBytes -= dg.memoryBytes;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
