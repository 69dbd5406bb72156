package io.sansnet.sim.scenario;

import io.sansnet.http.Headers;
import io.sansnet.http.HttpEvent;
import io.sansnet.http.server.StandardRoutes;
import io.sansnet.stack.rand.SplitMix64;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of the {@code http} scenario and the response it must get, computed independently of the server: {@code
 * /bytes/N} is N bytes where byte i is {@code i % 251}, {@code /echo} returns the request body, {@code /plaintext} and
 * {@code /json} their fixed texts. Every expected response has status 200.
 *
 * @param index the request's position in the whole workload (for messages)
 * @param kind what is asked
 * @param size N of {@code /bytes/N}, or the request body's length for {@code /echo}
 * @param bodySeed the seed of the request body of {@code /echo}: byte i is {@link #bodyByte(long)} (computed, never
 *     stored, so a long workload holds no bodies)
 * @param chunks for a chunked {@code /echo}, the sizes of the chunks the body is sent in (their sum is the size)
 * @param close whether the request carries {@code Connection: close} (the last of a connection)
 */
record HttpScenarioRequest(int index, Kind kind, int size, long bodySeed, int[] chunks, boolean close) {

    /** What a request asks for. */
    enum Kind {
        GET_BYTES,
        HEAD_BYTES,
        PLAINTEXT,
        JSON,
        ECHO_LENGTH,
        ECHO_CHUNKED
    }

    static final byte[] PLAINTEXT_BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JSON_BODY = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    /** Largest small body or download. */
    static final int MAX_SMALL_BYTES = 4_000;
    /** Large bodies and downloads: hundreds of KB. */
    static final int MIN_LARGE_BYTES = 100_000;

    static final int MAX_LARGE_BYTES = 600_000;
    /** Probability that a body or download is large. */
    static final double LARGE_CHANCE = 0.12;
    /** Most chunks a chunked body is cut into. */
    static final int MAX_CHUNKS = 16;

    /** A request drawn from {@code rng}. */
    static HttpScenarioRequest draw(int index, SplitMix64 rng, boolean close) {
        Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
        int size = rng.chance(LARGE_CHANCE)
                ? MIN_LARGE_BYTES + rng.nextInt(MAX_LARGE_BYTES - MIN_LARGE_BYTES + 1)
                : rng.nextInt(MAX_SMALL_BYTES + 1);
        long bodySeed = rng.nextLong();
        int[] chunks = kind == Kind.ECHO_CHUNKED ? cut(size, 1 + rng.nextInt(MAX_CHUNKS), rng) : new int[0];
        return new HttpScenarioRequest(index, kind, size, bodySeed, chunks, close);
    }

    /** {@code total} cut into at most {@code parts} non-empty pieces at seeded points. */
    private static int[] cut(int total, int parts, SplitMix64 rng) {
        List<Integer> l = new ArrayList<>();
        int left = total;
        for (int i = 0; i < parts - 1 && left > 1; i++) {
            int n = 1 + rng.nextInt(left - 1);
            l.add(n);
            left -= n;
        }
        if (left > 0) {
            l.add(left);
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The head to send. */
    HttpEvent.Request head() {
        Headers.Builder h = Headers.builder().add("Host", "server");
        String method = "GET";
        String target;
        switch (kind) {
            case GET_BYTES -> target = "/bytes/" + size;
            case HEAD_BYTES -> {
                method = "HEAD";
                target = "/bytes/" + size;
            }
            case PLAINTEXT -> target = "/plaintext";
            case JSON -> target = "/json";
            case ECHO_LENGTH -> {
                method = "POST";
                target = "/echo";
                h.add("Content-Length", Integer.toString(size));
            }
            default -> {
                method = "POST";
                target = "/echo";
                h.add("Transfer-Encoding", "chunked");
            }
        }
        if (close) {
            h.add("Connection", "close");
        }
        return new HttpEvent.Request(method, target, h.build());
    }

    /** Byte {@code i} of the request body of {@code /echo}. */
    byte bodyByte(long i) {
        return (byte) SplitMix64.mix(bodySeed + i);
    }

    /** The body events to send after the head, ending with EndOfMessage (the body is made now, then dropped). */
    List<HttpEvent> bodyEvents() {
        byte[] body = new byte[kind == Kind.ECHO_LENGTH || kind == Kind.ECHO_CHUNKED ? size : 0];
        for (int i = 0; i < body.length; i++) {
            body[i] = bodyByte(i);
        }
        List<HttpEvent> l = new ArrayList<>();
        if (kind == Kind.ECHO_LENGTH && size > 0) {
            l.add(new HttpEvent.Data(body));
        } else if (kind == Kind.ECHO_CHUNKED) {
            int off = 0;
            for (int c : chunks) {
                l.add(new HttpEvent.Data(ByteBuffer.wrap(body, off, c)));
                off += c;
            }
        }
        l.add(new HttpEvent.EndOfMessage());
        return l;
    }

    /** Octets of the expected response body (0 for HEAD). */
    long expectedBodyLength() {
        return switch (kind) {
            case GET_BYTES, ECHO_LENGTH, ECHO_CHUNKED -> size;
            case HEAD_BYTES -> 0;
            case PLAINTEXT -> PLAINTEXT_BODY.length;
            case JSON -> JSON_BODY.length;
        };
    }

    /** The expected {@code Content-Length} value, or -1 when the response must be chunked. */
    long expectedContentLength() {
        return switch (kind) {
            case ECHO_CHUNKED -> -1;
            case HEAD_BYTES -> size;
            default -> expectedBodyLength();
        };
    }

    /** Byte {@code i} of the expected response body. */
    byte expectedByte(long i) {
        return switch (kind) {
            case GET_BYTES, HEAD_BYTES -> (byte) (i % StandardRoutes.PATTERN_PERIOD);
            case ECHO_LENGTH, ECHO_CHUNKED -> bodyByte(i);
            case PLAINTEXT -> PLAINTEXT_BODY[(int) i];
            case JSON -> JSON_BODY[(int) i];
        };
    }

    /** Start of the expected {@code Content-Type}, or null when any is fine. */
    String expectedContentType() {
        return switch (kind) {
            case PLAINTEXT -> "text/plain";
            case JSON -> "application/json";
            case GET_BYTES, HEAD_BYTES -> "application/octet-stream";
            default -> null;
        };
    }

    /** For messages: {@code #3 POST /echo (chunked, 1200 bytes)}. */
    String describe() {
        HttpEvent.Request r = head();
        String extra = switch (kind) {
            case ECHO_LENGTH -> " (" + size + " bytes, Content-Length)";
            case ECHO_CHUNKED -> " (" + size + " bytes in " + chunks.length + " chunks)";
            default -> "";
        };
        return "#" + index + " " + r.method() + " " + r.target() + extra + (close ? " [close]" : "");
    }
}
