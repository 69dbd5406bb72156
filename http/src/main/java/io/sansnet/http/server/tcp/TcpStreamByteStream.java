package io.sansnet.http.server.tcp;

import io.sansnet.http.server.ByteStream;
import io.sansnet.http.server.ByteStreamListener;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.app.TcpStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;

/**
 * One connection of sansnet's own TCP, as application code sees it ({@link TcpStream}), turned into the {@link
 * ByteStream} the HTTP server is written against: readable octets become {@link ByteStreamListener#onData}, the
 * peer's FIN (after the data before it) {@link ByteStreamListener#onEof}, send-buffer space {@link
 * ByteStreamListener#onWritable}, and the connection's end {@link ByteStreamListener#onClosed}. The same class serves
 * a simulated host and a driver's loop: both offer a {@link TcpStream} through {@code TcpLayerTransport}.
 *
 * <p>Loop only. A stream may run a callback synchronously inside one of our own calls into it ({@code send}, {@code
 * receive}, {@code close}: the layer reports events from inside them); such a callback is not handed to the listener
 * there but re-run as a task on the loop, so the listener never sees a callback nested inside another. A listener
 * that throws (a bug) costs only its own connection: it is aborted and hears {@link ByteStreamListener#onClosed}.
 */
public final class TcpStreamByteStream implements ByteStream {

    /** Octets moved from the stream's receive buffer per {@code receive} call (one {@code onData}). */
    public static final int READ_CHUNK_BYTES = 64 * 1024;

    private final TcpStream stream;
    private final EventLoop loop;
    private final String peer;
    private ByteStreamListener listener;
    /** The receive buffer, or null after the listener kept the last one. */
    private ByteBuffer buffer;

    private boolean reading = true;
    private boolean eofDelivered;
    /** Our FIN is queued (shutdownOutput or close). */
    private boolean outputShut;
    /** Closed by the server, or ended by TCP: the listener hears nothing more. */
    private boolean closed;
    /** Inside a call into the stream or the listener: callbacks wait for a task. */
    private boolean busy;

    private boolean drainQueued;

    private TcpStreamByteStream(TcpStream stream, EventLoop loop) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.peer = String.valueOf(stream.remoteAddress());
    }

    /**
     * Wraps {@code stream} (whose callbacks run on {@code loop}), lets {@code attach} make its listener (usually
     * {@code server::attach}), and starts delivering: data that arrived before this call is read on the loop next.
     */
    public static TcpStreamByteStream open(
            TcpStream stream, EventLoop loop, Function<ByteStream, ByteStreamListener> attach) {
        TcpStreamByteStream s = new TcpStreamByteStream(stream, loop);
        s.busy = true; // the listener may write from its constructor: nothing may call back into it yet
        try {
            s.listener = Objects.requireNonNull(attach.apply(s), "listener");
        } finally {
            s.busy = false;
        }
        stream.onReadable(s::readable);
        stream.onWritable(s::writable);
        stream.closed().onComplete(r -> s.ended());
        s.scheduleDrain();
        return s;
    }

    // ---- TcpStream callbacks ----

    private void readable() {
        if (busy) {
            loop.execute(this::readable);
            return;
        }
        guarded(() -> {
            if (closed) {
                discardInput();
            } else {
                drain();
            }
        });
    }

    private void writable() {
        if (busy) {
            loop.execute(this::writable);
            return;
        }
        if (!closed) {
            guarded(listener::onWritable);
        }
    }

    /** The connection ended (graceful, reset, aborted, timed out): the listener hears it once. */
    private void ended() {
        if (busy) {
            loop.execute(this::ended);
            return;
        }
        if (!closed) {
            closed = true;
            guarded(listener::onClosed);
        }
    }

    /** Runs a step with callbacks held back; an exception (a bug) aborts this connection only. */
    private void guarded(Runnable step) {
        busy = true;
        try {
            step.run();
        } catch (RuntimeException e) {
            fail();
        } finally {
            busy = false;
        }
    }

    private void fail() {
        if (closed) {
            return;
        }
        closed = true;
        outputShut = true;
        try {
            stream.abort();
            listener.onClosed();
        } catch (RuntimeException ignored) {
            // nothing more can be done for this connection
        }
    }

    /** Hands readable octets to the listener while it reads, then the end of stream once all were read. */
    private void drain() {
        while (reading && !closed && !eofDelivered) {
            if (buffer == null) {
                buffer = ByteBuffer.allocate(READ_CHUNK_BYTES);
            }
            buffer.clear();
            int n = stream.receive(buffer);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                eofDelivered = true;
                listener.onEof();
                return;
            }
            buffer.flip();
            if (listener.onData(buffer)) {
                buffer = null; // the listener keeps views of it
            }
        }
    }

    /** After the server closed: reads and drops what still arrives, so the peer is not stalled by a full window. */
    private void discardInput() {
        ByteBuffer sink = ByteBuffer.allocate(READ_CHUNK_BYTES);
        while (true) {
            sink.clear();
            if (stream.receive(sink) <= 0) {
                return;
            }
        }
    }

    private void scheduleDrain() {
        if (drainQueued) {
            return;
        }
        drainQueued = true;
        loop.execute(() -> {
            drainQueued = false;
            readable();
        });
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
            stream.send(src); // advances src; a partial send is followed by onWritable
        } finally {
            busy = was;
        }
    }

    @Override
    public void setReading(boolean on) {
        boolean resumed = on && !reading;
        reading = on;
        if (resumed) {
            scheduleDrain(); // edge-triggered: nothing else would read what arrived meanwhile
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
            stream.close(); // RFC 9293 §3.10.4: FIN after the queued data; receiving goes on
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
                stream.close();
            } finally {
                busy = was;
            }
        }
        scheduleDrain(); // drops what is still readable (readable() discards once closed)
    }
}
