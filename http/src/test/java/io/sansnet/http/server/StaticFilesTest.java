package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Static files from an in-memory {@link FileSource}, through the server connection. */
class StaticFilesTest {
    private static final long MTIME = 1_700_000_000L; // Tue, 14 Nov 2023 22:13:20 GMT

    private static final Map<String, byte[]> FILES = Map.of(
            "index.html", "<h1>hi</h1>".getBytes(StandardCharsets.US_ASCII),
            "docs/a b.txt", "0123456789".getBytes(StandardCharsets.US_ASCII),
            "data.bin", new byte[] {1, 2, 3});

    /** Refuses "secret" like a symbolic link pointing out of the root would be refused. */
    static final FileSource MEMORY = segments -> {
        String key = String.join("/", segments);
        if (key.isEmpty()) key = "index.html";
        if (key.equals("secret")) return new FileSource.Lookup.Forbidden("outside the root");
        byte[] b = FILES.get(key);
        if (b == null) return new FileSource.Lookup.NotFound();
        String name = segments.isEmpty() ? "index.html" : segments.get(segments.size() - 1);
        return new FileSource.Lookup.Found(new FileSource.FileEntry() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long size() {
                return b.length;
            }

            @Override
            public long lastModifiedEpochSeconds() {
                return MTIME;
            }

            @Override
            public BodySource open(long offset, long length) {
                ByteBuffer src = ByteBuffer.wrap(b, (int) offset, (int) length);
                return dst -> {
                    if (!src.hasRemaining()) return BodySource.END;
                    int n = Math.min(dst.remaining(), src.remaining());
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + n);
                    dst.put(part);
                    src.position(src.position() + n);
                    return n;
                };
            }
        });
    };

    @AfterEach
    void reset() {
        ServerScript.Resp.headNoBody = false;
    }

    private static ServerScript.Resp get(String target, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: a\r\n");
        for (String h : headers) sb.append(h).append("\r\n");
        return new ServerScript(StandardRoutes.router(MEMORY, 100))
                .send(sb.append("\r\n").toString())
                .response();
    }

    @Test
    void servesWithTypeLengthAndLastModified() {
        ServerScript.Resp r = get("/docs/a%20b.txt");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.text()).isEqualTo("0123456789");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("Content-Length")).isEqualTo("10");
        assertThat(r.header("Last-Modified")).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
    }

    @Test
    void rootServesIndexAsHtml() {
        ServerScript.Resp r = get("/");
        assertThat(r.text()).isEqualTo("<h1>hi</h1>");
        assertThat(r.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void unknownExtensionIsOctetStream() {
        assertThat(get("/data.bin").header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void notModifiedSinceGives304() {
        assertThat(get("/data.bin", "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT").status)
                .isEqualTo(304);
        assertThat(get("/data.bin", "If-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT").status)
                .isEqualTo(200);
        assertThat(get("/data.bin", "If-Modified-Since: yesterday").status).isEqualTo(200);
    }

    @Test
    void oneRangeGives206() {
        ServerScript.Resp r = get("/docs/a%20b.txt", "Range: bytes=2-4");
        assertThat(r.status).isEqualTo(206);
        assertThat(r.text()).isEqualTo("234");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 2-4/10");
        assertThat(get("/docs/a%20b.txt", "Range: bytes=-3").text()).isEqualTo("789");
        assertThat(get("/docs/a%20b.txt", "Range: bytes=8-").text()).isEqualTo("89");
        assertThat(get("/docs/a%20b.txt", "Range: bytes=8-100").text()).isEqualTo("89");
    }

    @Test
    void unsatisfiableRangeGives416AndMultipleRangesTheWholeFile() {
        ServerScript.Resp r = get("/docs/a%20b.txt", "Range: bytes=10-");
        assertThat(r.status).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */10");
        assertThat(get("/docs/a%20b.txt", "Range: bytes=0-1,3-4").status).isEqualTo(200);
        assertThat(get("/docs/a%20b.txt", "Range: bytes=5-2").status).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../x", "/docs/../../x", "/%2e%2e/x", "/docs/%2E%2E/%2e%2e/x", "/..%2fx"})
    void climbingAboveTheRootIsForbidden(String target) {
        assertThat(get(target).status).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/docs/%00", "/a%5cb", "/%zz", "/%c3%28"})
    void nulBackslashAndBadEncodingsAre400(String target) {
        assertThat(get(target).status).isEqualTo(400);
    }

    @Test
    void dotSegmentsInsideTheRootAreResolved() {
        assertThat(get("/docs/./x/../a%20b.txt").text()).isEqualTo("0123456789");
    }

    @Test
    void sourceRefusalIs403AndMissingIs404() {
        assertThat(get("/secret").status).isEqualTo(403);
        assertThat(get("/missing").status).isEqualTo(404);
    }

    @Test
    void headGivesLengthWithoutBody() {
        ServerScript.Resp.headNoBody = true;
        ServerScript s = new ServerScript(StandardRoutes.router(MEMORY, 100))
                .send("HEAD /docs/a%20b.txt HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(s.response().header("Content-Length")).isEqualTo("10");
        assertThat(s.wireText()).endsWith("\r\n\r\n");
    }

    @Test
    void normaliseRemovesDotSegments() {
        assertThat(Paths.normalise("/a/./b/../c//d")).isEqualTo(new Paths.Normalised.Inside(List.of("a", "c", "d")));
    }
}
