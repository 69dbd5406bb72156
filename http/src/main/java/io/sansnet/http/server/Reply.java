package io.sansnet.http.server;

import io.sansnet.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * What a {@link Handler} answers: a complete response, a streamed one, a wish to read the whole request body first,
 * or a promise to answer later. The server adds {@code Server}, {@code Date} and the framing fields ({@code
 * Content-Length} for {@link Full}, chunked coding for a {@link Stream} without a length).
 */
public sealed interface Reply {

    /**
     * A response whose body is in memory.
     *
     * @param headers fields besides the ones the server adds; must not contain Content-Length or Transfer-Encoding
     */
    record Full(int status, Headers headers, byte[] body) implements Reply {
        public Full {
            checkStatus(status);
            checkFraming(headers, "Content-Length");
            if (body == null) throw new IllegalArgumentException("null body");
        }
    }

    /**
     * A response whose body is pulled from {@code source} as the connection can send it. With a {@code Content-Length}
     * field the source must deliver exactly that many bytes (else the connection is closed); without one the body is
     * chunked (or delimited by closing, for an HTTP/1.0 client).
     */
    record Stream(int status, Headers headers, BodySource source) implements Reply {
        public Stream {
            checkStatus(status);
            checkFraming(headers, null);
            if (source == null) throw new IllegalArgumentException("null source");
        }
    }

    /**
     * Read the whole request body first (at most {@code maxBytes}, else 413), then answer with {@code then}.
     */
    record WithBody(long maxBytes, BiFunction<ServerRequest, byte[], Reply> then) implements Reply {
        public WithBody {
            if (maxBytes < 0) throw new IllegalArgumentException("maxBytes < 0");
            if (then == null) throw new IllegalArgumentException("null continuation");
        }
    }

    /** The answer comes later through {@code pending} (on the same loop), within the handler deadline. */
    record Deferred(PendingReply pending) implements Reply {
        public Deferred {
            if (pending == null) throw new IllegalArgumentException("null pending");
        }
    }

    static Full of(int status, String contentType, byte[] body) {
        return new Full(status, Headers.of("Content-Type", contentType), body);
    }

    static Full text(int status, String text) {
        return of(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    static Full json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body besides a short text naming the status. */
    static Full status(int status) {
        return text(status, Reasons.of(status) + "\n");
    }

    static Stream stream(int status, Headers headers, BodySource source) {
        return new Stream(status, headers, source);
    }

    static WithBody withBody(long maxBytes, BiFunction<ServerRequest, byte[], Reply> then) {
        return new WithBody(maxBytes, then);
    }

    static Deferred deferred(PendingReply pending) {
        return new Deferred(pending);
    }

    private static void checkStatus(int status) {
        // 1xx are interim (the server sends 100 Continue itself); 101 needs the Upgrade API, not a handler reply.
        if (status < 200 || status > 599) throw new IllegalArgumentException("status must be 200..599: " + status);
    }

    private static void checkFraming(Headers h, String forbidden) {
        if (h == null) throw new IllegalArgumentException("null headers");
        // The server frames the body; a handler's Transfer-Encoding would contradict it (RFC 9112 §6.1).
        if (h.contains("Transfer-Encoding"))
            throw new IllegalArgumentException("Transfer-Encoding is set by the server");
        if (forbidden != null && h.contains(forbidden))
            throw new IllegalArgumentException(forbidden + " is set by the server");
        if (h.count("Content-Length") > 1) throw new IllegalArgumentException("more than one Content-Length");
        if (h.contains("Connection")) throw new IllegalArgumentException("Connection is managed by the server");
    }
}
