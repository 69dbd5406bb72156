package io.sansnet.stack.tcp;

import java.nio.ByteBuffer;

/**
 * The application's handle on one connection of a {@link TcpLayer}: the user calls of RFC 9293 §3.9.1 (SEND,
 * RECEIVE, CLOSE, ABORT, STATUS) and a {@link Handler} that receives the connection's {@link TcpEvent}s. Like the layer
 * it belongs to, it is not thread-safe: call it on the thread that owns the layer (a driver's loop thread, or the
 * simulation); handlers run there too, never re-entrantly for one socket.
 */
public final class TcpSocket {

    /** Receives a connection's events, in order, exactly one {@link TcpEvent.Closed} last. */
    @FunctionalInterface
    public interface Handler {
        void onEvent(TcpSocket socket, TcpEvent event);
    }

    final TcpLayer layer;
    final TcpConnection connection;
    Handler handler;
    /** The listener whose SYN queue or accept queue holds this socket, until it is accepted; null for active opens. */
    TcpListener listener;
    /** True once the handshake completed (for the listener's bookkeeping). */
    boolean established;
    /** True once the layer removed it from its table. */
    boolean released;
    /** Set while the socket's events are being delivered, so a handler's calls do not deliver them re-entrantly. */
    boolean delivering;
    /** Why a connect failed for a reason the connection itself cannot know (an ICMP unreachable), or null. */
    String failure;
    /** The smallest path MTU an ICMP error reported for this connection, or 0. */
    int reportedPathMtu;

    TcpSocket(TcpLayer layer, TcpConnection connection, Handler handler) {
        this.layer = layer;
        this.connection = connection;
        this.handler = handler;
    }

    /** The connection's addresses and ports. */
    public FourTuple tuple() {
        return connection.tuple();
    }

    public TcpState state() {
        return connection.state();
    }

    /** A snapshot like one line of {@code ss -ti}. */
    public TcpStatus status() {
        return connection.status();
    }

    /**
     * Sets the handler of an accepted socket (or replaces one) and delivers the events that waited for it, starting
     * with {@link TcpEvent.Connected}.
     */
    public void setHandler(Handler handler) {
        this.handler = handler;
        layer.afterUserCall(this);
    }

    /** SEND: queues as much of {@code src} as fits; returns the count (see {@link TcpConnection#send(ByteBuffer)}). */
    public int send(ByteBuffer src) {
        int n = connection.send(src);
        layer.afterUserCall(this);
        return n;
    }

    public int send(byte[] data) {
        return send(ByteBuffer.wrap(data));
    }

    /** RECEIVE: moves readable octets into {@code dst}; -1 once the peer finished and everything was read. */
    public int receive(ByteBuffer dst) {
        int n = connection.receive(dst);
        layer.afterUserCall(this);
        return n;
    }

    /** Octets ready for {@link #receive}. */
    public int readable() {
        return connection.readable();
    }

    /** CLOSE: a FIN follows the queued data (RFC 9293 §3.10.4). */
    public void close() {
        connection.close();
        layer.afterUserCall(this);
    }

    /** ABORT: a RST, and the connection ends at once (RFC 9293 §3.10.5). */
    public void abort() {
        connection.abort();
        layer.afterUserCall(this);
    }

    /** Why an active open failed for a reason outside TCP (ICMP destination unreachable), or null. */
    public String failure() {
        return failure;
    }

    /**
     * Why the connection ended: the reason its {@link TcpEvent.Closed} carries, or null while it is still open. An
     * active open failed by ICMP ends {@link CloseReason#ABORTED}, with the cause in {@link #failure()}.
     */
    public CloseReason closeReason() {
        return connection.closeReason();
    }

    /** The smallest path MTU reported by ICMP "fragmentation needed" / "packet too big" for this connection, or 0. */
    public int reportedPathMtu() {
        return reportedPathMtu;
    }

    @Override
    public String toString() {
        FourTuple t = tuple();
        return "tcp " + t.localAddress() + ":" + t.localPort() + " -> " + t.remoteAddress() + ":" + t.remotePort() + " "
                + state();
    }
}
