package io.sansnet.http.server;

import io.sansnet.http.Headers;
import java.util.Locale;
import java.util.Map;

/**
 * A handler serving files from a {@link FileSource}: Content-Type by extension, Content-Length, Last-Modified and
 * If-Modified-Since (RFC 9110 §8.8.2, §13.1.3), and one byte range (RFC 9110 §14). Paths are percent-decoded, then
 * dot segments are removed (RFC 3986 §5.2.4); a path that would climb above the root, or contains NUL, is refused.
 */
public final class StaticFiles implements Handler {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"),
            Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("gz", "application/gzip"),
            Map.entry("zip", "application/zip"));

    private final FileSource files;

    public StaticFiles(FileSource files) {
        this.files = files;
    }

    /** The media type for a file name (RFC 9110 §8.3); unknown extensions are application/octet-stream. */
    public static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) return "application/octet-stream";
        return TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    @Override
    public Reply handle(ServerRequest req) throws Exception {
        if (!req.method().equals("GET") && !req.method().equals("HEAD"))
            return new Reply.Full(405, Headers.of("Allow", "GET, HEAD"), new byte[0]);
        Paths.Normalised n = Paths.normalise(req.path());
        if (n instanceof Paths.Normalised.Rejected r)
            return r.reason().contains("climbs") ? Reply.status(403) : Reply.status(400);
        FileSource.Lookup l = files.lookup(((Paths.Normalised.Inside) n).segments());
        if (l instanceof FileSource.Lookup.NotFound) return Reply.status(404);
        if (l instanceof FileSource.Lookup.Forbidden) return Reply.status(403);
        FileSource.FileEntry f = ((FileSource.Lookup.Found) l).file();
        long size = f.size();
        String lastModified = HttpDate.format(f.lastModifiedEpochSeconds());
        Headers base = Headers.of(
                "Content-Type", contentType(f.name()), "Last-Modified", lastModified, "Accept-Ranges", "bytes");
        // RFC 9110 §13.2.2 step 4: If-Modified-Since (GET/HEAD, no If-None-Match): 304 when not modified since.
        String ims = req.headers().first("If-Modified-Since").orElse(null);
        if (ims != null && !req.headers().contains("If-None-Match")) {
            long since = HttpDate.parse(ims);
            if (since != Long.MIN_VALUE && f.lastModifiedEpochSeconds() <= since)
                return new Reply.Full(304, Headers.of("Last-Modified", lastModified), new byte[0]);
        }
        String range = req.headers().first("Range").orElse(null);
        // RFC 9110 §13.1.5: with If-Range we would have to compare validators; serving the whole file is always
        // allowed ("MUST ignore the Range header field" when the condition is false).
        if (range != null
                && !req.headers().contains("If-Range")
                && req.headers().count("Range") == 1) {
            long[] r = parseRange(range, size);
            if (r == UNSATISFIABLE)
                return new Reply.Full(416, Headers.of("Content-Range", "bytes */" + size), new byte[0]);
            if (r != null) {
                long len = r[1] - r[0] + 1;
                Headers h = base.with("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size)
                        .with("Content-Length", Long.toString(len));
                return Reply.stream(206, h, req.method().equals("HEAD") ? EMPTY : f.open(r[0], len));
            }
        }
        Headers h = base.with("Content-Length", Long.toString(size));
        return Reply.stream(200, h, req.method().equals("HEAD") ? EMPTY : f.open(0, size));
    }

    private static final BodySource EMPTY = dst -> BodySource.END;

    private static final long[] UNSATISFIABLE = new long[0];

    /**
     * RFC 9110 §14.1.2: {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. Returns {first, last},
     * {@link #UNSATISFIABLE}, or null to ignore the field (not a single well-formed byte range: §14.2 lets a server
     * ignore it).
     */
    static long[] parseRange(String v, long size) {
        String s = v.trim();
        if (!s.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        s = s.substring(6).trim();
        if (s.indexOf(',') >= 0) return null; // several ranges: we serve the whole representation instead
        int dash = s.indexOf('-');
        if (dash < 0) return null;
        String a = s.substring(0, dash).trim(), b = s.substring(dash + 1).trim();
        long first, last;
        if (a.isEmpty()) {
            long suffix = digits(b);
            if (suffix < 0) return null;
            if (suffix == 0 || size == 0) return UNSATISFIABLE;
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = digits(a);
            if (first < 0) return null;
            if (b.isEmpty()) last = size - 1;
            else {
                last = digits(b);
                if (last < 0 || last < first) return null;
            }
            if (first >= size) return UNSATISFIABLE;
            last = Math.min(last, size - 1);
        }
        return new long[] {first, last};
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
