package io.sansnet.http.server;

/**
 * A reply that a handler completes later ({@link Reply#deferred}), on the connection's loop. Completing twice is
 * refused: a request gets exactly one response.
 */
public final class PendingReply {
    private Reply reply;
    private Runnable listener;
    private boolean abandoned;

    /** Completes the reply; false if the connection no longer waits for it (timed out or closed). */
    public boolean complete(Reply r) {
        if (r == null) throw new IllegalArgumentException("null reply");
        if (reply != null) throw new IllegalStateException("a response was already given for this request");
        reply = r;
        if (abandoned) return false;
        if (listener != null) listener.run();
        return true;
    }

    /** True once {@link #complete} was called. */
    public boolean isComplete() {
        return reply != null;
    }

    Reply reply() {
        return reply;
    }

    void listen(Runnable l) {
        listener = l;
    }

    void abandon() {
        abandoned = true;
        listener = null;
    }
}
