package io.sansnet.driver;

import io.sansnet.http.server.ByteStream;
import io.sansnet.http.server.ByteStreamListener;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.tcp.TcpEvent;
import io.sansnet.stack.tcp.TcpSocket;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One connection of sansnet's own TCP ({@link TcpSocket}) as a {@link ByteStream}, so the HTTP server runs on it
 * unchanged: readable data becomes {@link ByteStreamListener#onData}, the peer's FIN (after the data before it)
 * {@link ByteStreamListener#onEof}, the connection's end {@link ByteStreamListener#onClosed}, and send-buffer space
 * {@link ByteStreamListener#onWritable}.
 *
 * <p>Loop thread only (the thread that owns the {@link io.sansnet.stack.tcp.TcpLayer}). A socket may deliver an event
 * synchronously from inside one of our own calls into it ({@code send}, {@code receive}, {@code close}); such an
 * event is not handed to the listener there, but re-run as a task on the loop, so the listener never sees a callback
 * nested inside another.
 */
final class TcpByteStream implements ByteStream, TcpSocket.Handler {

    /** Octets moved from the socket's receive buffer per {@code receive} call (one {@code onData}). */
    static final int READ_CHUNK_BYTES = 64 * 1024;

    private final TcpSocket socket;
    private final EventLoop loop;
    private final String peer;
    private ByteStreamListener listener;
    /** The receive buffer, or null after the listener kept the last one. */
    private ByteBuffer buffer;

    private boolean reading = true;
    private boolean eofDelivered;
    /** Our FIN is queued (shutdownOutput or close). */
    private boolean outputShut;
    /** Closed by the server or ended by TCP: the listener hears nothing more. */
    private boolean closed;
    /** Inside a call into the socket or the listener: events wait for a task. */
    private boolean busy;

    private boolean drainQueued;

    TcpByteStream(TcpSocket socket, EventLoop loop) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.peer = String.valueOf(socket.tuple().remoteAddress());
    }

    /** Sets the listener (from {@code HttpServer.attach}); events before it wait for it. */
    void attach(ByteStreamListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
    }

    // ---- TcpSocket.Handler ----

    @Override
    public void onEvent(TcpSocket s, TcpEvent event) {
        if (busy || listener == null) {
            loop.execute(() -> onEvent(s, event));
            return;
        }
        try {
            handle(event);
        } catch (RuntimeException e) {
            // A bug on the server's path must not take the host's loop down: drop this connection only.
            busy = false;
            fail();
        }
    }

    /** Resets the connection after an unexpected exception; the listener hears {@code onClosed}. */
    private void fail() {
        if (closed) {
            return;
        }
        closed = true;
        outputShut = true;
        busy = true;
        try {
            socket.abort();
            listener.onClosed();
        } catch (RuntimeException ignored) {
            // nothing more can be done for this connection
        } finally {
            busy = false;
        }
    }

    private void handle(TcpEvent event) {
        if (event instanceof TcpEvent.Closed) {
            if (!closed) {
                closed = true;
                busy = true;
                try {
                    listener.onClosed();
                } finally {
                    busy = false;
                }
            }
            return;
        }
        if (closed) {
            discardInput();
            return;
        }
        if (event instanceof TcpEvent.Writable) {
            busy = true;
            try {
                listener.onWritable();
            } finally {
                busy = false;
            }
            return;
        }
        // Connected, Readable, PeerFinished: whatever is readable now goes to the listener.
        drain();
    }

    /** Hands readable octets to the listener while it reads, then the end of stream once all were read. */
    private void drain() {
        while (reading && !closed && !eofDelivered) {
            if (buffer == null) {
                buffer = ByteBuffer.allocate(READ_CHUNK_BYTES);
            }
            buffer.clear();
            int n;
            busy = true;
            try {
                n = socket.receive(buffer);
            } finally {
                busy = false;
            }
            if (n == 0) {
                return;
            }
            busy = true;
            try {
                if (n < 0) {
                    eofDelivered = true;
                    listener.onEof();
                    return;
                }
                buffer.flip();
                if (listener.onData(buffer)) {
                    buffer = null; // the listener keeps views of it
                }
            } finally {
                busy = false;
            }
        }
    }

    /** After the server closed: reads and drops what still arrives, so the peer is not stalled by a full window. */
    private void discardInput() {
        ByteBuffer sink = ByteBuffer.allocate(READ_CHUNK_BYTES);
        busy = true;
        try {
            while (true) {
                sink.clear();
                if (socket.receive(sink) <= 0) {
                    return;
                }
            }
        } finally {
            busy = false;
        }
    }

    // ---- ByteStream ----

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void write(ByteBuffer src) {
        if (closed || outputShut) {
            src.position(src.limit()); // nothing can be sent any more
            return;
        }
        boolean was = busy;
        busy = true;
        try {
            socket.send(src); // advances src; a partial send is followed by a Writable event
        } finally {
            busy = was;
        }
    }

    @Override
    public void setReading(boolean on) {
        boolean resumed = on && !reading;
        reading = on;
        if (resumed && !drainQueued) {
            drainQueued = true;
            loop.execute(() -> {
                drainQueued = false;
                if (!busy && listener != null) {
                    try {
                        drain();
                    } catch (RuntimeException e) {
                        busy = false;
                        fail();
                    }
                }
            });
        }
    }

    @Override
    public void shutdownOutput() {
        if (closed || outputShut) {
            return;
        }
        outputShut = true;
        boolean was = busy;
        busy = true;
        try {
            socket.close(); // RFC 9293 §3.10.4: FIN after the queued data; receiving goes on
        } finally {
            busy = was;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!outputShut) {
            outputShut = true;
            boolean was = busy;
            busy = true;
            try {
                socket.close();
            } finally {
                busy = was;
            }
        }
        loop.execute(() -> {
            if (!busy) {
                discardInput();
            }
        });
    }
}
