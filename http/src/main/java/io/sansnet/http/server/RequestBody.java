package io.sansnet.http.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A request body read as a stream, as it arrives. It is itself a {@link BodySource}, so a handler can send it straight
 * back ({@code POST /echo}). The connection buffers at most {@link HttpServerConfig#maxBufferedBodyBytes()} of it; when
 * the reader falls behind, the connection stops reading from the transport (backpressure to the client).
 *
 * <p>Buffered slices are views of the transport's receive buffers (no copy) until they are read.
 */
public final class RequestBody implements BodySource {
    private final ArrayDeque<ByteBuffer> slices = new ArrayDeque<>();
    private final Runnable pullMore;
    private long buffered;
    private long received;
    private boolean ended;
    private boolean closed;
    private Runnable readyCallback;

    RequestBody(Runnable pullMore) {
        this.pullMore = pullMore;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (slices.isEmpty() && !ended) pullMore.run(); // ask the connection for events it held back
        int n = 0;
        while (dst.hasRemaining() && !slices.isEmpty()) {
            ByteBuffer s = slices.peekFirst();
            int k = Math.min(s.remaining(), dst.remaining());
            ByteBuffer part = s.duplicate();
            part.limit(part.position() + k);
            dst.put(part);
            s.position(s.position() + k);
            n += k;
            if (!s.hasRemaining()) slices.pollFirst();
        }
        buffered -= n;
        if (n == 0 && ended) return END;
        return n;
    }

    @Override
    public void onReady(Runnable callback) {
        readyCallback = callback;
    }

    @Override
    public void close() {
        closed = true;
        slices.clear();
        buffered = 0;
    }

    /** Bytes received so far (after removing the chunked coding). */
    public long receivedBytes() {
        return received;
    }

    /** True once the whole body was received. */
    public boolean isComplete() {
        return ended;
    }

    long bufferedBytes() {
        return buffered;
    }

    boolean isClosed() {
        return closed;
    }

    void offer(ByteBuffer view) {
        received += view.remaining();
        if (closed) return;
        slices.addLast(view);
        buffered += view.remaining();
        signal();
    }

    void end() {
        ended = true;
        signal();
    }

    private void signal() {
        if (readyCallback != null) readyCallback.run();
    }
}
