package io.sansnet.stack.app;

import io.sansnet.stack.wire.IpAddress;
import java.util.List;

/**
 * What application code sees of its host: the owning loop (clock, timers, futures) and the transports. A simulated
 * host, the TUN driver and the socket driver implement it, so application code runs unchanged on all three.
 *
 * <p>Transports: UDP now. TCP ({@code connect}, {@code listen}) and name resolution are added as methods returning
 * {@link AppFuture}s by their issues.
 */
public interface AppHost extends EventLoop {

    /** A stable name for logs ("client", "tun0"). */
    String name();

    /** The host's own addresses, IPv4 first. */
    List<IpAddress> addresses();

    /** The host's first address of IP version {@code version} (4 or 6), or null when it has none. */
    default IpAddress address(int version) {
        for (IpAddress a : addresses()) {
            if (a.version() == version) {
                return a;
            }
        }
        return null;
    }

    /**
     * Binds UDP {@code port} (1..65535) on all of the host's addresses; {@code handler} receives its datagrams. Fails
     * with {@link AppError.Kind#ADDRESS_IN_USE} or {@link AppError.Kind#INVALID_ARGUMENT}.
     */
    AppResult<UdpSocket> bindUdp(int port, UdpHandler handler);

    /** Binds an unused ephemeral UDP port (RFC 6335 §6: 49152..65535). */
    AppResult<UdpSocket> bindUdp(UdpHandler handler);

    /**
     * Sends an ICMP or ICMPv6 echo request (RFC 792, RFC 4443 §4.1) with {@code payload} to {@code destination} and
     * completes with the reply's round-trip time in nanoseconds, or with {@link AppError.Kind#TIMED_OUT} after
     * {@code timeoutNanos}.
     */
    AppFuture<Long> ping(IpAddress destination, byte[] payload, long timeoutNanos);
}
