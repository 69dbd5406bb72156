package io.sansnet.trace.plot;

import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects one direction of one TCP connection, segment by segment, into a {@link SequenceGraph}: the data sender's
 * segments ({@link #fromSender}), the receiver's ACKs ({@link #fromReceiver}), and, when known, the network's drops
 * ({@link #dropped}) and the sender's congestion and receive windows ({@link #congestionWindow},
 * {@link #receiveWindow}).
 *
 * <p>Sequence numbers are made relative to the sender's ISN + 1 (or to the first sequence number seen when the SYN was
 * not captured) and unwrapped mod 2^32 (RFC 9293 §3.4) against the highest one seen. The receiver's window is scaled
 * by the shift count its SYN announced when both SYNs carried the option (RFC 7323 §2.2, §2.3: at most 14; never in a
 * SYN); when a SYN was not seen the scale is unknown and windows are drawn unscaled (the subtitle says so).
 *
 * <p>Without {@link #congestionWindow} samples (a capture), the first right-axis series is the bytes in flight,
 * SND.NXT - the highest ACK seen, sampled on every segment; without {@link #receiveWindow} samples, the second is the
 * window the receiver advertised in each ACK. Memory is bounded by {@link PlotLimits}. Not thread-safe.
 */
public final class SequenceGraphBuilder {
    /** RFC 7323 §2.3: "the shift.cnt value ... MUST be ... less than or equal to 14". */
    static final int MAX_WINDOW_SCALE = 14;

    private final PlotLimits limits;
    private final SeenRanges seen;
    private final List<SequenceGraph.DataSegment> segments = new ArrayList<>();
    private final List<SequenceGraph.Ack> acks = new ArrayList<>();
    private final List<SequenceGraph.Loss> losses = new ArrayList<>();
    private final List<SequenceGraph.Sample> inFlight = new ArrayList<>();
    private final List<SequenceGraph.Sample> advertised = new ArrayList<>();
    private final List<SequenceGraph.Sample> cwnd = new ArrayList<>();
    private final List<SequenceGraph.Sample> rwnd = new ArrayList<>();

    private boolean originSet;
    private long origin;
    private boolean baseSet;
    /** The last 32-bit sequence number unwrapped as the highest, and its 64-bit relative value. */
    private int ref32;

    private long ref64;
    private boolean senderSyn, receiverSyn;
    private int senderScale = -1, receiverScale = -1;
    /** SND.NXT as seen: the end of the highest octet (or FIN) sent. */
    private long sndNxt;

    private boolean anyAck;
    private long highestAck;
    private boolean lossesKnown;
    private long dataSegments, retransmissions, ackCount, sackBlocks, lossCount, dataOctets, leftOut;

    public SequenceGraphBuilder(PlotLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.seen = new SeenRanges(limits.maxTrackedRanges());
    }

    public SequenceGraphBuilder() {
        this(PlotLimits.DEFAULT);
    }

    /** A segment of the data sender, seen at {@code timeNanos} (when it was sent, or captured). */
    public void fromSender(long timeNanos, TcpHeader h, int payloadLength) {
        long t = time(timeNanos);
        boolean syn = h.flags().syn();
        if (syn && !senderSyn) {
            senderSyn = true;
            senderScale = h.options().windowScale().orElse(-1);
            if (!baseSet) {
                setBase(h.seq() + 1);
            }
        }
        if (!baseSet) {
            setBase(h.seq());
        }
        long start = unwrap(h.seq()) + (syn ? 1 : 0); // RFC 9293 §3.4: the SYN occupies the first number
        long end = start + Math.max(0, payloadLength);
        if (payloadLength > 0) {
            boolean retx = seen.overlaps(start, end);
            seen.add(start, end);
            dataSegments++;
            dataOctets += payloadLength;
            if (retx) {
                retransmissions++;
            }
            keep(segments, new SequenceGraph.DataSegment(t, start, end, retx));
        }
        sndNxt = Math.max(sndNxt, end + (h.flags().fin() ? 1 : 0));
        if (payloadLength > 0 || h.flags().fin()) {
            keep(inFlight, new SequenceGraph.Sample(t, Math.max(0, sndNxt - (anyAck ? highestAck : 0))));
        }
    }

    /** A segment of the receiver (its ACK fields describe this direction), seen at {@code timeNanos}. */
    public void fromReceiver(long timeNanos, TcpHeader h, int payloadLength) {
        long t = time(timeNanos);
        if (h.flags().syn() && !receiverSyn) {
            receiverSyn = true;
            receiverScale = h.options().windowScale().orElse(-1);
        }
        if (!h.flags().ack()) {
            return;
        }
        if (!baseSet) {
            setBase(h.ack());
        }
        long ack = unwrap(h.ack());
        if (!anyAck || ack > highestAck) {
            highestAck = ack;
        }
        anyAck = true;
        long window = h.flags().syn() ? h.window() : (long) h.window() << scale();
        List<SequenceGraph.Range> sack =
                new ArrayList<>(h.options().sackBlocks().size());
        for (TcpOptions.SackBlock b : h.options().sackBlocks()) {
            long left = unwrap(b.left());
            long right = unwrap(b.right());
            if (right >= left) {
                sack.add(new SequenceGraph.Range(left, right));
            }
        }
        ackCount++;
        sackBlocks += sack.size();
        keep(acks, new SequenceGraph.Ack(t, ack, ack + window, sack));
        keep(advertised, new SequenceGraph.Sample(t, window));
        keep(inFlight, new SequenceGraph.Sample(t, Math.max(0, sndNxt - highestAck)));
    }

    /** The network dropped a segment of the sender at {@code timeNanos} (simulation). */
    public void dropped(long timeNanos, TcpHeader h, int payloadLength) {
        lossesKnown = true;
        if (payloadLength <= 0 || !baseSet) {
            return;
        }
        long t = time(timeNanos);
        long start = unwrap(h.seq()) + (h.flags().syn() ? 1 : 0);
        lossCount++;
        keep(losses, new SequenceGraph.Loss(t, start, start + payloadLength));
    }

    /** Says that drops are observed (an empty loss layer then means none happened). */
    public void lossesObserved() {
        lossesKnown = true;
    }

    /** The sender's congestion window (cwnd) in octets at {@code timeNanos}. */
    public void congestionWindow(long timeNanos, long bytes) {
        keep(cwnd, new SequenceGraph.Sample(time(timeNanos), bytes));
    }

    /** The receive window the sender knows (its SND.WND) in octets at {@code timeNanos}. */
    public void receiveWindow(long timeNanos, long bytes) {
        keep(rwnd, new SequenceGraph.Sample(time(timeNanos), bytes));
    }

    /** Data segments the sender sent (all, kept or not). */
    public long dataSegments() {
        return dataSegments;
    }

    /** Data segments that repeated octets sent before. */
    public long retransmissions() {
        return retransmissions;
    }

    /** Payload octets sent, retransmissions included. */
    public long dataOctets() {
        return dataOctets;
    }

    /** The highest relative sequence number sent (SND.NXT as seen). */
    public long sndNxt() {
        return sndNxt;
    }

    public long acks() {
        return ackCount;
    }

    public long sackBlocks() {
        return sackBlocks;
    }

    public long losses() {
        return lossCount;
    }

    /** Whether the shift count applied to the receiver's windows is known (both SYNs seen). */
    public boolean windowScaleKnown() {
        return senderSyn && receiverSyn;
    }

    /** The graph of everything collected, with {@code title} and a subtitle that counts what it shows. */
    public SequenceGraph build(String title) {
        StringBuilder sub = new StringBuilder();
        sub.append(dataSegments)
                .append(" data segments (")
                .append(retransmissions)
                .append(" retransmissions), ")
                .append(ackCount)
                .append(" ACKs, ")
                .append(sackBlocks)
                .append(" SACK blocks");
        if (lossesKnown) {
            sub.append(", ").append(lossCount).append(" dropped by the network");
        }
        sub.append("; ");
        if (windowScaleKnown()) {
            sub.append("window scale ").append(scale());
        } else {
            sub.append("window scale unknown (handshake not captured): windows drawn unscaled");
        }
        if (leftOut > 0) {
            sub.append("; ")
                    .append(leftOut)
                    .append(" events past the limit of ")
                    .append(limits.maxEventsPerKind())
                    .append(" per kind left out");
        }
        SequenceGraph.Series primary = cwnd.isEmpty()
                ? new SequenceGraph.Series("bytes in flight (SND.NXT - highest ACK; cwnd unknown)", inFlight)
                : new SequenceGraph.Series("cwnd", cwnd);
        SequenceGraph.Series secondary = rwnd.isEmpty()
                ? new SequenceGraph.Series("receive window (advertised)", advertised)
                : new SequenceGraph.Series("receive window (SND.WND)", rwnd);
        return new SequenceGraph(title, sub.toString(), segments, acks, losses, lossesKnown, primary, secondary);
    }

    private int scale() {
        if (!windowScaleKnown() || senderScale < 0 || receiverScale < 0) {
            return 0;
        }
        return Math.min(receiverScale, MAX_WINDOW_SCALE);
    }

    private long time(long timeNanos) {
        if (!originSet) {
            originSet = true;
            origin = timeNanos;
        }
        return timeNanos - origin;
    }

    private void setBase(int seq) {
        baseSet = true;
        ref32 = seq;
        ref64 = 0;
    }

    /** {@code seq} relative to the base, on the side of the highest number seen that is nearer (mod 2^32). */
    private long unwrap(int seq) {
        int d = seq - ref32;
        long v = ref64 + d;
        if (d > 0) {
            ref32 = seq;
            ref64 = v;
        }
        return v;
    }

    private <T> void keep(List<T> list, T item) {
        if (list.size() < limits.maxEventsPerKind()) {
            list.add(item);
        } else {
            leftOut++;
        }
    }
}
