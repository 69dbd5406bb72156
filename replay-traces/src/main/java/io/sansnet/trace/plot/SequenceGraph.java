package io.sansnet.trace.plot;

import java.util.List;
import java.util.Objects;

/**
 * What a time-sequence graph shows: one direction of one TCP connection. Times are nanoseconds since the graph's
 * origin (its first event); sequence numbers are octet offsets relative to the sender's first data octet (ISN + 1
 * when the SYN was seen), already unwrapped from 32 bits, so they only grow with the transfer.
 *
 * @param title the first line (which connection)
 * @param subtitle the second line (what happened), may be empty
 * @param segments data segments the sender sent, in the order they were seen
 * @param acks the receiver's ACKs, in the order they were seen
 * @param losses the sender's segments the network dropped (known in simulation, empty for a capture)
 * @param lossesKnown whether drops were observed at all (so an empty {@code losses} means "none")
 * @param primary the first series on the right (bytes) axis: cwnd, or bytes in flight
 * @param secondary the second series on the right axis: the receive window
 */
public record SequenceGraph(
        String title,
        String subtitle,
        List<DataSegment> segments,
        List<Ack> acks,
        List<Loss> losses,
        boolean lossesKnown,
        Series primary,
        Series secondary) {

    public SequenceGraph {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(subtitle, "subtitle");
        segments = List.copyOf(segments);
        acks = List.copyOf(acks);
        losses = List.copyOf(losses);
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(secondary, "secondary");
    }

    /** Octets {@code [start, end)} of the sequence space. */
    public record Range(long start, long end) {
        public Range {
            if (end < start) {
                throw new IllegalArgumentException("end " + end + " < start " + start);
            }
        }
    }

    /**
     * A segment carrying data.
     *
     * @param retransmission whether any of its octets had been sent before
     */
    public record DataSegment(long timeNanos, long start, long end, boolean retransmission) {
        public DataSegment {
            if (end < start) {
                throw new IllegalArgumentException("end " + end + " < start " + start);
            }
        }
    }

    /**
     * An acknowledgment from the receiver.
     *
     * @param ack SEG.ACK, relative
     * @param windowEdge the advertised right window edge SEG.ACK + SEG.WND (scaled), relative
     * @param sack the SACK blocks it carried (RFC 2018), relative, in wire order
     */
    public record Ack(long timeNanos, long ack, long windowEdge, List<Range> sack) {
        public Ack {
            sack = List.copyOf(sack);
        }
    }

    /** A data segment of the sender that the network dropped. */
    public record Loss(long timeNanos, long start, long end) {}

    /** One value of a series at a time. */
    public record Sample(long timeNanos, long bytes) {}

    /**
     * A series drawn against the right axis in octets.
     *
     * @param label its legend text
     * @param samples in time order
     */
    public record Series(String label, List<Sample> samples) {
        public Series {
            Objects.requireNonNull(label, "label");
            samples = List.copyOf(samples);
        }
    }
}
