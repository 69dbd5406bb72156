package io.sansnet.stack.host;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.UdpHandler;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A UDP port bound on a {@link Host} (RFC 768), on all of the host's addresses. Datagrams that arrive go to the
 * handler given to {@link Host#bind}, called synchronously inside {@link Host#receive}; without a handler they wait in a
 * queue of at most {@link HostConfig#udpReceiveQueueDatagrams()} for {@link #poll()}, and further ones are dropped
 * (counted as {@code udp.queueFull}). Not thread-safe: used from the host's owning loop only.
 */
public final class UdpSocket implements io.sansnet.stack.app.UdpSocket {

    private final Host host;
    private final int port;
    private final UdpHandler handler;
    private final int queueLimit;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private boolean open = true;

    UdpSocket(Host host, int port, UdpHandler handler, int queueLimit) {
        this.host = host;
        this.port = port;
        this.handler = handler;
        this.queueLimit = queueLimit;
    }

    @Override
    public int localPort() {
        return port;
    }

    /**
     * Sends {@code payload} to {@code destination:port} from this socket's port and the host's address of the same IP
     * version, fragmented if it exceeds the MTU. Fails with {@link AppError.Kind#CLOSED},
     * {@link AppError.Kind#NO_ROUTE} (no address of that version), {@link AppError.Kind#INVALID_ARGUMENT} (port outside
     * 1..65535), {@link AppError.Kind#MESSAGE_TOO_BIG} (beyond 65,507 octets over IPv4, 65,527 over IPv6) or
     * {@link AppError.Kind#WOULD_BLOCK} (the host's transmit queue is full).
     */
    @Override
    public AppResult<Void> send(IpAddress destination, int port, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        return send(destination, port, payload, 0, payload.length);
    }

    /** Like {@link #send(IpAddress, int, byte[])} for {@code payload[off, off+len)}. */
    public AppResult<Void> send(IpAddress destination, int port, byte[] payload, int off, int len) {
        Objects.requireNonNull(destination, "destination");
        Objects.checkFromIndexSize(off, len, payload.length);
        if (!open) {
            return AppResult.err(AppError.Kind.CLOSED, "socket on port " + this.port + " is closed");
        }
        return host.sendUdp(this.port, destination, port, payload, off, len);
    }

    /** The next queued datagram, or {@code null} when none (always null for a socket with a handler). */
    public Datagram poll() {
        return queue.poll();
    }

    /** Datagrams waiting for {@link #poll()}. */
    public int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            queue.clear();
            host.unbind(this);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Hands an arrived datagram to the handler or the queue; false when the queue was full. */
    boolean deliver(Datagram d) {
        if (handler != null) {
            handler.onDatagram(this, d);
            return true;
        }
        if (queue.size() >= queueLimit) {
            return false;
        }
        queue.add(d);
        return true;
    }

    @Override
    public String toString() {
        return "UdpSocket[port=" + port + (open ? "" : ", closed") + "]";
    }
}
