package io.sansnet.stack.tcp;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A listening port of a {@link TcpLayer} (RFC 9293 §3.10.1 passive OPEN, with a backlog as {@code listen(2)}). Each
 * SYN for the port makes a connection in SYN-RECEIVED (the SYN queue); once its handshake completes it moves to the
 * accept queue, or straight to the accept handler when there is one. While the SYN queue and the accept queue together
 * hold {@code backlog} connections, further SYNs are dropped (as Linux does when its accept queue is full), so the
 * client retransmits them later.
 */
public final class TcpListener {

    final TcpLayer layer;
    final int port;
    final int backlog;
    final Consumer<TcpSocket> onAccept;
    final ArrayDeque<TcpSocket> acceptQueue = new ArrayDeque<>();
    int synQueue;
    boolean closed;

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

    boolean full() {
        return synQueue + acceptQueue.size() >= backlog;
    }
}
