package io.sansnet.http.server;

import io.sansnet.http.HttpLimits;

/**
 * The server's limits and timeouts. Every default names its source.
 *
 * @param limits the codec's bounds on untrusted input (414, 431, 413)
 * @param headerTimeoutNanos one deadline for a whole request head, counted from its first byte and never extended by
 *     later bytes (the slowloris defence); then 408 and close
 * @param bodyTimeoutNanos longest wait for the next request-body bytes while the server wants them; then 408 (or a
 *     close when the response already started)
 * @param idleTimeoutNanos longest wait for the first byte of a request on an open connection (after accept or between
 *     keep-alive requests); then a silent close (RFC 9112 §9.5 lets servers close idle connections)
 * @param handlerTimeoutNanos longest a handler may take to produce its response head (deferred replies), or to make
 *     progress on a streamed body; then 503 (or a close when the response already started)
 * @param sendStallTimeoutNanos longest time without any response byte taken by the transport while output is pending
 *     (a client that stopped reading); then the connection is closed and counted ({@link
 *     ServerCounters#sendStallTimeouts()}). Measured between two writes that made progress, not over the whole
 *     response, so a slow but reading client is not cut off. Over kernel sockets a full send buffer is reported
 *     writable only after the peer has read a good part of it (Linux: about half), so keep it well above the time a
 *     slow client needs for that
 * @param lingerNanos after our last byte and FIN, how long received bytes are read and discarded before closing, so
 *     the kernel does not answer unread request bytes with a RST that destroys the response in flight (RFC 9112 §9.6)
 * @param maxBufferedBodyBytes request-body bytes buffered for a handler that reads slower than the client sends;
 *     beyond it the server stops reading (backpressure)
 * @param maxQueuedOutputBytes response bytes queued ahead of the transport before pipelined requests stop being
 *     processed
 * @param sendChunkBytes the largest piece pulled from a streamed body at once
 * @param writeCoalesceBytes response pieces produced together (heads, small bodies, chunk framing, the responses to a
 *     batch of pipelined requests) are copied into one buffer of at most this many bytes per connection and handed to
 *     the transport in one write; larger pieces are written as they are. 0 writes every piece separately
 * @param serverName the {@code Server} field value (RFC 9110 §10.2.4)
 */
public record HttpServerConfig(
        HttpLimits limits,
        long headerTimeoutNanos,
        long bodyTimeoutNanos,
        long idleTimeoutNanos,
        long handlerTimeoutNanos,
        long sendStallTimeoutNanos,
        long lingerNanos,
        int maxBufferedBodyBytes,
        int maxQueuedOutputBytes,
        int sendChunkBytes,
        int writeCoalesceBytes,
        String serverName) {

    public HttpServerConfig {
        if (limits == null) throw new IllegalArgumentException("null limits");
        if (headerTimeoutNanos <= 0
                || bodyTimeoutNanos <= 0
                || idleTimeoutNanos <= 0
                || handlerTimeoutNanos <= 0
                || sendStallTimeoutNanos <= 0) throw new IllegalArgumentException("timeouts must be positive");
        if (lingerNanos < 0) throw new IllegalArgumentException("lingerNanos < 0");
        if (maxBufferedBodyBytes < 1 || maxQueuedOutputBytes < 1 || sendChunkBytes < 1)
            throw new IllegalArgumentException("buffer sizes must be positive");
        if (writeCoalesceBytes < 0) throw new IllegalArgumentException("writeCoalesceBytes < 0");
    }

    private static final long SECOND = 1_000_000_000L;

    public static final HttpServerConfig DEFAULT = builder().build();

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.limits = limits;
        b.headerTimeoutNanos = headerTimeoutNanos;
        b.bodyTimeoutNanos = bodyTimeoutNanos;
        b.idleTimeoutNanos = idleTimeoutNanos;
        b.handlerTimeoutNanos = handlerTimeoutNanos;
        b.sendStallTimeoutNanos = sendStallTimeoutNanos;
        b.lingerNanos = lingerNanos;
        b.maxBufferedBodyBytes = maxBufferedBodyBytes;
        b.maxQueuedOutputBytes = maxQueuedOutputBytes;
        b.sendChunkBytes = sendChunkBytes;
        b.writeCoalesceBytes = writeCoalesceBytes;
        b.serverName = serverName;
        return b;
    }

    public static final class Builder {
        private HttpLimits limits = HttpLimits.DEFAULT;
        // Apache mod_reqtimeout "header=20-40,MinRate=500"; nginx client_header_timeout 60 s; Go's http.Server has
        // ReadHeaderTimeout unset (no defence). 20 s bounds a slowloris connection's life without hurting real
        // clients, which send a head in one segment.
        private long headerTimeoutNanos = 20 * SECOND;
        // nginx client_body_timeout 60 s (between two reads); Apache mod_reqtimeout "body=20".
        private long bodyTimeoutNanos = 20 * SECOND;
        // nginx keepalive_timeout 75 s; Apache KeepAliveTimeout 5 s; Go IdleTimeout = ReadTimeout. 60 s in between.
        private long idleTimeoutNanos = 60 * SECOND;
        // No common precedent (frameworks leave it to the application); 30 s, like many reverse proxies' upstream
        // read timeouts (AWS ALB idle 60 s, Heroku router 30 s).
        private long handlerTimeoutNanos = 30 * SECOND;
        // nginx send_timeout 60 s ("between two successive write operations"); Apache Timeout 60 s. Go's WriteTimeout
        // bounds the whole response instead, which would cut off large downloads to slow clients.
        private long sendStallTimeoutNanos = 60 * SECOND;
        // Apache's lingering close waits up to 2 s (MAX_SECS_TO_LINGER is 30, the per-read wait 2 s).
        private long lingerNanos = 2 * SECOND;
        // One transport read's worth (the socket driver reads 64 KiB at a time).
        private int maxBufferedBodyBytes = 64 * 1024;
        private int maxQueuedOutputBytes = 64 * 1024;
        private int sendChunkBytes = 64 * 1024;
        // Go's net/http buffers each connection's output in a 4 KiB bufio.Writer; 8 KiB holds the responses to a
        // batch of 16 pipelined small requests with room to spare (the buffer grows from 1 KiB only as needed).
        private int writeCoalesceBytes = 8 * 1024;
        private String serverName = "sansnet";

        public Builder limits(HttpLimits v) {
            limits = v;
            return this;
        }

        public Builder headerTimeoutNanos(long v) {
            headerTimeoutNanos = v;
            return this;
        }

        public Builder bodyTimeoutNanos(long v) {
            bodyTimeoutNanos = v;
            return this;
        }

        public Builder idleTimeoutNanos(long v) {
            idleTimeoutNanos = v;
            return this;
        }

        public Builder handlerTimeoutNanos(long v) {
            handlerTimeoutNanos = v;
            return this;
        }

        public Builder sendStallTimeoutNanos(long v) {
            sendStallTimeoutNanos = v;
            return this;
        }

        public Builder writeCoalesceBytes(int v) {
            writeCoalesceBytes = v;
            return this;
        }

        public Builder lingerNanos(long v) {
            lingerNanos = v;
            return this;
        }

        public Builder maxBufferedBodyBytes(int v) {
            maxBufferedBodyBytes = v;
            return this;
        }

        public Builder maxQueuedOutputBytes(int v) {
            maxQueuedOutputBytes = v;
            return this;
        }

        public Builder sendChunkBytes(int v) {
            sendChunkBytes = v;
            return this;
        }

        public Builder serverName(String v) {
            serverName = v;
            return this;
        }

        public HttpServerConfig build() {
            return new HttpServerConfig(
                    limits,
                    headerTimeoutNanos,
                    bodyTimeoutNanos,
                    idleTimeoutNanos,
                    handlerTimeoutNanos,
                    sendStallTimeoutNanos,
                    lingerNanos,
                    maxBufferedBodyBytes,
                    maxQueuedOutputBytes,
                    sendChunkBytes,
                    writeCoalesceBytes,
                    serverName);
        }
    }
}
