package io.sansnet.http.testkit;

import io.sansnet.http.server.Reply;
import io.sansnet.http.server.Router;
import io.sansnet.http.server.StandardRoutes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Our own malformed and request-smuggling requests, each with the status a server must answer (with the default
 * {@link io.sansnet.http.HttpLimits}) before closing. Every entry is a complete byte string: it is rejected without
 * waiting for EOF. The codec's tests and the server's tests on every transport (the simulator, sansnet's TCP over
 * TUN, kernel sockets) send each one, check the status line that comes back and that the next connection is still
 * served; it lives in main code, in a package of its own, so other modules' tests can use it on the class path and
 * from the module path alike.
 */
public final class MalformedRequests {
    private MalformedRequests() {}

    /** One request, named for what is wrong with it. */
    public record Malformed(String name, byte[] bytes, int status) {
        /** A copy of the request's bytes (the list is shared by every test). */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    private static final String HOST = "Host: example.com\r\n";

    /**
     * The routes the expected statuses assume: the standard ones plus {@code POST /upload}, which reads the whole body
     * before answering, so the suite's body errors (bad chunks, too large) are found before a response starts. (A
     * handler that answers at once, like a 404, has its response out before the body is parsed; a body error after
     * that can only close the connection.)
     */
    public static Router router() {
        return StandardRoutes.register(
                        Router.builder()
                                .post(
                                        "/upload",
                                        req -> Reply.withBody(
                                                Long.MAX_VALUE, (r, b) -> Reply.text(200, "got " + b.length))),
                        null,
                        StandardRoutes.DEFAULT_MAX_GENERATED_BYTES)
                .build();
    }

    /** All cases; at least 60. */
    public static final List<Malformed> ALL = build();

    private static List<Malformed> build() {
        List<Malformed> l = new ArrayList<>();
        String post = "POST /upload HTTP/1.1\r\n" + HOST;
        String chunked = post + "Transfer-Encoding: chunked\r\n\r\n";

        // Framing conflicts: RFC 9112 §6.1, §6.3, §11.2 (request smuggling).
        add(
                l,
                "content-length-and-transfer-encoding",
                post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n",
                400);
        add(
                l,
                "transfer-encoding-and-content-length",
                post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n",
                400);
        add(
                l,
                "content-length-and-empty-transfer-encoding",
                post + "Content-Length: 4\r\nTransfer-Encoding:\r\n\r\n",
                400);
        add(l, "duplicate-content-length-differing", post + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400);
        add(l, "content-length-list-differing", post + "Content-Length: 4, 5\r\n\r\nabcde", 400);
        add(l, "content-length-negative", post + "Content-Length: -1\r\n\r\n", 400);
        add(l, "content-length-plus-sign", post + "Content-Length: +4\r\n\r\nabcd", 400);
        add(l, "content-length-hex", post + "Content-Length: 0x4\r\n\r\nabcd", 400);
        add(l, "content-length-inner-space", post + "Content-Length: 1 2\r\n\r\n", 400);
        add(l, "content-length-empty", post + "Content-Length:\r\n\r\n", 400);
        add(l, "content-length-letters", post + "Content-Length: 4a\r\n\r\nabcd", 400);
        add(l, "content-length-decimal-point", post + "Content-Length: 4.0\r\n\r\nabcd", 400);
        add(l, "content-length-overflow", post + "Content-Length: 99999999999999999999999\r\n\r\n", 400);
        add(l, "content-length-beyond-max-body", post + "Content-Length: 5000000000\r\n\r\n", 413);
        add(l, "transfer-encoding-chunked-not-last", post + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400);
        add(l, "transfer-encoding-chunked-twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400);
        add(
                l,
                "transfer-encoding-two-fields-chunked",
                post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                400);
        add(l, "transfer-encoding-unknown", post + "Transfer-Encoding: xchunked\r\n\r\n", 501);
        add(l, "transfer-encoding-identity", post + "Transfer-Encoding: identity\r\n\r\n", 501);
        add(l, "transfer-encoding-gzip-then-chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501);
        add(l, "transfer-encoding-empty", post + "Transfer-Encoding:\r\n\r\n", 400);
        add(l, "transfer-encoding-in-http-1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        add(l, "transfer-encoding-vertical-tab", post + "Transfer-Encoding: chunked\u000b\r\n\r\n", 400);
        add(l, "transfer-encoding-space-before-colon", post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400);
        add(l, "content-length-space-before-colon", post + "Content-Length : 4\r\n\r\nabcd", 400);
        add(l, "transfer-encoding-obs-fold", post + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400);

        // Chunked body: RFC 9112 §7.1.
        add(l, "chunk-size-not-hex", chunked + "g\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-missing", chunked + "\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-negative", chunked + "-1\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-0x-prefix", chunked + "0x3\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-overflow", chunked + "1ffffffffffffffff\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-beyond-max-body", chunked + "100000001\r\nabc\r\n", 413);
        add(l, "chunk-size-trailing-space", chunked + "3 \r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-leading-space", chunked + " 3\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-bare-lf", chunked + "3\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-size-bare-cr", chunked + "3\rabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-data-longer-than-size", chunked + "3\r\nabcdef\r\n0\r\n\r\n", 400);
        add(l, "chunk-data-without-crlf", chunked + "3\r\nabc0\r\n\r\n", 400);
        add(l, "chunk-data-bare-lf", chunked + "3\r\nabc\n0\r\n\r\n", 400);
        add(l, "chunk-extension-without-name", chunked + "3;\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-extension-space-in-name", chunked + "3;a b\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-extension-unterminated-quote", chunked + "3;a=\"b\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-extension-bare-cr", chunked + "3;a\rb\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "chunk-extension-too-long", chunked + "3;a=" + "x".repeat(17_000) + "\r\nabc\r\n0\r\n\r\n", 400);
        add(l, "trailer-obs-fold", chunked + "0\r\nX-T: a\r\n b\r\n\r\n", 400);
        add(l, "trailer-space-before-colon", chunked + "0\r\nX-T : a\r\n\r\n", 400);
        add(l, "trailer-bare-cr", chunked + "0\r\nX-T: a\rb\r\n\r\n", 400);
        add(l, "trailer-section-too-large", chunked + "0\r\nX-T: " + "t".repeat(17_000) + "\r\n\r\n", 431);

        // Line endings, whitespace and characters: RFC 9112 §2.2, §5; RFC 9110 §5.5.
        add(l, "bare-cr-in-request-line", "GET /\r HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "bare-lf-after-request-line", "GET / HTTP/1.1\n" + HOST + "\r\n", 400);
        add(l, "bare-lf-between-fields", "GET / HTTP/1.1\r\nX-A: 1\n" + HOST + "\r\n", 400);
        add(l, "bare-cr-in-field-value", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r2\r\n\r\n", 400);
        add(l, "bare-lf-ends-head", "GET / HTTP/1.1\r\n" + HOST + "\n", 400);
        add(l, "obs-fold", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n 2\r\n\r\n", 400);
        add(l, "obs-fold-tab", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n\t2\r\n\r\n", 400);
        add(l, "whitespace-before-first-field", "GET / HTTP/1.1\r\n " + HOST + "\r\n", 400);
        add(l, "space-before-colon", "GET / HTTP/1.1\r\nHost : example.com\r\n\r\n", 400);
        add(l, "tab-before-colon", "GET / HTTP/1.1\r\n" + HOST + "X-A\t: 1\r\n\r\n", 400);
        add(l, "space-in-field-name", "GET / HTTP/1.1\r\n" + HOST + "X A: 1\r\n\r\n", 400);
        add(l, "empty-field-name", "GET / HTTP/1.1\r\n" + HOST + ": 1\r\n\r\n", 400);
        add(l, "field-line-without-colon", "GET / HTTP/1.1\r\n" + HOST + "X-A\r\n\r\n", 400);
        add(l, "invalid-char-in-field-name", "GET / HTTP/1.1\r\n" + HOST + "X@A: 1\r\n\r\n", 400);
        add(l, "nul-in-field-name", "GET / HTTP/1.1\r\n" + HOST + "X\0A: 1\r\n\r\n", 400);
        add(l, "nul-in-field-value", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\0002\r\n\r\n", 400);
        add(l, "del-in-field-value", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\u007f2\r\n\r\n", 400);
        add(l, "form-feed-in-field-value", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\f2\r\n\r\n", 400);

        // Host: RFC 9112 §3.2.
        add(l, "missing-host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
        add(l, "double-host", "GET / HTTP/1.1\r\n" + HOST + HOST + "\r\n", 400);
        add(l, "double-host-different", "GET / HTTP/1.1\r\n" + HOST + "Host: evil.example\r\n\r\n", 400);
        add(l, "double-host-http-1.0", "GET / HTTP/1.0\r\n" + HOST + HOST + "\r\n", 400);

        // Request-line: RFC 9112 §3.
        add(l, "invalid-method-token", "GE(T / HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "empty-method", " / HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "lowercase-http-version", "GET / http/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "double-space-in-request-line", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "missing-request-target", "GET HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "space-after-version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", 400);
        add(l, "http-0.9-request", "GET /\r\n\r\n", 400);
        add(l, "two-digit-minor-version", "GET / HTTP/1.10\r\n" + HOST + "\r\n", 400);
        add(l, "http-2-version", "GET / HTTP/2.0\r\n" + HOST + "\r\n", 505);
        add(l, "nul-in-request-target", "GET /a\0b HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "space-in-request-target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "utf8-in-request-target", "GET /\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", 400);
        add(l, "tls-client-hello", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003", 400);
        add(l, "too-many-empty-lines-before-request", "\r\n".repeat(9) + "GET / HTTP/1.1\r\n" + HOST + "\r\n", 400);

        // Limits: RFC 9112 §3 (414), RFC 6585 §5 (431).
        add(l, "request-line-too-long", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + HOST + "\r\n", 414);
        add(
                l,
                "header-section-too-large",
                "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "v".repeat(17_000) + "\r\n\r\n",
                431);
        add(l, "too-many-fields", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n".repeat(100) + "\r\n", 431);
        return Collections.unmodifiableList(l);
    }

    private static void add(List<Malformed> l, String name, String text, int status) {
        // Strings here are ISO-8859-1 byte strings, except that é stands for its UTF-8 encoding.
        byte[] b = text.replace("\u00e9", "\u00c3\u00a9").getBytes(StandardCharsets.ISO_8859_1);
        l.add(new Malformed(name, b, status));
    }
}
