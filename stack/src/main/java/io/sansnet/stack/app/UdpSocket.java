package io.sansnet.stack.app;

import io.sansnet.stack.wire.IpAddress;

/** A bound UDP port (RFC 768). Used from the owning loop only. */
public interface UdpSocket {

    /** The local port, 1..65535. */
    int localPort();

    /**
     * Queues one datagram for {@code destination:port}. Success means the host accepted it, not that it arrived: UDP
     * gives no delivery guarantee. Fails with {@link AppError.Kind#CLOSED} after {@link #close()} or a host crash.
     */
    AppResult<Void> send(IpAddress destination, int port, byte[] payload);

    /** Releases the port; later sends fail and no more datagrams are delivered. Idempotent. */
    void close();

    /** False after {@link #close()}, or when the host that owned the socket crashed. */
    boolean isOpen();
}
