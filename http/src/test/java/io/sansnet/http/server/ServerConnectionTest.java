package io.sansnet.http.server;

import static io.sansnet.http.server.ServerScript.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.http.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server connection driven in virtual time: exchanges, keep-alive, pipelining, timeouts, misbehaving handlers. */
class ServerConnectionTest {

    private static final String GET_PLAIN = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";

    private static Router standard() {
        return StandardRoutes.router(null, 1_000_000);
    }

    @AfterEach
    void reset() {
        ServerScript.Resp.headNoBody = false;
    }

    @Test
    void plaintextCarriesServerDateAndLength() {
        ServerScript s = new ServerScript(standard()).send(GET_PLAIN);
        ServerScript.Resp r = s.response();
        assertThat(r.status).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Hello, World!");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        assertThat(r.header("Content-Length")).isEqualTo("13");
        assertThat(r.header("Server")).isEqualTo("sansnet");
        assertThat(r.header("Date")).isEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
        assertThat(s.log)
                .singleElement()
                .satisfies(e -> assertThat(e.clf())
                        .isEqualTo("198.18.0.2 - - [01/Jan/2026:00:00:00 +0000] \"GET /plaintext HTTP/1.1\" 200 13"));
    }

    @Test
    void jsonIsApplicationJson() {
        ServerScript.Resp r = new ServerScript(standard())
                .send("GET /json HTTP/1.1\r\nHost: a\r\n\r\n")
                .response();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo("{\"message\":\"Hello, World!\"}");
    }

    @Test
    void dateIsRefreshedEachSecond() {
        ServerScript s = new ServerScript(standard()).send(GET_PLAIN);
        assertThat(s.response().header("Date")).isEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
        s.advance(1_500_000_000L).send(GET_PLAIN);
        assertThat(s.response().header("Date")).isEqualTo("Thu, 01 Jan 2026 00:00:01 GMT");
    }

    @Test
    void keepAliveServesSequentialRequestsOnOneConnection() {
        ServerScript s = new ServerScript(standard());
        for (int i = 0; i < 5; i++)
            assertThat(s.send(GET_PLAIN).response().status).isEqualTo(200);
        assertThat(s.conn.isClosed()).isFalse();
        assertThat(s.server.counters().requests()).isEqualTo(5);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        ServerScript s = new ServerScript(standard())
                .send(GET_PLAIN + "GET /json HTTP/1.1\r\nHost: a\r\n\r\n" + "GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\n");
        List<ServerScript.Resp> r = s.responses();
        assertThat(r)
                .extracting(ServerScript.Resp::text)
                .containsExactly("Hello, World!", "{\"message\":\"Hello, World!\"}", "\0\1\2");
    }

    @Test
    void connectionCloseEndsAfterTheResponse() {
        ServerScript s =
                new ServerScript(standard()).send("GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        ServerScript.Resp r = s.response();
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(s.outputShut).isTrue();
        s.eof();
        assertThat(s.conn.isClosed()).isTrue();
    }

    @Test
    void headGetsHeadersWithoutBody() {
        ServerScript.Resp.headNoBody = true;
        ServerScript s = new ServerScript(standard()).send("HEAD /bytes/100 HTTP/1.1\r\nHost: a\r\n\r\n");
        ServerScript.Resp r = s.response();
        assertThat(r.header("Content-Length")).isEqualTo("100");
        assertThat(s.wireText()).endsWith("\r\n\r\n");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        ServerScript s = new ServerScript(standard()).send("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(s.response().status).isEqualTo(404);
        s.send("DELETE /plaintext HTTP/1.1\r\nHost: a\r\n\r\n");
        ServerScript.Resp r = s.response();
        assertThat(r.status).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void echoReplyStartsBeforeTheRequestBodyEnds() {
        ServerScript s = new ServerScript(standard())
                .send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        s.pump();
        assertThat(s.wireText())
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Transfer-Encoding: chunked")
                .endsWith("5\r\nhello\r\n");
        s.send("6\r\n world\r\n0\r\n\r\n");
        assertThat(s.response().text()).isEqualTo("hello world");
    }

    @Test
    void echoKeepsContentLengthWhenTheRequestHadOne() {
        ServerScript.Resp r = new ServerScript(standard())
                .send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                .response();
        assertThat(r.header("Content-Length")).isEqualTo("3");
        assertThat(r.header("Transfer-Encoding")).isNull();
        assertThat(r.text()).isEqualTo("abc");
    }

    @Test
    void expect100ContinueIsAnsweredWhenTheHandlerReadsTheBody() {
        ServerScript s = new ServerScript(standard())
                .send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
                .pump();
        assertThat(s.wireText()).startsWith("HTTP/1.1 100 Continue\r\n\r\n");
        s.send("hi");
        assertThat(s.response().text()).isEqualTo("hi");
    }

    @Test
    void unreadRequestBodyIsDiscardedAndTheConnectionReused() {
        ServerScript s =
                new ServerScript(standard()).send("POST /plaintext HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        assertThat(s.response().status).isEqualTo(405);
        s.send("abcde" + GET_PLAIN);
        assertThat(s.response().status).isEqualTo(200);
    }

    @Test
    void slowEchoReaderStopsReadingUntilOutputDrains() {
        HttpServerConfig cfg =
                HttpServerConfig.builder().maxBufferedBodyBytes(1000).build();
        ServerScript s = new ServerScript(standard(), cfg)
                .send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
        s.send(new byte[2000]);
        assertThat(s.conn.wantsRead())
                .as("backpressure while the body is not sent on")
                .isFalse();
        assertThat(s.conn.retainsInput()).isTrue();
        s.pump();
        assertThat(s.conn.wantsRead()).isTrue();
        for (int i = 0; i < 49; i++) s.send(new byte[2000]).pump();
        assertThat(s.response().body).hasSize(100_000);
    }

    @Test
    void streamedDownloadIsPulledOnlyAsTheTransportTakesIt() {
        HttpServerConfig cfg = HttpServerConfig.builder().sendChunkBytes(1000).build();
        ServerScript s = new ServerScript(standard(), cfg).send("GET /bytes/1000000 HTTP/1.1\r\nHost: a\r\n\r\n");
        s.pumpAtMost(5000);
        assertThat(s.wireText().length()).isLessThan(7000);
        ServerScript.Resp r = s.response();
        assertThat(r.body).hasSize(1_000_000);
        for (int i = 0; i < r.body.length; i++) assertThat(r.body[i] & 0xFF).isEqualTo(i % 251);
    }

    // ------------------------------------------------------------------ timeouts

    @Test
    void headerDeadlineRunsFromTheFirstByteAndIsNotExtended() {
        HttpServerConfig cfg =
                HttpServerConfig.builder().headerTimeoutNanos(2 * SECOND).build();
        ServerScript s = new ServerScript(standard(), cfg);
        String head = GET_PLAIN;
        for (int i = 0; i < 3; i++) s.send(head.substring(i, i + 1)).advance(SECOND / 2); // t = 1.5 s
        assertThat(s.responses()).isEmpty();
        s.send(head.substring(3, 4)).advance(SECOND / 2 - 1); // t = 2 s - 1 ns: still open
        assertThat(s.responses()).isEmpty();
        s.send(head.substring(4, 5)).advance(1);
        assertThat(s.response().status).isEqualTo(408);
        assertThat(s.outputShut).isTrue();
        assertThat(s.server.counters().headerTimeouts()).isEqualTo(1);
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilently() {
        HttpServerConfig cfg =
                HttpServerConfig.builder().idleTimeoutNanos(5 * SECOND).build();
        ServerScript s = new ServerScript(standard(), cfg).send(GET_PLAIN);
        assertThat(s.response().status).isEqualTo(200);
        s.advance(5 * SECOND - 1).pump();
        assertThat(s.outputShut).isFalse();
        s.advance(1).pump();
        assertThat(s.outputShut).isTrue();
        assertThat(s.responses()).isEmpty();
        assertThat(s.server.counters().idleTimeouts()).isEqualTo(1);
        s.advance(HttpServerConfig.DEFAULT.lingerNanos());
        assertThat(s.conn.isClosed()).as("closed after lingering").isTrue();
    }

    @Test
    void clientThatNeverReadsTheLastResponseIsDroppedAfterTheIdleTimeout() {
        HttpServerConfig cfg =
                HttpServerConfig.builder().idleTimeoutNanos(5 * SECOND).build();
        ServerScript s = new ServerScript(standard(), cfg)
                .send("GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        // The transport never takes the bytes (no pump): the connection waits, then gives up.
        s.now += 5 * SECOND - 1;
        s.conn.handleTimeout(s.now);
        assertThat(s.conn.isClosed()).isFalse();
        s.now += 1;
        s.conn.handleTimeout(s.now);
        assertThat(s.conn.isClosed()).isTrue();
        assertThat(s.server.counters().aborted()).isEqualTo(1);
    }

    @Test
    void stalledRequestBodyGets408() {
        HttpServerConfig cfg =
                HttpServerConfig.builder().bodyTimeoutNanos(3 * SECOND).build();
        ServerScript s = new ServerScript(
                Router.builder()
                        .post("/up", req -> Reply.withBody(100, (r, body) -> Reply.text(200, body.length + "")))
                        .build(),
                cfg);
        s.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc").advance(2 * SECOND);
        s.send("de").advance(3 * SECOND - 1);
        assertThat(s.responses()).isEmpty();
        s.advance(1);
        assertThat(s.response().status).isEqualTo(408);
        assertThat(s.server.counters().bodyTimeouts()).isEqualTo(1);
    }

    @Test
    void handlerThatNeverAnswersGets503AtTheHandlerDeadline() {
        HttpServerConfig cfg =
                HttpServerConfig.builder().handlerTimeoutNanos(SECOND).build();
        PendingReply[] p = new PendingReply[1];
        ServerScript s = new ServerScript(
                Router.builder()
                        .get("/slow", req -> Reply.deferred(p[0] = new PendingReply()))
                        .build(),
                cfg);
        s.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n").advance(SECOND);
        assertThat(s.response().status).isEqualTo(503);
        assertThat(s.server.counters().handlerTimeouts()).isEqualTo(1);
        assertThat(p[0].complete(Reply.text(200, "late")))
                .as("nobody waits any more")
                .isFalse();
    }

    @Test
    void deferredReplyCompletedLaterIsSent() {
        PendingReply[] p = new PendingReply[1];
        int[] wakes = {0};
        ServerScript s = new ServerScript(Router.builder()
                .get("/later", req -> Reply.deferred(p[0] = new PendingReply()))
                .build());
        s.conn.setWakeup(() -> wakes[0]++);
        s.send("GET /later HTTP/1.1\r\nHost: a\r\n\r\n").pump();
        assertThat(s.responses()).isEmpty();
        assertThat(p[0].complete(Reply.text(200, "done"))).isTrue();
        assertThat(wakes[0]).isEqualTo(1);
        assertThat(s.response().text()).isEqualTo("done");
        assertThatThrownBy(() -> p[0].complete(Reply.text(200, "again"))).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ misbehaving handlers

    private static ServerScript misbehaving(Handler h) {
        return new ServerScript(Router.builder().get("/bad", h).build(), HttpServerConfig.DEFAULT);
    }

    @Test
    void handlerExceptionBecomes500AndTheConnectionStaysUsable() {
        ServerScript s = misbehaving(req -> {
            throw new IllegalStateException("boom");
        });
        s.send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(s.response().status).isEqualTo(500);
        s.send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(s.response().status).isEqualTo(500);
        assertThat(s.server.counters().handlerErrors()).isEqualTo(2);
    }

    @Test
    void nullReplyBecomes500() {
        ServerScript s = misbehaving(req -> null).send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(s.response().status).isEqualTo(500);
    }

    @Test
    void invalidReplyBuiltInsideTheHandlerBecomes500() {
        ServerScript s = misbehaving(req -> new Reply.Full(200, Headers.of("Transfer-Encoding", "gzip"), new byte[0]))
                .send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(s.response().status).isEqualTo(500);
        s.send(("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThat(s.conn.isClosed()).isFalse();
    }

    @Test
    void streamShorterThanItsContentLengthClosesTheConnection() {
        ServerScript s = misbehaving(
                req -> Reply.stream(200, Headers.of("Content-Length", "10"), new StandardRoutes.PatternSource(4)));
        s.send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n").pump();
        assertThat(s.conn.isClosed()).isTrue();
        assertThat(s.server.counters().handlerErrors()).isEqualTo(1);
        assertThat(s.server.counters().aborted()).isEqualTo(1);
    }

    @Test
    void streamLongerThanItsContentLengthClosesTheConnection() {
        ServerScript s = misbehaving(
                req -> Reply.stream(200, Headers.of("Content-Length", "3"), new StandardRoutes.PatternSource(10)));
        s.send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n").pump();
        assertThat(s.conn.isClosed()).isTrue();
        assertThat(s.wireText()).doesNotContain("\3\4");
    }

    @Test
    void sourceThrowingMidBodyClosesTheConnection() {
        ServerScript s = misbehaving(req -> Reply.stream(200, Headers.EMPTY, new BodySource() {
            int calls;

            @Override
            public int read(ByteBuffer dst) {
                if (calls++ > 0) throw new IllegalStateException("disk gone");
                dst.put((byte) 'x');
                return 1;
            }
        }));
        s.send("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n").pump();
        assertThat(s.conn.isClosed()).isTrue();
    }

    @Test
    void replyObjectsRefuseFramingFieldsAndInterimStatuses() {
        assertThatThrownBy(() -> new Reply.Full(200, Headers.of("Content-Length", "3"), new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.text(101, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply.Full(200, Headers.of("Connection", "close"), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withBodyOverItsLimitGets413() {
        ServerScript s = new ServerScript(Router.builder()
                .post(
                        "/up",
                        req -> Reply.withBody(
                                4, (r, body) -> Reply.text(200, new String(body, StandardCharsets.US_ASCII))))
                .build());
        s.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(s.response().text()).isEqualTo("abc");
        s.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde");
        assertThat(s.response().status).isEqualTo(413);
    }

    @Test
    void malformedRequestIsAnsweredWithItsStatusAndClosed() {
        ServerScript s = new ServerScript(standard())
                .send("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
        ServerScript.Resp r = s.response();
        assertThat(r.status).isEqualTo(400);
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(s.outputShut).isTrue();
        assertThat(s.server.counters().protocolErrors()).isEqualTo(1);
    }
}
