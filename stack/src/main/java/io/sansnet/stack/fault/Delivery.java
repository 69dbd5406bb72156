package io.sansnet.stack.fault;

import java.util.Objects;

/**
 * One copy of a packet that the fault model lets through, and when: {@code delayNanos} after the packet was offered.
 * The flags say which faults shaped this copy.
 *
 * @param packet the bytes to deliver; a corrupted copy is a fresh array, never the caller's
 * @param delayNanos how long after {@link FaultModel#apply} this copy is due (delay, jitter and reorder hold-back)
 * @param duplicate whether this is the extra copy made by duplication
 * @param reordered whether this copy is held back so later packets overtake it
 * @param corrupted whether one bit of this copy was flipped
 */
public record Delivery(byte[] packet, long delayNanos, boolean duplicate, boolean reordered, boolean corrupted) {
    public Delivery {
        Objects.requireNonNull(packet, "packet");
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must not be negative: " + delayNanos);
        }
    }
}
