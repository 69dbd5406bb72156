package io.sansnet.sim;

/**
 * Sees the fate of every packet a link carries, by packet number ({@link Simulation#lastPacketId}): each packet is
 * offered once, then either dropped once (and why) or delivered as one or more copies. Invariant checkers use it where
 * they must know what the network really did (a TCP timeout is only legitimate when the network dropped the
 * retransmissions). Callbacks run on the simulation thread and must not change the run.
 */
public interface PacketFateObserver {

    /** Why a link dropped a packet. */
    enum Drop {
        /** The direction was partitioned. */
        PARTITION,
        /** The packet was larger than the link MTU (a router may answer with an ICMP error, see {@link Channel}). */
        MTU,
        /** The link's queue was full (tail drop). */
        QUEUE,
        /** The fault model lost it. */
        LOSS
    }

    /** A node put packet {@code packetId} on {@code channel} (before any fault). */
    default void offered(long timeNanos, Channel channel, long packetId, byte[] bytes) {}

    /** The link dropped packet {@code packetId}; no copy of it arrives. */
    default void dropped(long timeNanos, Channel channel, long packetId, Drop why, byte[] bytes) {}

    /**
     * A copy of packet {@code packetId} reached the far end of {@code channel}; called just before the receiving node
     * handles it (a crashed host then drops it). {@code corrupted} copies had one checksum-covered bit flipped, so the
     * receiver's checksum check discards them.
     */
    default void delivered(long timeNanos, Channel channel, long packetId, boolean corrupted, byte[] bytes) {}
}
