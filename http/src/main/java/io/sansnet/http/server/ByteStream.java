package io.sansnet.http.server;

import java.nio.ByteBuffer;

/**
 * A transport's reliable byte-stream connection, as the HTTP server needs it: bytes out without blocking, read
 * interest for backpressure, half-close and close. The socket driver provides one per accepted kernel TCP connection;
 * a simulated host and sansnet's own TCP provide the same, so {@link HttpServer} runs unchanged on each. All calls
 * come from the connection's owning loop.
 *
 * <p>The transport reports what happens through the {@link ByteStreamListener} it got from {@link
 * HttpServer#attach}.
 */
public interface ByteStream {

    /** The peer's address for logs (the access log's host field), e.g. {@code 127.0.0.1}. */
    String peer();

    /**
     * Writes as much of {@code src} as the transport accepts now, advancing its position. When not all of it was
     * taken, the transport calls {@link ByteStreamListener#onWritable()} once it can take more.
     */
    void write(ByteBuffer src);

    /** Whether the transport should deliver received bytes; false stops reading, so the peer's sender slows down. */
    void setReading(boolean on);

    /** Sends our end of stream (TCP FIN) after the bytes written; reading continues. */
    void shutdownOutput();

    /** Closes both directions and releases the connection. Idempotent. */
    void close();
}
