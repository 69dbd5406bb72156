package io.sansnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripted exchanges: bytes in, the exact events out; events in, the exact bytes out. */
class HttpConnectionTest {
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Events until NeedData/Paused (included), with Data copied. */
    private static List<HttpEvent> drain(HttpConnection c) throws RemoteProtocolError {
        List<HttpEvent> out = new ArrayList<>();
        while (true) {
            HttpEvent ev = c.nextEvent();
            out.add(ev instanceof HttpEvent.Data d ? new HttpEvent.Data(d.toByteArray()) : ev);
            if (ev instanceof HttpEvent.NeedData || ev instanceof HttpEvent.Paused) return out;
        }
    }

    private static HttpEvent.Data data(String s) {
        return new HttpEvent.Data(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static final HttpEvent NEED = HttpEvent.NeedData.INSTANCE;
    private static final HttpEvent PAUSED = HttpEvent.Paused.INSTANCE;
    private static final HttpEvent EOM = new HttpEvent.EndOfMessage();

    @Test
    void pipelinedRequestsWaitForTheResponseAndAreReadInOrder() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(
                bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"));
        assertThat(drain(server))
                .containsExactly(new HttpEvent.Request("GET", "/1", Headers.of("Host", "a")), EOM, PAUSED);
        assertThat(server.nextEvent())
                .as("still paused until the cycle restarts")
                .isEqualTo(PAUSED);
        assertThat(text(server.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")))))
                .isEqualTo("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
        server.send(EOM);
        server.startNextCycle();
        assertThat(drain(server))
                .containsExactly(
                        new HttpEvent.Request("POST", "/2", Headers.of("Host", "a", "Content-Length", "2")),
                        data("hi"),
                        EOM,
                        NEED);
    }

    @Test
    void http10RequestWithoutKeepAliveIsTheLast() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("GET / HTTP/1.0\r\n\r\n"));
        assertThat(drain(server))
                .containsExactly(new HttpEvent.Request("GET", "/", HttpVersion.HTTP_1_0, Headers.EMPTY), EOM, NEED);
        assertThat(server.theirState()).isEqualTo(HttpState.MUST_CLOSE);
        assertThat(server.keepAlive()).isFalse();
        // No length given and the client is HTTP/1.0: the body is delimited by closing.
        assertThat(text(server.send(new HttpEvent.Response(200, Headers.of("X", "1")))))
                .isEqualTo("HTTP/1.1 200 \r\nX: 1\r\nConnection: close\r\n\r\n");
        assertThat(text(server.send(data("body")))).isEqualTo("body");
        server.send(EOM);
        assertThat(server.ourState()).isEqualTo(HttpState.MUST_CLOSE);
    }

    @Test
    void http10KeepAliveIsKeptOnlyWhenAsked() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        drain(server);
        assertThat(server.keepAlive()).isTrue();
        assertThat(text(server.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")))))
                .isEqualTo("HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
        server.send(EOM);
        server.startNextCycle();
        assertThat(server.ourState()).isEqualTo(HttpState.IDLE);
    }

    @Test
    void connectionCloseMakesBothSidesMustClose() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        drain(server);
        byte[] head = server.send(new HttpEvent.Response(204, Headers.EMPTY));
        assertThat(text(head)).contains("Connection: close\r\n");
        server.send(EOM);
        assertThat(server.ourState()).isEqualTo(HttpState.MUST_CLOSE);
        assertThatThrownBy(server::startNextCycle).isInstanceOf(LocalProtocolError.class);
        server.receiveData(ByteBuffer.allocate(0));
        assertThat(server.nextEvent()).isEqualTo(new HttpEvent.ConnectionClosed());
    }

    @Test
    void responseWithoutLengthToHttp11IsChunked() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        drain(server);
        assertThat(text(server.send(new HttpEvent.Response(200, Headers.EMPTY))))
                .isEqualTo("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(text(server.send(data("hello world, this is 26b!"))))
                .isEqualTo("19\r\nhello world, this is 26b!\r\n");
        assertThat(text(server.send(new HttpEvent.EndOfMessage(Headers.of("X-T", "1")))))
                .isEqualTo("0\r\nX-T: 1\r\n\r\n");
        assertThat(server.ourState()).isEqualTo(HttpState.DONE);
    }

    @Test
    void expect100ContinueIsTrackedUntilAResponse() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
        assertThat(drain(server)).hasSize(2).last().isEqualTo(NEED);
        assertThat(server.theyAreWaitingFor100Continue()).isTrue();
        assertThat(text(server.send(
                        new HttpEvent.InformationalResponse(100, "Continue", HttpVersion.HTTP_1_1, Headers.EMPTY))))
                .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(server.theyAreWaitingFor100Continue()).isFalse();
        server.receiveData(bytes("abc"));
        assertThat(drain(server)).containsExactly(data("abc"), EOM, NEED);
    }

    @Test
    void clientReadsNoBodyForHeadAnd204And304() throws Exception {
        for (String status : List.of(
                "200 OK\r\nContent-Length: 10", "204 No Content", "304 Not Modified\r\nTransfer-Encoding: chunked")) {
            HttpConnection client = new HttpConnection(Role.CLIENT);
            client.send(new HttpEvent.Request(status.startsWith("200") ? "HEAD" : "GET", "/", Headers.of("Host", "a")));
            client.send(EOM);
            client.receiveData(bytes("HTTP/1.1 " + status + "\r\n\r\n"));
            List<HttpEvent> ev = drain(client);
            assertThat(ev).hasSize(3);
            assertThat(ev.get(0)).isInstanceOf(HttpEvent.Response.class);
            assertThat(ev.subList(1, 3)).containsExactly(EOM, NEED);
            client.startNextCycle();
        }
    }

    @Test
    void clientReadsBodyUntilCloseAndInterimResponses() throws Exception {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        client.send(new HttpEvent.Request("GET", "/", Headers.of("Host", "a")));
        client.send(EOM);
        client.receiveData(bytes("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\n\r\nab"));
        assertThat(drain(client))
                .containsExactly(
                        new HttpEvent.InformationalResponse(
                                103, "Early Hints", HttpVersion.HTTP_1_1, Headers.of("Link", "</s.css>")),
                        new HttpEvent.Response(200, "OK", HttpVersion.HTTP_1_1, Headers.EMPTY),
                        data("ab"),
                        NEED);
        assertThat(client.keepAlive()).isFalse();
        client.receiveData(ByteBuffer.allocate(0));
        assertThat(client.nextEvent()).isEqualTo(EOM);
        assertThat(client.nextEvent()).isEqualTo(new HttpEvent.ConnectionClosed());
    }

    @Test
    void eofInTheMiddleOfABodyIsARemoteError() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab"));
        drain(server);
        server.receiveData(ByteBuffer.allocate(0));
        assertThatThrownBy(server::nextEvent).isInstanceOf(RemoteProtocolError.class);
        assertThat(server.theirState()).isEqualTo(HttpState.ERROR);
    }

    @Test
    void upgradeIsHandedToTheApplication() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(
                bytes("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u0081\u0000"));
        List<HttpEvent> ev = drain(server);
        assertThat(ev.subList(1, 3)).containsExactly(EOM, PAUSED);
        assertThat(server.theirState()).isEqualTo(HttpState.MIGHT_SWITCH_PROTOCOL);
        server.send(new HttpEvent.InformationalResponse(
                101,
                "Switching Protocols",
                HttpVersion.HTTP_1_1,
                Headers.of("Connection", "Upgrade", "Upgrade", "websocket")));
        assertThat(server.ourState()).isEqualTo(HttpState.SWITCHED_PROTOCOL);
        assertThat(server.theirState()).isEqualTo(HttpState.SWITCHED_PROTOCOL);
        ByteBuffer rest = server.trailingData();
        assertThat(rest.remaining()).isEqualTo(2);
        assertThat(rest.get(0) & 0xFF).isEqualTo(0x81);
    }

    @Test
    void declinedUpgradeContinuesAsHttp() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n"));
        drain(server);
        server.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
        server.send(EOM);
        assertThat(server.theirState()).isEqualTo(HttpState.DONE);
        server.startNextCycle();
    }

    @Test
    void connectSwitchesOn2xx() throws Exception {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        client.send(new HttpEvent.Request("CONNECT", "example.com:443", Headers.of("Host", "example.com:443")));
        client.send(EOM);
        assertThat(client.ourState()).isEqualTo(HttpState.MIGHT_SWITCH_PROTOCOL);
        client.receiveData(bytes("HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003"));
        // A 2xx to CONNECT has no body and no EndOfMessage: the tunnel starts right after the head (as in h11).
        assertThat(drain(client)).hasSize(2).last().isEqualTo(PAUSED);
        assertThat(client.ourState()).isEqualTo(HttpState.SWITCHED_PROTOCOL);
        assertThat(client.trailingData().remaining()).isEqualTo(2);
    }

    @Test
    void dataIsAViewOfTheInputNotACopy() throws Exception {
        byte[] input =
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nwxyz".getBytes(StandardCharsets.ISO_8859_1);
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(ByteBuffer.wrap(input));
        server.nextEvent();
        HttpEvent.Data d = (HttpEvent.Data) server.nextEvent();
        assertThat(d.data().hasArray()).isTrue();
        assertThat(d.data().array()).isSameAs(input);
        assertThat(text(d.toByteArray())).isEqualTo("wxyz");
    }

    @Test
    void callerMayReuseItsBufferOncePaused() throws Exception {
        byte[] buf = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(ByteBuffer.wrap(buf));
        assertThat(drain(server)).last().isEqualTo(PAUSED);
        Arrays.fill(buf, (byte) 'X');
        server.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
        server.send(EOM);
        server.startNextCycle();
        assertThat(server.nextEvent()).isEqualTo(new HttpEvent.Request("GET", "/2", Headers.of("Host", "a")));
    }

    @Test
    void identicalContentLengthsAreOneLength() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(drain(server)).hasSize(4).contains(data("ok"), EOM);
    }

    @Test
    void fieldValuesKeepObsTextAndLoseSurroundingWhitespace() throws Exception {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes("GET / HTTP/1.1\r\nHost:\t a \t\r\nX-Name: caf\u00e9 au lait  \r\n\r\n"));
        HttpEvent.Request r = (HttpEvent.Request) server.nextEvent();
        assertThat(r.headers().first("host")).contains("a");
        assertThat(r.headers().first("X-NAME")).contains("caf\u00e9 au lait");
    }

    @Test
    void applicationMisuseIsALocalError() throws Exception {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        assertThatThrownBy(() -> client.send(new HttpEvent.Response(200, Headers.EMPTY)))
                .isInstanceOf(LocalProtocolError.class);
        assertThat(client.ourState()).isEqualTo(HttpState.ERROR);
        assertThatThrownBy(() -> client.send(EOM)).isInstanceOf(LocalProtocolError.class);

        HttpConnection c2 = new HttpConnection(Role.CLIENT);
        assertThatThrownBy(() -> c2.send(new HttpEvent.Request("GET", "/", Headers.EMPTY)))
                .isInstanceOf(LocalProtocolError.class)
                .hasMessageContaining("Host");

        HttpConnection c3 = new HttpConnection(Role.CLIENT);
        c3.send(new HttpEvent.Request("POST", "/", Headers.of("Host", "a", "Content-Length", "2")));
        assertThatThrownBy(() -> c3.send(data("abc"))).isInstanceOf(LocalProtocolError.class);

        HttpConnection c4 = new HttpConnection(Role.CLIENT);
        c4.send(new HttpEvent.Request("POST", "/", Headers.of("Host", "a", "Content-Length", "2")));
        c4.send(data("a"));
        assertThatThrownBy(() -> c4.send(EOM))
                .isInstanceOf(LocalProtocolError.class)
                .hasMessageContaining("too little");

        HttpConnection server = new HttpConnection(Role.SERVER);
        assertThatThrownBy(() -> server.send(data("x")))
                .isInstanceOf(LocalProtocolError.class)
                .hasMessageContaining("can't handle event type DATA when role=SERVER and state=IDLE");
    }

    @Test
    void receivingAfterEofIsAProgrammingError() {
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(ByteBuffer.allocate(0));
        assertThatThrownBy(() -> server.receiveData(bytes("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void limitsAreConfigurable() {
        HttpLimits tiny =
                HttpLimits.builder().maxRequestLineBytes(16).maxHeaderCount(1).build();
        HttpConnection server = new HttpConnection(Role.SERVER, tiny);
        server.receiveData(bytes("GET /0123456789abcdef HTTP/1.1\r\n"));
        assertThatThrownBy(server::nextEvent)
                .isInstanceOfSatisfying(
                        RemoteProtocolError.class,
                        e -> assertThat(e.statusHint()).isEqualTo(414));
        HttpConnection s2 = new HttpConnection(Role.SERVER, tiny);
        s2.receiveData(bytes("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n"));
        assertThatThrownBy(s2::nextEvent)
                .isInstanceOfSatisfying(
                        RemoteProtocolError.class,
                        e -> assertThat(e.statusHint()).isEqualTo(431));
    }

    @Test
    void clientPipelinesRequestsAndMatchesResponsesInOrder() throws Exception {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        StringBuilder wire = new StringBuilder();
        wire.append(text(client.send(new HttpEvent.Request("GET", "/1", Headers.of("Host", "a")))));
        wire.append(text(client.send(EOM)));
        wire.append(text(client.send(new HttpEvent.Request("HEAD", "/2", Headers.of("Host", "a")))));
        wire.append(text(client.send(EOM)));
        wire.append(text(client.send(
                new HttpEvent.Request("POST", "/3", Headers.of("Host", "a", "Transfer-Encoding", "chunked")))));
        wire.append(text(client.send(data("xyz"))));
        wire.append(text(client.send(EOM)));
        assertThat(client.pipelinedRequests()).isEqualTo(2);
        assertThat(wire.toString())
                .isEqualTo("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n");

        // The server sees three requests in order.
        HttpConnection server = new HttpConnection(Role.SERVER);
        server.receiveData(bytes(wire.toString()));
        StringBuilder answers = new StringBuilder();
        for (String body : List.of("one", "", "three")) {
            List<HttpEvent> got = drain(server);
            assertThat(got.get(0)).isInstanceOf(HttpEvent.Request.class);
            answers.append(text(server.send(new HttpEvent.Response(
                    200, Headers.of("Content-Length", body.isEmpty() ? "5" : Integer.toString(body.length()))))));
            if (!body.isEmpty()) answers.append(text(server.send(data(body))));
            answers.append(text(server.send(EOM)));
            server.startNextCycle();
        }

        // The client reads the responses, framing each by its own request (the HEAD answer has no body).
        client.receiveData(bytes(answers.toString()));
        assertThat(drain(client))
                .containsExactly(
                        new HttpEvent.Response(200, "", HttpVersion.HTTP_1_1, Headers.of("Content-Length", "3")),
                        data("one"),
                        EOM,
                        PAUSED);
        client.startNextCycle();
        assertThat(client.pipelinedRequests()).isEqualTo(1);
        assertThat(drain(client))
                .containsExactly(
                        new HttpEvent.Response(200, "", HttpVersion.HTTP_1_1, Headers.of("Content-Length", "5")),
                        EOM,
                        PAUSED);
        client.startNextCycle();
        assertThat(drain(client))
                .containsExactly(
                        new HttpEvent.Response(200, "", HttpVersion.HTTP_1_1, Headers.of("Content-Length", "5")),
                        data("three"),
                        EOM,
                        NEED);
        assertThat(client.pipelinedRequests()).isZero();
        assertThat(client.ourState()).isEqualTo(HttpState.DONE);
        assertThat(client.theirState()).isEqualTo(HttpState.DONE);
    }

    @Test
    void pipeliningStopsAtCloseAndRefusesUpgrade() throws Exception {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        client.send(new HttpEvent.Request("GET", "/", Headers.of("Host", "a")));
        client.send(EOM);
        assertThatThrownBy(() -> client.send(new HttpEvent.Request(
                        "GET", "/", Headers.of("Host", "a", "Connection", "upgrade", "Upgrade", "h2c"))))
                .isInstanceOf(LocalProtocolError.class);
        HttpConnection c2 = new HttpConnection(Role.CLIENT);
        c2.send(new HttpEvent.Request("GET", "/", Headers.of("Host", "a")));
        c2.send(EOM);
        c2.send(new HttpEvent.Request("GET", "/last", Headers.of("Host", "a", "Connection", "close")));
        c2.send(EOM);
        assertThatThrownBy(() -> c2.send(new HttpEvent.Request("GET", "/", Headers.of("Host", "a"))))
                .isInstanceOf(LocalProtocolError.class);
    }
}
