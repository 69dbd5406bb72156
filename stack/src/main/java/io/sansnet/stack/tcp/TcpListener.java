package io.sansnet.stack.tcp;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A listening port of a {@link TcpLayer} (RFC 9293 §3.10.1 passive OPEN, with a backlog as {@code listen(2)}). Each
 * SYN for the port makes a connection in SYN-RECEIVED (the SYN queue); once its handshake completes it moves to the
 * accept queue, or straight to the accept handler when there is one.
 *
 * <p>Bounds, as Linux's {@code tcp_conn_request}: the SYN queue is full while it and the accept queue together hold
 * {@code backlog} connections, or while it holds {@link TcpLayer.Limits#maxSynBacklog()}. A SYN that finds it full is
 * answered with a SYN cookie (RFC 4987 §3.6, {@link SynCookies}; {@link TcpLayer.Limits#synCookies()}), which keeps no
 * state, or dropped when cookies are off, so the client retransmits it later. A SYN that finds the accept queue full
 * ({@code backlog} connections waiting for {@link #accept()}) is dropped either way.
 */
public final class TcpListener {

    final TcpLayer layer;
    final int port;
    final int backlog;
    final Consumer<TcpSocket> onAccept;
    final ArrayDeque<TcpSocket> acceptQueue = new ArrayDeque<>();
    int synQueue;
    boolean closed;
    /** True once the listener sent a SYN cookie; then ACKs within the validity of {@link #lastCookieNanos} are checked. */
    boolean cookiesSent;
    /** When the listener last sent a SYN cookie (Linux's {@code tcp_synq_overflow} stamp). */
    long lastCookieNanos;

    TcpListener(TcpLayer layer, int port, int backlog, Consumer<TcpSocket> onAccept) {
        this.layer = layer;
        this.port = port;
        this.backlog = backlog;
        this.onAccept = onAccept;
    }

    public int port() {
        return port;
    }

    public int backlog() {
        return backlog;
    }

    /** Connections in SYN-RECEIVED (the SYN queue). */
    public int synQueueLength() {
        return synQueue;
    }

    /** Established connections waiting for {@link #accept()}. */
    public int acceptQueueLength() {
        return acceptQueue.size();
    }

    /**
     * The next established connection, or null. Give it a handler with {@link TcpSocket#setHandler}; its events wait
     * until then.
     */
    public TcpSocket accept() {
        TcpSocket s = acceptQueue.poll();
        if (s != null) {
            s.listener = null;
        }
        return s;
    }

    /** Stops listening: new SYNs get RSTs; connections not yet accepted are aborted. Idempotent. */
    public void close() {
        layer.closeListener(this);
    }

    /** No room for another connection in SYN-RECEIVED. */
    boolean synQueueFull() {
        return synQueue + acceptQueue.size() >= backlog
                || synQueue >= layer.limits().maxSynBacklog();
    }

    /** {@code backlog} established connections wait for {@link #accept()}. */
    boolean acceptQueueFull() {
        return acceptQueue.size() >= backlog;
    }
}
