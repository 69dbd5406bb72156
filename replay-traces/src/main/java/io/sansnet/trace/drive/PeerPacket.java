package io.sansnet.trace.drive;

import io.sansnet.stack.wire.TcpSegment;

/**
 * One captured segment of the replayed peer, as captured (its addresses, ports and the replaced endpoint's sequence
 * space are rewritten when it is fed).
 *
 * @param frameNumber its packet number in the capture ({@code frame.number})
 * @param timeNanos when to feed it: virtual nanoseconds since the connection's first captured packet (never less than
 *     the previous packet's)
 * @param segment the captured TCP segment
 * @param corrupted whether it was corrupted on the network before the capture point (a bad TCP checksum, retransmitted
 *     later; see {@link DrivePlan}): it is then fed with a TCP checksum that fails, so sansnet drops it as the
 *     captured receiver did, and the replay ignores its header
 */
public record PeerPacket(long frameNumber, long timeNanos, TcpSegment segment, boolean corrupted) {
    /** An intact packet. */
    public PeerPacket(long frameNumber, long timeNanos, TcpSegment segment) {
        this(frameNumber, timeNanos, segment, false);
    }

    /** The same packet fed at another time. */
    public PeerPacket at(long t) {
        return new PeerPacket(frameNumber, t, segment, corrupted);
    }
}
