package io.sansnet.http.server;

import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import java.nio.ByteBuffer;

/**
 * Drives one {@link ServerConnection} from a {@link ByteStream} and an {@link EventLoop}: hands received bytes in,
 * writes what the connection produces while the transport takes it (a partial write waits for {@code onWritable}:
 * backpressure), keeps one timer armed for {@link ServerConnection#pollTimeout()}, and applies read interest,
 * half-close and close. No I/O of its own: everything goes through the two interfaces.
 */
final class StreamBinding implements ByteStreamListener {
    private final ServerConnection conn;
    private final ByteStream stream;
    private final EventLoop loop;
    /** The buffer being written; it stays valid until the next pollTransmit, so it is finished first. */
    private ByteBuffer pending;

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
            while (true) {
                if (pending == null || !pending.hasRemaining()) pending = conn.pollTransmit(now);
                if (pending == null) break;
                stream.write(pending);
                if (pending.hasRemaining()) break; // the transport is full: onWritable resumes
                if (closed) return;
            }
            if (pending == null && conn.wantsOutputShutdown()) {
                stream.shutdownOutput();
                conn.outputShutdown(now);
            }
            if (conn.isClosed()) {
                closed = true;
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

    private void cancelTimer() {
        if (timer != null) timer.cancel();
        timer = null;
        timerAt = ServerConnection.NO_DEADLINE;
    }
}
