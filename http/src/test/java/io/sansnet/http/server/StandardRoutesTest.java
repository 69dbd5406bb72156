package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StandardRoutesTest {

    private static ServerScript.Resp get(String target) {
        return new ServerScript(StandardRoutes.router(null, 5000))
                .send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n")
                .response();
    }

    @Test
    void bytesHasContentLengthAndThePattern() {
        ServerScript.Resp r = get("/bytes/600");
        assertThat(r.header("Content-Length")).isEqualTo("600");
        for (int i = 0; i < 600; i++) assertThat(r.body[i] & 0xFF).isEqualTo(i % 251);
    }

    @Test
    void bytesZeroIsEmpty() {
        assertThat(get("/bytes/0").body).isEmpty();
    }

    @Test
    void bytesAboveTheMaximumOrNotANumberIs400() {
        assertThat(get("/bytes/5001").status).isEqualTo(400);
        assertThat(get("/bytes/5000").status).isEqualTo(200);
        assertThat(get("/bytes/-1").status).isEqualTo(400);
        assertThat(get("/bytes/1e3").status).isEqualTo(400);
        assertThat(get("/bytes/99999999999999999999999").status).isEqualTo(400);
    }

    /** Any read sizes give the same byte sequence: byte i is i % 251. */
    @Property(tries = 500)
    void patternSourceIsRightWhateverTheReadSizes(Gen g) {
        long n = g.longBetween(0, 3000);
        StandardRoutes.PatternSource src = new StandardRoutes.PatternSource(n);
        long i = 0;
        while (true) {
            ByteBuffer dst = ByteBuffer.allocate(g.intBetween(1, 700));
            int k = src.read(dst);
            if (k == BodySource.END) break;
            assertThat(k).isPositive();
            for (int j = 0; j < k; j++) assertThat(dst.get(j) & 0xFF).isEqualTo((int) ((i + j) % 251));
            i += k;
        }
        assertThat(i).isEqualTo(n);
    }

    @Test
    void echoWithChunkedRequestIsChunked() {
        ServerScript.Resp r = new ServerScript(StandardRoutes.router(null, 10))
                .send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Type: text/x\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n\r\n")
                .response();
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.header("Content-Type")).isEqualTo("text/x");
        assertThat(r.text()).isEqualTo("abc");
    }
}
