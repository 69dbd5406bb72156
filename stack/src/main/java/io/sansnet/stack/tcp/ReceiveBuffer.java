package io.sansnet.stack.tcp;

import io.sansnet.stack.wire.TcpOptions.SackBlock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded receive side: in-order octets waiting for the user, followed in the same ring by out-of-order octets
 * waiting for the hole before them to fill (RFC 9293 §3.10.7.4, "segments with higher beginning sequence numbers may be
 * held for later processing"). The receive window is exactly the free space, so whatever the window admits fits.
 *
 * <p>The out-of-order store is bounded twice: by the ring and by {@code maxOutOfOrderRanges} holes; a segment that
 * would need another range is dropped (the peer retransmits it). RCV.NXT is owned by the connection and passed in.
 */
final class ReceiveBuffer {

    private final int capacity;
    private final SeqRanges outOfOrder;
    /** Starts of recently received out-of-order segments, most recent first (RFC 2018 §4 SACK block order). */
    private final int[] recent;

    private int recentCount;

    private byte[] ring = new byte[0];
    private int head;
    private int readable;

    ReceiveBuffer(int capacity, int maxOutOfOrderRanges) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.outOfOrder = new SeqRanges(maxOutOfOrderRanges);
        this.recent = new int[Math.max(4, maxOutOfOrderRanges)];
    }

    int capacity() {
        return capacity;
    }

    /** In-order octets the user can read. */
    int readable() {
        return readable;
    }

    /** Free space: the most the receive window may offer beyond RCV.NXT. */
    int window() {
        return capacity - readable;
    }

    boolean hasOutOfOrder() {
        return !outOfOrder.isEmpty();
    }

    /** Whether the out-of-order store already holds every octet of {@code [start, end)}. */
    boolean holds(int start, int end) {
        int i = outOfOrder.indexOf(start);
        return i >= 0 && SeqNum.le(end, outOfOrder.end(i));
    }

    /** Out-of-order octets held. */
    long outOfOrderBytes() {
        return outOfOrder.totalLength();
    }

    /**
     * Stores the remaining octets of {@code data} (position unchanged) that start at sequence {@code seq}. Returns how far RCV.NXT
     * advances (0 when the segment was out of order, a duplicate, or did not fit).
     */
    int insert(int rcvNxt, int seq, ByteBuffer data) {
        int off = data.position();
        int len = data.remaining();
        int rel = SeqNum.sub(seq, rcvNxt);
        if (rel < 0) { // already received prefix
            int cut = (int) Math.min(len, -(long) rel);
            off += cut;
            len -= cut;
            rel = 0;
            seq = rcvNxt;
        }
        int room = window();
        if (len <= 0 || rel >= room) {
            return 0;
        }
        len = Math.min(len, room - rel);
        if (rel > 0) {
            if (!outOfOrder.add(seq, SeqNum.add(seq, len))) {
                return 0; // RFC 9293 §3.10.7.4 permits dropping; the store is full of holes
            }
            store(readable + rel, data, off, len);
            noteRecent(seq);
            return 0;
        }
        store(readable, data, off, len);
        int newNxt = SeqNum.add(rcvNxt, len);
        outOfOrder.removeBefore(newNxt);
        while (!outOfOrder.isEmpty() && SeqNum.le(outOfOrder.start(0), newNxt)) {
            newNxt = SeqNum.max(newNxt, outOfOrder.end(0));
            outOfOrder.removeBefore(newNxt);
        }
        int advanced = SeqNum.sub(newNxt, rcvNxt);
        readable += advanced;
        return advanced;
    }

    /** Moves up to {@code dst.remaining()} readable octets into {@code dst}. */
    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), readable);
        for (int done = 0; done < n; ) {
            int pos = (head + done) % ring.length;
            int chunk = Math.min(n - done, ring.length - pos);
            dst.put(ring, pos, chunk);
            done += chunk;
        }
        if (n > 0) {
            head = (head + n) % ring.length;
            readable -= n;
        }
        return n;
    }

    /**
     * SACK blocks for an outgoing ACK (RFC 2018 §4): the first contains the most recently received segment, the rest
     * repeat the most recently reported blocks, then any other held ranges, at most {@code max}.
     */
    List<SackBlock> sackBlocks(int rcvNxt, int max) {
        List<SackBlock> out = new ArrayList<>(Math.min(max, 4));
        if (outOfOrder.isEmpty() || max <= 0) {
            return out;
        }
        boolean[] used = new boolean[outOfOrder.count()];
        int kept = 0;
        for (int r = 0; r < recentCount; r++) {
            int i = outOfOrder.indexOf(recent[r]);
            if (i < 0 || !SeqNum.gt(recent[r], rcvNxt)) {
                continue; // delivered or merged into RCV.NXT
            }
            recent[kept++] = recent[r];
            if (!used[i] && out.size() < max) {
                used[i] = true;
                out.add(new SackBlock(outOfOrder.start(i), outOfOrder.end(i)));
            }
        }
        recentCount = kept;
        for (int i = outOfOrder.count() - 1; i >= 0 && out.size() < max; i--) {
            if (!used[i]) {
                out.add(new SackBlock(outOfOrder.start(i), outOfOrder.end(i)));
            }
        }
        return out;
    }

    private void noteRecent(int seq) {
        int n = Math.min(recentCount, recent.length - 1);
        System.arraycopy(recent, 0, recent, 1, n);
        recent[0] = seq;
        recentCount = n + 1;
    }

    /** Copies into the ring {@code at} octets after the first unread octet. */
    private void store(int at, ByteBuffer data, int off, int len) {
        ensureStorage(at + len);
        for (int done = 0; done < len; ) {
            int pos = (head + at + done) % ring.length;
            int chunk = Math.min(len - done, ring.length - pos);
            data.get(off + done, ring, pos, chunk);
            done += chunk;
        }
    }

    private void ensureStorage(int needed) {
        if (needed <= ring.length) {
            return;
        }
        int size = Math.max(ring.length, Math.min(4096, capacity));
        while (size < needed) {
            size = (int) Math.min((long) size * 2, capacity);
        }
        byte[] bigger = new byte[size];
        // keep everything up to the ring's full extent (in-order and out-of-order octets share it)
        int keep = ring.length;
        for (int done = 0; done < keep; ) {
            int pos = (head + done) % ring.length;
            int chunk = Math.min(keep - done, ring.length - pos);
            System.arraycopy(ring, pos, bigger, done, chunk);
            done += chunk;
        }
        ring = bigger;
        head = 0;
    }
}
