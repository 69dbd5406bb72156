package io.sansnet.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The bytes received and not yet turned into events: a queue of views of the caller's buffers (no copy on the way in),
 * plus whether the peer closed. {@link #detach()} copies the views still queued into memory of our own, so the caller
 * may reuse its buffers once {@link HttpConnection#nextEvent()} has said {@code NeedData} or {@code Paused}. Owned
 * segments always form a prefix of the queue (new views are appended, consumption is from the front), so each byte is
 * copied at most once.
 */
final class ReceiveBuffer {
    private final ArrayDeque<ByteBuffer> segments = new ArrayDeque<>();
    private long available;
    private boolean closed;
    /** How many segments at the front of the queue are our own copies. */
    private int ownedSegments;

    void add(ByteBuffer data) {
        if (!data.hasRemaining()) return;
        segments.addLast(data.slice());
        available += data.remaining();
    }

    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isEmpty() {
        return available == 0;
    }

    long available() {
        return available;
    }

    /** Bytes queued in memory we own (copied by {@link #detach()}); views of caller buffers are not counted. */
    long ownedBytes() {
        long n = 0;
        Iterator<ByteBuffer> it = segments.iterator();
        for (int i = 0; i < ownedSegments; i++) n += it.next().remaining();
        return n;
    }

    private void removeFirst() {
        segments.removeFirst();
        if (ownedSegments > 0) ownedSegments--;
    }

    /** The next byte, consumed; the buffer must not be empty. */
    int next() {
        ByteBuffer first = segments.peekFirst();
        int b = first.get() & 0xFF;
        available--;
        if (!first.hasRemaining()) removeFirst();
        return b;
    }

    /** Up to {@code max} bytes from the front, as a view (never a copy); the buffer must not be empty. */
    ByteBuffer slice(long max) {
        ByteBuffer first = segments.peekFirst();
        int n = (int) Math.min(max, first.remaining());
        ByteBuffer out = first.slice();
        out.limit(n);
        first.position(first.position() + n);
        available -= n;
        if (!first.hasRemaining()) removeFirst();
        return out;
    }

    /** Copies the queued views of caller buffers into one array of our own. */
    void detach() {
        if (ownedSegments == segments.size()) return;
        long n = 0;
        Iterator<ByteBuffer> it = segments.iterator();
        for (int i = 0; i < ownedSegments; i++) it.next();
        while (it.hasNext()) n += it.next().remaining();
        byte[] copy = new byte[(int) n];
        int off = 0;
        while (segments.size() > ownedSegments) {
            ByteBuffer s = segments.removeLast();
            off += s.remaining();
            s.get(copy, copy.length - off, s.remaining());
        }
        segments.addLast(ByteBuffer.wrap(copy));
        ownedSegments = segments.size();
    }

    /** A copy of everything queued, leaving the queue as it is. */
    ByteBuffer peekAll() {
        byte[] copy = new byte[(int) available];
        int off = 0;
        for (ByteBuffer s : segments) {
            int n = s.remaining();
            s.duplicate().get(copy, off, n);
            off += n;
        }
        return ByteBuffer.wrap(copy);
    }
}
