package io.sansnet.sim;

/** Sees every packet on a link: each one offered to a direction, and each copy delivered at its far end. */
@FunctionalInterface
public interface PacketTap {

    /** Where on the link the packet was seen. */
    enum Point {
        /** A node put the packet on the link (before any fault). */
        OFFERED,
        /** A copy left the link at the receiving node (after faults). */
        DELIVERED
    }

    /** {@code bytes} must not be modified. */
    void onPacket(long timeNanos, Channel channel, Point point, byte[] bytes);
}
