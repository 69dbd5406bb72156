package io.sansnet.http;

/**
 * The bounds the parser enforces on untrusted input, each with the status a server answers when it is exceeded. The
 * parser buffers at most {@code maxRequestLineBytes + maxHeaderSectionBytes} bytes of a head, {@code
 * maxChunkLineBytes()} of a chunk-size line and {@code maxTrailerSectionBytes} of trailers; body bytes are handed on as
 * they arrive and never accumulated. Bytes received but not yet turned into events (pipelined requests waiting while
 * the connection is Paused, or bytes fed faster than events are taken) are bounded by {@code maxBufferedBytes}.
 *
 * @param maxRequestLineBytes longest request-line (or status-line), CRLF excluded; beyond it: 414 URI Too Long
 * @param maxHeaderSectionBytes longest header section (all field lines with their CRLFs, start line excluded); 431
 * @param maxHeaderCount most field lines in a header section, and separately in a trailer section; 431
 * @param maxBodyBytes largest message body, counted after removing the chunked coding; 413 Content Too Large
 * @param maxChunkExtensionBytes longest chunk-ext (everything between the chunk size and its CRLF); 400
 * @param maxTrailerSectionBytes longest trailer section; 431
 * @param maxEmptyLinesBeforeStartLine how many empty lines before a request-/status-line are skipped (RFC 9112 §2.2);
 *     more: 400
 * @param maxBufferedBytes most received bytes queued in the connection and not yet turned into events, counting the
 *     bytes of the {@code receiveData} call being made; a call beyond it is refused (the bytes are not kept) and the
 *     peer's state becomes ERROR, with a {@link RemoteProtocolError} (503) from the next {@code nextEvent}. A driver
 *     that stops reading while the connection is Paused never reaches it; one that keeps feeding is stopped by it
 */
public record HttpLimits(
        int maxRequestLineBytes,
        int maxHeaderSectionBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        int maxChunkExtensionBytes,
        int maxTrailerSectionBytes,
        int maxEmptyLinesBeforeStartLine,
        int maxBufferedBytes) {

    public HttpLimits {
        if (maxRequestLineBytes < 16) throw new IllegalArgumentException("maxRequestLineBytes < 16");
        if (maxHeaderSectionBytes < 0) throw new IllegalArgumentException("maxHeaderSectionBytes < 0");
        if (maxHeaderCount < 0) throw new IllegalArgumentException("maxHeaderCount < 0");
        if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes < 0");
        if (maxChunkExtensionBytes < 0) throw new IllegalArgumentException("maxChunkExtensionBytes < 0");
        if (maxTrailerSectionBytes < 0) throw new IllegalArgumentException("maxTrailerSectionBytes < 0");
        if (maxEmptyLinesBeforeStartLine < 0) throw new IllegalArgumentException("maxEmptyLinesBeforeStartLine < 0");
        if (maxBufferedBytes < 1) throw new IllegalArgumentException("maxBufferedBytes < 1");
    }

    /** The defaults below. */
    public static final HttpLimits DEFAULT = new Builder().build();

    public static Builder builder() {
        return new Builder();
    }

    /** Longest chunk-size line we buffer: 16 hex digits, the extensions and slack for BWS. */
    public int maxChunkLineBytes() {
        return 64 + maxChunkExtensionBytes;
    }

    /** A builder starting from {@link #DEFAULT}'s values. */
    public Builder toBuilder() {
        return new Builder()
                .maxRequestLineBytes(maxRequestLineBytes)
                .maxHeaderSectionBytes(maxHeaderSectionBytes)
                .maxHeaderCount(maxHeaderCount)
                .maxBodyBytes(maxBodyBytes)
                .maxChunkExtensionBytes(maxChunkExtensionBytes)
                .maxTrailerSectionBytes(maxTrailerSectionBytes)
                .maxEmptyLinesBeforeStartLine(maxEmptyLinesBeforeStartLine)
                .maxBufferedBytes(maxBufferedBytes);
    }

    public static final class Builder {
        // RFC 9112 §3: "It is RECOMMENDED that all HTTP senders and recipients support, at a minimum, request-line
        // lengths of 8000 octets." Apache LimitRequestLine 8190, nginx large_client_header_buffers 8k.
        private int maxRequestLineBytes = 8192;
        // h11 DEFAULT_MAX_INCOMPLETE_EVENT_SIZE = 16 KiB, Node.js --max-http-header-size 16 KiB; nginx allows 4 x 8k,
        // Tomcat maxHttpHeaderSize 8 KiB.
        private int maxHeaderSectionBytes = 16 * 1024;
        // Apache LimitRequestFields 100; Node.js maxHeadersCount 2000 (but bounded by its 16 KiB anyway).
        private int maxHeaderCount = 100;
        // Bodies are streamed, never buffered here, so this bounds work rather than memory. Apache LimitRequestBody
        // defaults to 1 GiB (since 2.4.54), nginx client_max_body_size to 1 MiB; 4 GiB leaves room for the
        // acceptance tests' 1 GiB echo and 4e9-byte download.
        private long maxBodyBytes = 4L << 30;
        // Node.js (llhttp) caps chunk extensions at 16 KiB since CVE-2024-22019.
        private int maxChunkExtensionBytes = 16 * 1024;
        // Same budget as the header section.
        private int maxTrailerSectionBytes = 16 * 1024;
        // RFC 9112 §2.2: a server "SHOULD ignore at least one empty line (CRLF) received prior to the request-line".
        // llhttp skips any number; a bound keeps a peer from holding a connection open with CRLFs alone.
        private int maxEmptyLinesBeforeStartLine = 8;
        // No common precedent: Go's and Node's servers read nothing more until the current response is written, so
        // their bound is one read buffer (Go's bufio.Reader 4 KiB, Node's socket highWaterMark 16 KiB). The server
        // here does the same (it stops reading while Paused); 1 MiB is 16 of its 64 KiB reads, so only a driver that
        // ignores backpressure meets it.
        private int maxBufferedBytes = 1 << 20;

        public Builder maxRequestLineBytes(int v) {
            maxRequestLineBytes = v;
            return this;
        }

        public Builder maxHeaderSectionBytes(int v) {
            maxHeaderSectionBytes = v;
            return this;
        }

        public Builder maxHeaderCount(int v) {
            maxHeaderCount = v;
            return this;
        }

        public Builder maxBodyBytes(long v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder maxChunkExtensionBytes(int v) {
            maxChunkExtensionBytes = v;
            return this;
        }

        public Builder maxTrailerSectionBytes(int v) {
            maxTrailerSectionBytes = v;
            return this;
        }

        public Builder maxEmptyLinesBeforeStartLine(int v) {
            maxEmptyLinesBeforeStartLine = v;
            return this;
        }

        public Builder maxBufferedBytes(int v) {
            maxBufferedBytes = v;
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(
                    maxRequestLineBytes,
                    maxHeaderSectionBytes,
                    maxHeaderCount,
                    maxBodyBytes,
                    maxChunkExtensionBytes,
                    maxTrailerSectionBytes,
                    maxEmptyLinesBeforeStartLine,
                    maxBufferedBytes);
        }
    }
}
