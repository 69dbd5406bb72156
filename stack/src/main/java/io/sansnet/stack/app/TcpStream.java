package io.sansnet.stack.app;

import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.IpAddress;
import java.nio.ByteBuffer;

/**
 * One established TCP connection as application code sees it: the user calls of RFC 9293 §3.9.1 (SEND, RECEIVE,
 * CLOSE, ABORT, STATUS) and callbacks, all on the owning loop. Flow control is the application's: {@link #send}
 * returns how much the send buffer took, and {@link #onWritable} says when to try again.
 */
public interface TcpStream {

    IpAddress localAddress();

    int localPort();

    IpAddress remoteAddress();

    int remotePort();

    /** SEND: queues as much of {@code src} as the send buffer holds; returns the count (0 when full or closed). */
    int send(ByteBuffer src);

    default int send(byte[] data) {
        return send(ByteBuffer.wrap(data));
    }

    /** RECEIVE: moves readable octets into {@code dst}; returns the count, or -1 once the peer finished and all was read. */
    int receive(ByteBuffer dst);

    /** Octets ready for {@link #receive}. */
    int readable();

    /**
     * Called whenever new data became readable (edge-triggered: again only after {@link #receive} was called), and
     * once more when the peer finished (then {@link #receive} returns -1 after the last octets).
     */
    void onReadable(Runnable callback);

    /** Called when send-buffer space opened after a {@link #send} took less than it was offered. */
    void onWritable(Runnable callback);

    /** Completes once with how the connection ended (exactly one reason per connection). */
    AppFuture<CloseReason> closed();

    /** CLOSE: our FIN follows the queued data; receiving continues until the peer finishes (half-close). */
    void close();

    /** ABORT: a RST; the connection ends at once with {@link CloseReason#ABORTED}. */
    void abort();

    /** A snapshot like one line of {@code ss -ti}. */
    TcpStatus status();
}
