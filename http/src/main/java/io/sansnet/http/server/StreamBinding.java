package io.sansnet.http.server;

import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import java.nio.ByteBuffer;

/**
 * Drives one {@link ServerConnection} from a {@link ByteStream} and an {@link EventLoop}: hands received bytes in,
 * writes what the connection produces while the transport takes it (a partial write waits for {@code onWritable}:
 * backpressure), keeps one timer armed for {@link ServerConnection#pollTimeout()}, and applies read interest,
 * half-close and close. No I/O of its own: everything goes through the two interfaces.
 *
 * <p>Writes are coalesced: the pieces the connection produces in one go (response heads, small bodies, chunk framing;
 * for pipelined requests, the responses to a whole read batch) are copied into one buffer of at most {@link
 * HttpServerConfig#writeCoalesceBytes()} and handed to the transport in one write, at the end of the batch. A piece
 * that does not fit is written as it is (large body pieces are never copied). The binding tells the connection after
 * each pump whether the transport left bytes unwritten, which drives the send-stall deadline ({@link
 * HttpServerConfig#sendStallTimeoutNanos()}).
 */
final class StreamBinding implements ByteStreamListener {
    /** The coalescing buffer starts this small and doubles up to the configured size, so idle connections stay cheap. */
    static final int INITIAL_COALESCE_BYTES = 1024;

    private final ServerConnection conn;
    private final ByteStream stream;
    private final EventLoop loop;
    private final int coalesceMax;
    /** Pieces gathered for the next write (write mode: position = bytes waiting), or null before the first. */
    private ByteBuffer out;
    /** A piece too large to copy, written after {@code out}; valid until the next pollTransmit, so finished first. */
    private ByteBuffer held;

    private Cancellable timer;
    private long timerAt = ServerConnection.NO_DEADLINE;
    private boolean wakeQueued;
    private boolean reading = true;
    private boolean closed;
    private boolean pumping;

    StreamBinding(ServerConnection conn, ByteStream stream, EventLoop loop) {
        this.conn = conn;
        this.stream = stream;
        this.loop = loop;
        this.coalesceMax = conn.config().writeCoalesceBytes();
        conn.setWakeup(this::wake);
        pump();
    }

    @Override
    public boolean onData(ByteBuffer data) {
        if (closed) return false;
        conn.handleData(loop.nowNanos(), data);
        boolean held = conn.retainsInput();
        pump();
        return held;
    }

    @Override
    public void onEof() {
        if (closed) return;
        conn.handleEof(loop.nowNanos());
        pump();
    }

    @Override
    public void onWritable() {
        pump();
    }

    @Override
    public void onClosed() {
        if (closed) return;
        closed = true;
        conn.transportClosed();
        cancelTimer();
    }

    private void wake() {
        if (wakeQueued || closed) return;
        wakeQueued = true;
        loop.execute(() -> {
            wakeQueued = false;
            pump();
        });
    }

    private void onTimer() {
        timer = null;
        timerAt = ServerConnection.NO_DEADLINE;
        if (closed) return;
        conn.handleTimeout(loop.nowNanos());
        pump();
    }

    /** Writes while the transport takes bytes, then updates read interest, half-close, close and the timer. */
    private void pump() {
        if (closed || pumping) return;
        pumping = true;
        try {
            long now = loop.nowNanos();
            boolean progressed = false;
            boolean blocked;
            while (true) {
                long before = unwritten();
                boolean drained = drain();
                if (unwritten() < before) progressed = true;
                if (closed) return; // the transport failed during the write
                if (!drained) {
                    blocked = true; // the transport is full: onWritable resumes
                    break;
                }
                if (!gather(now)) {
                    blocked = false;
                    break;
                }
            }
            conn.transmitResult(now, progressed, blocked);
            if (!blocked && conn.wantsOutputShutdown()) {
                stream.shutdownOutput();
                conn.outputShutdown(now);
            }
            if (conn.isClosed()) {
                closed = true;
                out = null;
                held = null;
                cancelTimer();
                stream.close();
                return;
            }
            boolean r = conn.wantsRead();
            if (r != reading) {
                reading = r;
                stream.setReading(r);
            }
            long t = conn.pollTimeout();
            // Re-arm only when the deadline moved earlier; a timer that fires early re-arms itself (handleTimeout
            // is harmless before the deadline), which avoids rescheduling on every read.
            if (t < timerAt) {
                cancelTimer();
                timerAt = t;
                timer = loop.schedule(Math.max(0, t - now), this::onTimer);
            }
        } finally {
            pumping = false;
        }
    }

    /** Bytes taken from the connection and not yet taken by the transport. */
    private long unwritten() {
        return (out == null ? 0 : out.position()) + (held == null ? 0 : held.remaining());
    }

    /**
     * Hands the gathered bytes, then the held piece, to the transport. True when it took everything; a held piece
     * that fits the (now empty) coalescing buffer is copied there instead, to go out with what follows it.
     */
    private boolean drain() {
        if (out != null && out.position() > 0) {
            out.flip();
            stream.write(out);
            out.compact();
            if (out.position() > 0) return false;
        }
        if (held != null) {
            if (held.remaining() <= coalesceMax) {
                copy(held);
            } else {
                stream.write(held);
                if (held.hasRemaining()) return false;
            }
            held = null;
        }
        return true;
    }

    /**
     * Takes what the connection has to send: small pieces are copied into the coalescing buffer, the first piece that
     * does not fit is held. False when nothing is waiting to be written afterwards.
     */
    private boolean gather(long now) {
        while (true) {
            ByteBuffer b = conn.pollTransmit(now);
            if (b == null) return out != null && out.position() > 0;
            if (!b.hasRemaining()) continue;
            if (!fits(b.remaining())) {
                held = b;
                return true;
            }
            copy(b);
        }
    }

    /** Whether {@code n} more bytes fit the coalescing buffer (growing it up to its maximum). */
    private boolean fits(int n) {
        int used = out == null ? 0 : out.position();
        if ((long) used + n > coalesceMax) return false;
        if (out == null || out.remaining() < n) {
            int cap = out == null ? INITIAL_COALESCE_BYTES : out.capacity();
            while (cap < used + n) cap *= 2;
            ByteBuffer grown = ByteBuffer.allocate(Math.min(cap, coalesceMax));
            if (out != null) grown.put(out.flip());
            out = grown;
        }
        return true;
    }

    /** Copies {@code b} whole into the coalescing buffer (the caller checked that it fits). */
    private void copy(ByteBuffer b) {
        fits(b.remaining());
        out.put(b);
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel();
        timer = null;
        timerAt = ServerConnection.NO_DEADLINE;
    }
}
