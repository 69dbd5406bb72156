package io.sansnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sansnet.http.LlhttpFixtures.Case;
import io.sansnet.http.LlhttpFixtures.Msg;
import io.sansnet.http.LlhttpFixtures.Outcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Acceptance item 3 (codec part): every request and response case of the llhttp 9.4.2 fixtures runs through {@link
 * HttpConnection}, and its framing (method, target, version, headers in order, body bytes, chunk sizes, trailers,
 * message boundaries) and accept/reject outcome must equal what the case's log describes.
 *
 * <p>How a case is driven: requests go to a SERVER connection, which answers each complete request with an empty 200
 * when the next pipelined one is waiting (Paused) and then starts the next cycle; responses go to a CLIENT connection
 * that first sent {@code GET / HTTP/1.1} (HEAD for {@code skipBody} cases) proposing {@code Upgrade: h2c}, so that a
 * 101 can be accepted. "-finish" cases also receive EOF. llhttp's "Pause on CONNECT/Upgrade" matches our protocol
 * switch (Paused in MIGHT_SWITCH_PROTOCOL/SWITCHED_PROTOCOL). Requests are parsed with {@link
 * HttpViolation#MISSING_HOST} allowed, because most fixtures omit Host (our own suite tests the Host rule).
 * Not compared: llhttp's error codes, span offsets, chunk extensions (we check their syntax but do not surface them),
 * pause callbacks. {@code url.md} is out of scope (URL parsing is not the codec's job).
 *
 * <p>{@link #DEVIATIONS} lists, by case id, every case where we deliberately differ, with the reason; a listed case
 * must still differ (otherwise the entry is stale) and must end the way the entry says.
 */
class LlhttpConformanceTest {

    /** How we end a case we deliberately handle differently from llhttp. */
    record Deviation(boolean weReject, String reason) {}

    private static Deviation rejects(String reason) {
        return new Deviation(true, reason);
    }

    private static Deviation accepts(String reason) {
        return new Deviation(false, reason);
    }

    // Reasons shared by several cases. We have none of llhttp's lenient modes: each is a framing ambiguity.
    private static final String OBS_FOLD =
            "obs-fold (a field line starting with whitespace) is refused: RFC 9112 §5.2 allows rejecting it with 400";
    private static final String BARE_CR =
            "a CR not followed by LF is refused: RFC 9112 §2.2 \"a recipient of such a bare CR MUST consider that"
                    + " element to be invalid\"";
    private static final String BARE_LF = "lines must end in CRLF: a bare LF is refused (RFC 9112 §2.2 permits, does"
            + " not require, accepting it; a parser disagreement on line ends is a smuggling vector)";
    private static final String KEEP_ALIVE = "lenient-keep-alive: bytes after the last message of a connection that"
            + " is closing (Connection: close, or HTTP/1.0 without keep-alive) are refused (RFC 9112 §9.6)";
    private static final String SPACE_BEFORE_COLON = "whitespace between field name and colon: RFC 9112 §5.1 \"A server"
            + " MUST reject ... with a response status code of 400\" (we refuse it in responses too)";
    private static final String CL_AND_TE = "Content-Length together with Transfer-Encoding is refused (RFC 9112 §6.1"
            + " allows it; request-smuggling defence, §11.2)";
    private static final String CONTROL_IN_VALUE =
            "control characters (here \\f) are not allowed in a field value (RFC 9110 §5.5); refused with 400";
    private static final String ONLY_HTTP_1 =
            "only HTTP/1.x is spoken: another major version is refused with 505 (RFC 9110 §15.6.6)";
    private static final String NOT_HTTP =
            "only the protocol name HTTP is accepted (RFC 9112 §2.3); RTSP and ICE are" + " other protocols";
    private static final String ANY_METHOD = "a method is any token (RFC 9110 §9.1): whether it is implemented is the"
            + " application's decision (501), not the framing parser's; llhttp only knows a fixed list";
    private static final String CHUNKED_NOT_LAST =
            "in a request, Transfer-Encoding must end in chunked, else 400" + " (RFC 9112 §6.3 item 4)";
    private static final String OTHER_CODINGS = "transfer codings other than chunked are not implemented: 501 (RFC 9112"
            + " §6.1: a server \"SHOULD respond with 501\")";

    /** Every case where we deliberately differ from llhttp, by id, with how we end it and why. */
    static final Map<String, Deviation> DEVIATIONS = Map.ofEntries(
            Map.entry(
                    "request/connection.md: Resetting flags when keep-alive is off (1.0, lenient)",
                    rejects(KEEP_ALIVE)),
            Map.entry("request/connection.md: CRLF between requests, explicit `close` (lenient)", rejects(KEEP_ALIVE)),
            Map.entry("request/connection.md: Multiple tokens with folding", rejects(OBS_FOLD)),
            Map.entry("request/connection.md: Multiple tokens with folding, LWS, and CRLF", rejects(OBS_FOLD)),
            Map.entry(
                    "request/connection.md: Invalid whitespace token with `Connection` header field (lenient)",
                    rejects(SPACE_BEFORE_COLON)),
            Map.entry(
                    "request/content-length.md: Invalid whitespace token with `Content-Length` header field (lenient)",
                    rejects(SPACE_BEFORE_COLON)),
            Map.entry(
                    "request/content-length.md: No error on simultaneous `Content-Length` and `Transfer-Encoding: identity` (lenient)",
                    rejects(CL_AND_TE)),
            Map.entry(
                    "request/content-length.md: Content-Length reset when no body is received",
                    accepts(
                            "skipBody: llhttp lets on_headers_complete skip a request body; a request body is always framed by its own"
                                    + " headers (RFC 9112 §6.3), so the bytes after the head are body")),
            Map.entry("request/content-length.md: Missing CRLF-CRLF before body (lenient)", rejects(BARE_CR)),
            Map.entry("request/invalid.md: HTTP protocol and ANNOUNCE method", accepts(ANY_METHOD)),
            Map.entry("request/invalid.md: Headers separated by dummy characters (lenient)", rejects(BARE_CR)),
            Map.entry("request/invalid.md: Invalid method", accepts(ANY_METHOD)),
            Map.entry("request/invalid.md: Only LFs present (lenient)", rejects(BARE_LF)),
            Map.entry("request/invalid.md: Spaces before headers (lenient)", rejects(OBS_FOLD)),
            Map.entry(
                    "request/lenient-header-value-relaxed.md: Control char in header value (relaxed)",
                    rejects(CONTROL_IN_VALUE)),
            Map.entry("request/lenient-headers.md: Header value (lenient)", rejects(CONTROL_IN_VALUE)),
            Map.entry("request/lenient-headers.md: Second request header value (lenient)", rejects(CONTROL_IN_VALUE)),
            Map.entry("request/lenient-headers.md: Empty headers separated by CR (lenient)", rejects(BARE_CR)),
            Map.entry("request/lenient-version.md: Invalid HTTP version (lenient)", rejects(ONLY_HTTP_1)),
            Map.entry("request/method.md: SOURCE request with ICE", rejects(NOT_HTTP)),
            Map.entry("request/method.md: OPTIONS request with RTSP", rejects(NOT_HTTP)),
            Map.entry("request/method.md: ANNOUNCE request with RTSP", rejects(NOT_HTTP)),
            Map.entry(
                    "request/method.md: PRI request HTTP2",
                    rejects(
                            "PRI is a valid method token in an HTTP/1.1 request-line, so `PRI * HTTP/1.1` is delivered and the"
                                    + " following `SM` line refused; llhttp refuses at PRI (the real HTTP/2 preface says HTTP/2.0: 505)")),
            Map.entry(
                    "request/sample.md: No HTTP version",
                    rejects(
                            "HTTP/0.9 simple requests are not supported: RFC 9112 §3 request-line requires HTTP-version")),
            Map.entry("request/sample.md: Line folding in header value with CRLF", rejects(OBS_FOLD)),
            Map.entry("request/sample.md: No LF after CR (lenient)", rejects(BARE_CR)),
            Map.entry("request/sample.md: X-SSL-Nonsense", rejects(OBS_FOLD)),
            Map.entry(
                    "request/transfer-encoding.md: POST with `Transfer-Encoding` and `Content-Length` (lenient)",
                    rejects(CL_AND_TE)),
            Map.entry(
                    "request/transfer-encoding.md: POST with `chunked` before other transfer-coding (lenient)",
                    rejects(CHUNKED_NOT_LAST)),
            Map.entry(
                    "request/transfer-encoding.md: POST with `chunked` and duplicate transfer-encoding (lenient)",
                    rejects(CHUNKED_NOT_LAST)),
            Map.entry(
                    "request/transfer-encoding.md: POST with `chunked` as last transfer-encoding",
                    rejects(OTHER_CODINGS)),
            Map.entry(
                    "request/transfer-encoding.md: POST with `chunked` as last transfer-encoding (multiple headers)",
                    rejects(OTHER_CODINGS)),
            Map.entry("request/transfer-encoding.md: Chunk header not terminated by CRLF (lenient)", rejects(BARE_CR)),
            Map.entry(
                    "request/transfer-encoding.md: Chunk data not terminated by CRLF (lenient)",
                    rejects("lenient-optional-crlf-after-chunk: chunk-data must be followed by CRLF (RFC 9112 §7.1)")),
            Map.entry(
                    "request/transfer-encoding.md: Space after chunk header (lenient)",
                    rejects(
                            "lenient-spaces-after-chunk-size: whitespace after chunk-size is only allowed before a `;` (RFC 9112"
                                    + " §7.1.1 chunk-ext = *( BWS \";\" ... ))")),
            Map.entry(
                    "response/connection.md: HTTP/1.1 with keep-alive disabled, content-length (lenient)",
                    rejects(KEEP_ALIVE)),
            Map.entry(
                    "response/connection.md: HTTP/1.1 with keep-alive disabled and 204 status (lenient)",
                    rejects(KEEP_ALIVE)),
            Map.entry("response/invalid.md: Bare CR after response line (lenient)", rejects(BARE_CR)),
            Map.entry("response/invalid.md: Only LFs present and no body (lenient)", rejects(BARE_LF)),
            Map.entry("response/invalid.md: Only LFs present (lenient)", rejects(BARE_LF)),
            Map.entry("response/lenient-version.md: Invalid HTTP version (lenient)", rejects(ONLY_HTTP_1)),
            Map.entry("response/sample.md: RTSP response", rejects(NOT_HTTP)),
            Map.entry("response/sample.md: ICE response", rejects(NOT_HTTP)),
            Map.entry("response/sample.md: No carriage ret (lenient)", rejects(BARE_LF)),
            Map.entry("response/sample.md: HTTP version 0.9", rejects(ONLY_HTTP_1)),
            Map.entry("response/transfer-encoding.md: Invalid OBS fold after chunked value", rejects(OBS_FOLD)));

    @TestFactory
    Stream<DynamicTest> everyFixtureCase() throws IOException {
        List<Case> cases = cases();
        return cases.stream().map(c -> dynamicTest(c.id(), () -> check(c)));
    }

    @Test
    void deviationTableNamesOnlyExistingCases() throws IOException {
        List<String> ids = cases().stream().map(Case::id).toList();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(250);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).containsAll(DEVIATIONS.keySet());
    }

    private static List<Case> cases() throws IOException {
        Optional<Path> dir = LlhttpFixtures.locate();
        if (dir.isEmpty()) {
            String msg = "llhttp fixtures not found (looked in ${sansnet.root}/../shared/conformance/llhttp and above "
                    + System.getProperty("user.dir") + ")";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return LlhttpFixtures.load(dir.get());
    }

    private static void check(Case c) {
        Outcome ours = run(c);
        String diff = diff(c.expected(), ours);
        Deviation d = DEVIATIONS.get(c.id());
        if (d == null) {
            assertThat(diff)
                    .as("%s%n  expected %s%n  ours     %s", c.id(), c.expected(), ours)
                    .isEmpty();
        } else {
            assertThat(diff)
                    .as("listed as a deviation (%s) but now matches llhttp: remove it from DEVIATIONS", d.reason())
                    .isNotEmpty();
            assertThat(ours.rejected())
                    .as("%s: %s; ours %s", c.id(), d.reason(), ours)
                    .isEqualTo(d.weReject());
        }
    }

    /** Drives one case through a connection of the right role and records what it produced. */
    static Outcome run(Case c) {
        List<Msg> msgs = new ArrayList<>();
        boolean rejected = false, switched = false;
        HttpConnection conn;
        try {
            if (c.isRequest()) {
                conn = new HttpConnection(Role.SERVER, HttpLimits.DEFAULT, EnumSet.of(HttpViolation.MISSING_HOST));
            } else {
                conn = new HttpConnection(Role.CLIENT);
                sendRequest(conn, c.skipBody() ? "HEAD" : "GET");
            }
            conn.receiveData(ByteBuffer.wrap(c.input()));
            if (c.finish()) conn.receiveData(ByteBuffer.allocate(0));
            Msg cur = null;
            long chunk = -1;
            for (int guard = 0; guard < 10_000; guard++) {
                HttpEvent ev;
                try {
                    ev = conn.nextEvent();
                } catch (RemoteProtocolError e) {
                    rejected = true;
                    break;
                }
                if (ev instanceof HttpEvent.Request r) {
                    cur = new Msg();
                    cur.method = r.method();
                    cur.target = r.target();
                    cur.version = r.version().number();
                    addAll(cur.headers, r.headers());
                    msgs.add(cur);
                } else if (ev instanceof HttpEvent.InformationalResponse r) {
                    cur = new Msg();
                    cur.status = r.status();
                    cur.reason = r.reason();
                    cur.version = r.version().number();
                    addAll(cur.headers, r.headers());
                    cur.complete = true;
                    msgs.add(cur);
                } else if (ev instanceof HttpEvent.Response r) {
                    cur = new Msg();
                    cur.status = r.status();
                    cur.reason = r.reason();
                    cur.version = r.version().number();
                    addAll(cur.headers, r.headers());
                    msgs.add(cur);
                } else if (ev instanceof HttpEvent.Data d) {
                    cur.body.append(new String(d.toByteArray(), StandardCharsets.ISO_8859_1));
                    if (d.chunkStart()) chunk = 0;
                    if (chunk >= 0) chunk += d.length();
                    if (d.chunkEnd()) {
                        cur.chunks.add(chunk);
                        chunk = -1;
                    }
                } else if (ev instanceof HttpEvent.EndOfMessage e) {
                    addAll(cur.trailers, e.trailers());
                    cur.complete = true;
                } else if (ev instanceof HttpEvent.Paused) {
                    if (conn.theirState() == HttpState.MIGHT_SWITCH_PROTOCOL
                            || conn.theirState() == HttpState.SWITCHED_PROTOCOL) {
                        switched = true;
                        break;
                    }
                    // A pipelined message waits: finish our side of this cycle, then start the next.
                    if (conn.ourRole() == Role.SERVER) {
                        conn.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
                        conn.send(new HttpEvent.EndOfMessage());
                    }
                    conn.startNextCycle();
                    if (conn.ourRole() == Role.CLIENT) sendRequest(conn, c.skipBody() ? "HEAD" : "GET");
                } else {
                    break; // NeedData or ConnectionClosed
                }
            }
        } catch (LocalProtocolError e) {
            throw new AssertionError("the adapter misused the API: " + e.getMessage(), e);
        }
        return new Outcome(msgs, rejected, switched);
    }

    private static void sendRequest(HttpConnection conn, String method) throws LocalProtocolError {
        conn.send(new HttpEvent.Request(
                method, "/", Headers.of("Host", "example.com", "Connection", "upgrade", "Upgrade", "h2c")));
        conn.send(new HttpEvent.EndOfMessage());
    }

    private static void addAll(List<String[]> out, Headers h) {
        for (int i = 0; i < h.size(); i++) out.add(new String[] {h.name(i), h.value(i)});
    }

    /**
     * A rejected message whose head was reported but none of its body counts as rejected at the head: llhttp reports
     * the head and then refuses its framing (e.g. an unknown Transfer-Encoding); we refuse such a head before
     * delivering it.
     */
    static Outcome normalized(Outcome o) {
        List<Msg> msgs = new ArrayList<>(o.messages());
        if (o.rejected() && !msgs.isEmpty()) {
            Msg last = msgs.get(msgs.size() - 1);
            if (!last.complete && last.body.length() == 0 && last.chunks.isEmpty()) msgs.remove(msgs.size() - 1);
        }
        return new Outcome(msgs, o.rejected(), o.switched());
    }

    /** Empty when {@code ours} describes the same framing and outcome as {@code expected}. */
    static String diff(Outcome expectedRaw, Outcome oursRaw) {
        Outcome expected = normalized(expectedRaw), ours = normalized(oursRaw);
        StringBuilder d = new StringBuilder();
        if (expected.rejected() != ours.rejected())
            d.append("rejected: expected ").append(expected.rejected()).append("; ");
        if (expected.switched() != ours.switched())
            d.append("switched: expected ").append(expected.switched()).append("; ");
        if (expected.messages().size() != ours.messages().size()) {
            d.append("messages: expected ")
                    .append(expected.messages().size())
                    .append(" got ")
                    .append(ours.messages().size())
                    .append("; ");
        }
        int n = Math.min(expected.messages().size(), ours.messages().size());
        for (int i = 0; i < n; i++) {
            Msg e = expected.messages().get(i), o = ours.messages().get(i);
            String where = "message " + i + ": ";
            if (e.method != null || o.method != null) {
                if (!eq(e.method, o.method) || !eq(e.target, o.target))
                    d.append(where).append("request-line; ");
            } else {
                if (e.status != o.status || !LlhttpFixtures.sameOctets(nz(o.reason), nz(e.reason)))
                    d.append(where).append("status-line; ");
            }
            if (!eq(e.version, o.version)) d.append(where).append("version; ");
            if (!sameFields(e.headers, o.headers)) d.append(where).append("headers; ");
            if (!LlhttpFixtures.sameOctets(o.body.toString(), e.body.toString()))
                d.append(where).append("body; ");
            if (!e.chunks.equals(o.chunks)) d.append(where).append("chunks; ");
            if (!sameFields(e.trailers, o.trailers)) d.append(where).append("trailers; ");
            if (e.complete != o.complete) d.append(where).append("complete; ");
        }
        return d.toString();
    }

    private static boolean sameFields(List<String[]> e, List<String[]> o) {
        if (e.size() != o.size()) return false;
        for (int i = 0; i < e.size(); i++) {
            if (!e.get(i)[0].equals(o.get(i)[0])) return false;
            if (!LlhttpFixtures.sameOctets(o.get(i)[1], e.get(i)[1])) return false;
        }
        return true;
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
