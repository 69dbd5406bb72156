package io.sansnet.trace.tcp;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of a captured connection: puts segment payloads in sequence order, first copy wins (RFC 9293 §3.10.7.4
 * trims a segment to the receive window the same way: only new bytes are taken).
 */
final class HalfStream {
    private final Side side;
    private final TraceConnection owner;
    private final ReassemblyLimits limits;

    /** Sequence number of stream offset 0 (ISN + 1 after a SYN); valid when {@link #baseKnown}. */
    private int baseSeq;

    private boolean baseKnown;
    private boolean sawSyn;
    /** Offset of the next byte to deliver (like RCV.NXT, relative and unwrapped). */
    private long next;
    /** Held out-of-order data by offset. */
    private final TreeMap<Long, byte[]> held = new TreeMap<>();

    private long heldBytes;
    private byte[] data = new byte[0];
    private int size;
    private long finOffset = -1;
    private long lastFrame;
    private boolean limitReported;
    /** Highest offset the peer acknowledged: data up to there existed even if the capture missed it. */
    private long ackedOffset = -1;

    HalfStream(Side side, TraceConnection owner, ReassemblyLimits limits) {
        this.side = side;
        this.owner = owner;
        this.limits = limits;
    }

    boolean sawSyn() {
        return sawSyn;
    }

    int isn() {
        return baseSeq - 1;
    }

    /** Bytes delivered in order (also those past the keep limit). */
    long deliveredBytes() {
        return next;
    }

    byte[] data() {
        return Arrays.copyOf(data, size);
    }

    boolean finished() {
        return finOffset >= 0 && next >= finOffset;
    }

    /** A SYN from this side: sequence number {@code seq} is the ISN. */
    void syn(int seq) {
        if (!baseKnown) {
            baseSeq = seq + 1;
            baseKnown = true;
        }
        sawSyn = true;
    }

    /** A segment whose payload starts at sequence number {@code seq}. */
    void segment(long frame, int seq, byte[] payload, boolean fin) {
        lastFrame = frame;
        if (!baseKnown) {
            // Mid-stream capture: the first byte seen is offset 0.
            baseSeq = seq;
            baseKnown = true;
        }
        long off = unwrap(seq);
        int n = payload.length;
        if (finOffset >= 0 && n > 0 && off + n > finOffset) {
            owner.anomaly(new StreamAnomaly.DataAfterFin(frame, side, off, n));
        }
        if (fin && finOffset < 0) {
            finOffset = off + n;
        }
        if (n == 0 || off + n <= 0) {
            return;
        }
        if (off < 0) { // bytes before the start of the stream: keep the rest
            payload = Arrays.copyOfRange(payload, (int) -off, n);
            n = payload.length;
            off = 0;
        }
        long end = off + n;
        if (end <= next) {
            owner.anomaly(new StreamAnomaly.Retransmission(frame, side, off, n));
            compareDelivered(frame, off, payload, n);
            return;
        }
        if (off > next) {
            owner.anomaly(new StreamAnomaly.OutOfOrder(frame, side, off, next));
            hold(frame, off, payload);
            return;
        }
        int fresh = (int) (off < next ? next - off : 0);
        if (fresh > 0) {
            compareDelivered(frame, off, payload, fresh);
        }
        deliver(frame, payload, fresh);
        drain(frame);
    }

    private void hold(long frame, long off, byte[] payload) {
        byte[] present = held.get(off);
        if (present != null && present.length >= payload.length) {
            return;
        }
        long growth = payload.length - (present == null ? 0 : present.length);
        if (heldBytes + growth > limits.maxHeldBytesPerDirection()) {
            owner.anomaly(new StreamAnomaly.LimitReached(frame, side, "maxHeldBytesPerDirection"));
            return;
        }
        held.put(off, payload);
        heldBytes += growth;
    }

    private void drain(long frame) {
        while (!held.isEmpty() && held.firstKey() <= next) {
            Map.Entry<Long, byte[]> e = held.pollFirstEntry();
            byte[] p = e.getValue();
            heldBytes -= p.length;
            long off = e.getKey();
            if (off + p.length > next) {
                int fresh = (int) (next - off);
                compareDelivered(frame, off, p, fresh);
                deliver(frame, p, fresh);
            }
        }
    }

    /** Appends {@code payload[from..]} at {@link #next}; past the keep limit bytes are counted only. */
    private void deliver(long frame, byte[] payload, int from) {
        int n = payload.length - from;
        int kept = (int) Math.min(n, limits.maxStreamBytesPerDirection() - size);
        if (next != size) {
            kept = 0; // bytes were dropped before: the kept prefix must stay contiguous
        }
        if (kept < n && !limitReported) {
            limitReported = true;
            owner.anomaly(new StreamAnomaly.LimitReached(frame, side, "maxStreamBytesPerDirection"));
        }
        if (kept > 0) {
            if (size + kept > data.length) {
                long grown = Math.max(size + (long) kept, data.length * 2L);
                data = Arrays.copyOf(data, (int) Math.min(limits.maxStreamBytesPerDirection(), grown));
            }
            System.arraycopy(payload, from, data, size, kept);
            size += kept;
        }
        next += n;
    }

    /** Reports a conflicting overlap when the first {@code length} bytes of payload differ from those delivered. */
    private void compareDelivered(long frame, long off, byte[] payload, int length) {
        int comparable = (int) Math.max(0, Math.min(length, size - off));
        for (int i = 0; i < comparable; i++) {
            if (data[(int) off + i] != payload[i]) {
                owner.anomaly(new StreamAnomaly.ConflictingOverlap(frame, side, off, length));
                return;
            }
        }
    }

    /** The peer acknowledged sequence number {@code ack} of this stream (RFC 9293 §3.4: SEG.ACK). */
    void acked(int ack) {
        if (baseKnown) {
            ackedOffset = Math.max(ackedOffset, unwrap(ack));
        }
    }

    /**
     * Reports what never arrived: data before held segments, before the FIN, or that the peer acknowledged (without
     * a captured FIN an acknowledged FIN may count one byte too many).
     */
    void finish() {
        long expected = finOffset >= 0 ? finOffset : ackedOffset;
        if (!held.isEmpty()) {
            owner.anomaly(new StreamAnomaly.Gap(lastFrame, side, next, held.firstKey() - next));
        } else if (expected > next) {
            owner.anomaly(new StreamAnomaly.Gap(lastFrame, side, next, expected - next));
        }
    }

    /** Sequence number to stream offset, choosing the 2^32 wrap nearest to {@link #next}. */
    private long unwrap(int seq) {
        long rel = Integer.toUnsignedLong(seq - baseSeq);
        long candidate = (next & ~0xFFFF_FFFFL) | rel;
        if (candidate - next > (1L << 31)) {
            candidate -= 1L << 32;
        } else if (next - candidate > (1L << 31)) {
            candidate += 1L << 32;
        }
        return candidate;
    }
}
