package io.sansnet.stack.host;

import io.sansnet.stack.wire.IpPacket;

/**
 * The hook through which a transport protocol other than UDP plugs into a {@link Host}: TCP (protocol 6), attached with
 * {@link Host#attachTcp}. It is sans-io like the host and is driven by it: the host hands it every valid, reassembled
 * packet of its protocol addressed to this host, asks it for packets to send from {@link Host#pollTransmit}, and merges
 * its deadline into {@link Host#pollTimeout}.
 *
 * <p>The host checks IP only; the handler verifies its own checksum (with the packet's pseudo-header) and counts its
 * own drops.
 */
public interface TransportHandler {

    /** A packet of this protocol arrived for one of the host's addresses (after reassembly). */
    void receive(IpPacket packet, long nowNanos);

    /**
     * An ICMP or ICMPv6 error arrived that quotes a packet of this protocol (destination unreachable, packet too big /
     * fragmentation needed, time exceeded, parameter problem): for path MTU discovery (RFC 1191, RFC 8201) and failing
     * a connect.
     */
    default void receiveIcmpError(IcmpError error, long nowNanos) {}

    /**
     * The next packet to send, or {@code null}. The host fragments it if it exceeds the MTU (unless the IPv4 DF flag is
     * set: then it is dropped and counted as {@code ip.cannotFragment}) and queues it for the link.
     */
    default IpPacket pollTransmit(long nowNanos) {
        return null;
    }

    /** The handler's next deadline in absolute nanoseconds, or {@link Long#MAX_VALUE}. */
    default long pollTimeout() {
        return Long.MAX_VALUE;
    }

    /** Fires the handler's timers due at {@code nowNanos}; early or repeated calls are harmless. */
    default void handleTimeout(long nowNanos) {}
}
