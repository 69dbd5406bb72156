package io.sansnet.http.server;

import io.sansnet.http.Headers;
import java.nio.ByteBuffer;

/**
 * The endpoints of {@code sansnet serve}: {@code /plaintext} and {@code /json} (the TechEmpower responses), {@code
 * /bytes/N} (a generated download), {@code POST /echo} (a streamed echo), and static files as the fallback.
 */
public final class StandardRoutes {
    private StandardRoutes() {}

    /** Default largest N for {@code /bytes/N}: 4 GiB plus, room for the acceptance test's 4,000,000,000 bytes. */
    public static final long DEFAULT_MAX_GENERATED_BYTES = 1L << 33;

    /** The bytes of {@code /bytes/N} repeat with this period: byte i is {@code i % 251} (251 is prime). */
    public static final int PATTERN_PERIOD = 251;

    /**
     * @param files static files for every path no other route takes, or null for none
     * @param maxGeneratedBytes the largest N {@code /bytes/N} serves; above it 400
     */
    public static Router router(FileSource files, long maxGeneratedBytes) {
        return register(Router.builder(), files, maxGeneratedBytes).build();
    }

    /** Adds the standard routes to {@code b} (for a server with more routes of its own). */
    public static Router.Builder register(Router.Builder b, FileSource files, long maxGeneratedBytes) {
        b.get("/plaintext", req -> Reply.text(200, "Hello, World!"))
                .get("/json", req -> Reply.json(200, "{\"message\":\"Hello, World!\"}"))
                .get("/bytes/{n}", req -> bytes(req, maxGeneratedBytes))
                .post("/echo", StandardRoutes::echo);
        if (files != null) b.fallback(new StaticFiles(files));
        return b;
    }

    static Reply bytes(ServerRequest req, long max) {
        String s = req.param("n");
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9'))
            return Reply.text(400, "N must be a decimal number\n");
        long n = Long.parseLong(s);
        if (n > max) return Reply.text(400, "N must be at most " + max + "\n");
        return Reply.stream(
                200,
                Headers.of("Content-Type", "application/octet-stream", "Content-Length", Long.toString(n)),
                new PatternSource(n));
    }

    /** Sends the request body back as it arrives; chunked unless the request had a Content-Length. */
    static Reply echo(ServerRequest req) {
        Headers h =
                Headers.of("Content-Type", req.headers().first("Content-Type").orElse("application/octet-stream"));
        if (!req.headers().contains("Transfer-Encoding")) {
            String cl = req.headers().first("Content-Length").orElse("0");
            // The codec accepted it, so it is a decimal number (possibly a list of equal ones: take the first).
            int comma = cl.indexOf(',');
            h = h.with("Content-Length", (comma < 0 ? cl : cl.substring(0, comma)).trim());
        }
        return Reply.stream(200, h, req.body());
    }

    /** {@code n} bytes where byte i is {@code i % 251}, generated as they are sent. */
    static final class PatternSource implements BodySource {
        /** Whole periods, so any offset into the pattern can be copied in one piece. */
        private static final byte[] TABLE = new byte[PATTERN_PERIOD * 261];

        static {
            for (int i = 0; i < TABLE.length; i++) TABLE[i] = (byte) (i % PATTERN_PERIOD);
        }

        private final long n;
        private long pos;

        PatternSource(long n) {
            this.n = n;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos >= n) return END;
            int total = 0;
            while (dst.hasRemaining() && pos < n) {
                int off = (int) (pos % PATTERN_PERIOD);
                int k = (int) Math.min(Math.min(dst.remaining(), TABLE.length - off), n - pos);
                dst.put(TABLE, off, k);
                pos += k;
                total += k;
            }
            return total;
        }
    }
}
