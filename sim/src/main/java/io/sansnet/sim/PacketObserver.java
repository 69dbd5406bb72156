package io.sansnet.sim;

/** Sees every packet as each node saw it: sent by it or received by it (for capture). */
@FunctionalInterface
public interface PacketObserver {

    /** Whether the node sent or received the packet. */
    enum Direction {
        OUT,
        IN
    }

    /** {@code bytes} must not be modified. */
    void onPacket(long timeNanos, Node node, Direction direction, byte[] bytes);
}
