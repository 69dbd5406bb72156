package io.sansnet.driver.socket;

import io.sansnet.http.server.ByteStream;
import io.sansnet.http.server.ByteStreamListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Function;

/**
 * One accepted kernel TCP connection as a {@link ByteStream}: non-blocking reads into the loop's receive buffer,
 * non-blocking writes (a write the socket buffer cannot take whole arms OP_WRITE, and the listener hears {@code
 * onWritable} when it drains), read interest switched off while the server applies backpressure. Loop thread only.
 */
final class SocketStream implements ByteStream, SelectorLoop.Ready {

    /** Reads per readiness event before other connections get their turn. */
    static final int MAX_READS_PER_EVENT = 16;

    private final SocketChannel channel;
    private final SocketLoop loop;
    private final String peer;
    private SelectionKey key;
    private ByteStreamListener listener;
    private boolean reading = true;
    private boolean eof;
    private boolean closed;

    SocketStream(SocketChannel channel, SocketLoop loop) {
        this.channel = channel;
        this.loop = loop;
        String p;
        try {
            InetSocketAddress a = (InetSocketAddress) channel.getRemoteAddress();
            p = a == null ? "-" : a.getAddress().getHostAddress();
        } catch (IOException e) {
            p = "-";
        }
        this.peer = p;
    }

    /** Registers on the loop's selector and attaches the server's listener. Loop thread. */
    void register(Function<ByteStream, ByteStreamListener> attach) throws IOException {
        channel.configureBlocking(false);
        key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        listener = attach.apply(this);
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void write(ByteBuffer src) {
        if (closed) {
            src.position(src.limit()); // nothing can be sent any more; the listener hears onClosed
            return;
        }
        try {
            channel.write(src);
        } catch (IOException e) {
            fail();
            return;
        }
        if (src.hasRemaining() && key.isValid()) key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }

    @Override
    public void setReading(boolean on) {
        reading = on;
        updateInterest();
    }

    @Override
    public void shutdownOutput() {
        if (closed) return;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fail();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (key != null) key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        loop.connectionClosed();
    }

    @Override
    public void onReady(SelectionKey k) {
        try {
            if (k.isValid() && k.isWritable()) {
                k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
                listener.onWritable();
            }
            if (!closed && k.isValid() && k.isReadable()) readSome();
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed while handling
        } catch (RuntimeException e) {
            // A bug in a handler path must not take the loop down: drop this connection only.
            loop.countCallbackError();
            fail();
        }
    }

    private void readSome() {
        for (int i = 0; i < MAX_READS_PER_EVENT && reading && !eof && !closed; i++) {
            ByteBuffer buf = loop.receiveBuffer();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                fail();
                return;
            }
            if (n == 0) return;
            if (n < 0) {
                eof = true;
                updateInterest();
                listener.onEof();
                return;
            }
            buf.flip();
            if (listener.onData(buf)) loop.receiveBufferTaken();
            else buf.clear();
            if (n < buf.capacity()) return; // the socket is (probably) drained
        }
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid()) return;
        int ops = key.interestOps();
        ops = reading && !eof ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ;
        key.interestOps(ops);
    }

    private void fail() {
        if (closed) return;
        close();
        listener.onClosed();
    }

    @Override
    public void onLoopClosed() {
        if (closed) return;
        close();
        if (listener != null) listener.onClosed();
    }
}
