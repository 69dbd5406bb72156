package io.sansnet.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Properties of the codec: fragmentation does not change what is parsed (acceptance item 6), any bytes give events or
 * a typed error within a memory bound, and what we send parses back to what was sent.
 */
class HttpCodecProperties {

    // ---------------------------------------------------------------- generators

    /** A valid request as bytes, with the events it must produce (normalised, see {@link #normalise}). */
    record Generated(byte[] bytes, List<String> expected) {}

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "X-Custom");

    static Generated requests(Gen g) {
        StringBuilder wire = new StringBuilder();
        List<String> expected = new ArrayList<>();
        int n = g.intBetween(1, 4);
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            if (g.chance(0.2)) wire.append("\r\n".repeat(g.intBetween(1, 2)));
            String method = g.pick(METHODS);
            String target = g.pick("/", "/a/b", "/search?q=" + g.intBetween(0, 999), "*", "http://h.example/x");
            boolean http10 = g.chance(0.2);
            HttpVersion v = http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
            List<String[]> fields = new ArrayList<>();
            fields.add(new String[] {g.pick("Host", "host", "HOST"), "h" + i + ".example"});
            if (http10) fields.add(new String[] {"Connection", "keep-alive"});
            else if (last && g.bool()) fields.add(new String[] {"Connection", "close"});
            int extra = g.intBetween(0, 4);
            for (int k = 0; k < extra; k++)
                fields.add(new String[] {"X-F" + k, g.pick("", "v", "a b  c", "\u00e9t\u00e9", "x=1;y=\"q\"")});
            byte[] body = g.chance(0.3) ? new byte[0] : g.bytes(0, 300);
            int kind = http10 ? g.intBetween(0, 1) : g.intBetween(0, 2); // 0 none, 1 CL, 2 chunked
            if (kind == 0) body = new byte[0];
            if (kind == 1) fields.add(new String[] {"Content-Length", Integer.toString(body.length)});
            if (kind == 2) fields.add(new String[] {"Transfer-Encoding", g.pick("chunked", "Chunked", "CHUNKED")});
            wire.append(method)
                    .append(' ')
                    .append(target)
                    .append(' ')
                    .append(v.text())
                    .append("\r\n");
            StringBuilder exp = new StringBuilder("REQ " + method + " " + target + " " + v.number());
            for (String[] f : fields) {
                wire.append(f[0])
                        .append(':')
                        .append(g.pick("", " ", "\t", "  "))
                        .append(f[1]);
                wire.append(g.pick("", " ", "\t ")).append("\r\n");
                exp.append(" | ").append(f[0]).append(": ").append(f[1]);
            }
            wire.append("\r\n");
            expected.add(exp.toString());
            List<Integer> chunks = new ArrayList<>();
            List<String[]> trailers = new ArrayList<>();
            if (kind == 1) wire.append(latin1(body));
            if (kind == 2) {
                int off = 0;
                while (off < body.length) {
                    int size = Math.min(body.length - off, g.intBetween(1, 120));
                    String hex = Integer.toHexString(size);
                    if (g.bool()) hex = hex.toUpperCase();
                    if (g.chance(0.2)) hex = "00" + hex;
                    wire.append(hex);
                    if (g.chance(0.2)) wire.append(g.pick(";a", ";a=b", " ; q=\"x y\"", ";n=1;m"));
                    wire.append("\r\n").append(latin1(body, off, size)).append("\r\n");
                    chunks.add(size);
                    off += size;
                }
                wire.append(g.pick("0", "000")).append("\r\n");
                if (g.chance(0.3)) {
                    trailers.add(new String[] {"X-Checksum", Integer.toString(body.length)});
                    wire.append("X-Checksum: ").append(body.length).append("\r\n");
                }
                wire.append("\r\n");
            }
            if (body.length > 0) expected.add("BODY " + HexFormat.of().formatHex(body));
            if (!chunks.isEmpty()) expected.add("CHUNKS " + chunks);
            StringBuilder eom = new StringBuilder("EOM");
            for (String[] t : trailers)
                eom.append(" | ").append(t[0]).append(": ").append(t[1]);
            expected.add(eom.toString());
            if (fields.stream().anyMatch(f -> f[0].equals("Connection") && f[1].equals("close"))) break;
        }
        return new Generated(wire.toString().getBytes(StandardCharsets.ISO_8859_1), expected);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** Cuts {@code b} into 1..n fragments at random points (often single bytes). */
    static List<ByteBuffer> fragments(Gen g, byte[] b) {
        List<ByteBuffer> out = new ArrayList<>();
        int off = 0;
        boolean tiny = g.chance(0.3);
        while (off < b.length) {
            int len = tiny ? 1 : Math.min(b.length - off, g.intBetween(1, Math.max(1, b.length / 3)));
            // A fresh copy per fragment, as a socket read would give: views must not depend on neighbours.
            out.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(b, off, off + len)));
            off += len;
        }
        return out;
    }

    // ---------------------------------------------------------------- driver

    /**
     * Feeds the fragments to a server connection, answering each request with an empty 200 when the next one waits,
     * and returns the normalised events: one "REQ" line per head (fields in order), "BODY hex" (data of a message
     * concatenated), "CHUNKS [sizes]", "EOM | trailers", and a final "ERROR status" if refused.
     */
    static List<String> normalise(List<ByteBuffer> fragments, boolean eof) {
        HttpConnection server = new HttpConnection(Role.SERVER);
        List<String> out = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        List<Long> chunks = new ArrayList<>();
        long chunk = -1;
        int next = 0;
        try {
            while (true) {
                HttpEvent ev = server.nextEvent();
                if (ev instanceof HttpEvent.NeedData) {
                    if (next < fragments.size()) server.receiveData(fragments.get(next++));
                    else if (eof && !server.receivedEof()) server.receiveData(ByteBuffer.allocate(0));
                    else break;
                } else if (ev instanceof HttpEvent.Request r) {
                    StringBuilder sb = new StringBuilder("REQ " + r.method() + " " + r.target() + " "
                            + r.version().number());
                    for (Headers.Field f : r.headers().fields())
                        sb.append(" | ").append(f.name()).append(": ").append(f.value());
                    out.add(sb.toString());
                } else if (ev instanceof HttpEvent.Data d) {
                    body.append(HexFormat.of().formatHex(d.toByteArray()));
                    if (d.chunkStart()) chunk = 0;
                    if (chunk >= 0) chunk += d.length();
                    if (d.chunkEnd()) {
                        chunks.add(chunk);
                        chunk = -1;
                    }
                } else if (ev instanceof HttpEvent.EndOfMessage e) {
                    if (body.length() > 0) out.add("BODY " + body);
                    if (!chunks.isEmpty()) out.add("CHUNKS " + chunks);
                    StringBuilder sb = new StringBuilder("EOM");
                    for (Headers.Field f : e.trailers().fields())
                        sb.append(" | ").append(f.name()).append(": ").append(f.value());
                    out.add(sb.toString());
                    body.setLength(0);
                    chunks.clear();
                } else if (ev instanceof HttpEvent.Paused) {
                    server.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
                    server.send(new HttpEvent.EndOfMessage());
                    server.startNextCycle();
                } else if (ev instanceof HttpEvent.ConnectionClosed) {
                    out.add("CLOSED");
                    break;
                }
                // A request waits for our answer before the next can be read; answer once it is complete.
                if (server.theirState() == HttpState.DONE
                        && server.ourState() == HttpState.SEND_RESPONSE
                        && server.bufferedBytes() == 0
                        && next < fragments.size()) {
                    server.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
                    server.send(new HttpEvent.EndOfMessage());
                    server.startNextCycle();
                }
            }
        } catch (RemoteProtocolError e) {
            out.add("ERROR " + e.statusHint());
        } catch (LocalProtocolError e) {
            throw new AssertionError("driver misused the API", e);
        }
        return out;
    }

    // ---------------------------------------------------------------- properties

    /** Acceptance item 6: any valid request sequence, split anywhere, parses to the same events as sent whole. */
    @Property(tries = 500)
    void anyFragmentationParsesLikeTheWhole(Gen g) {
        Generated r = requests(g);
        g.note("request", latin1(r.bytes()));
        List<String> whole = normalise(List.of(ByteBuffer.wrap(r.bytes().clone())), false);
        assertThat(whole).isEqualTo(r.expected());
        List<String> split = normalise(fragments(g, r.bytes()), false);
        assertThat(split).isEqualTo(whole);
    }

    /** Arbitrary (and mutated valid) bytes give events or a RemoteProtocolError, never more held memory than the limits. */
    @Property(tries = 800)
    void anyBytesGiveEventsOrTypedErrorWithinMemoryBound(Gen g) {
        byte[] input;
        if (g.bool()) {
            input = g.bytes(0, 3000);
        } else {
            input = requests(g).bytes();
            int flips = g.intBetween(1, 5);
            for (int i = 0; i < flips && input.length > 0; i++)
                input[g.intBetween(0, input.length - 1)] =
                        g.pick((byte) '\r', (byte) '\n', (byte) ' ', (byte) 0, (byte) ':', (byte) g.intBetween(0, 255));
        }
        HttpLimits small = HttpLimits.builder()
                .maxRequestLineBytes(64)
                .maxHeaderSectionBytes(256)
                .maxHeaderCount(8)
                .maxChunkExtensionBytes(32)
                .maxTrailerSectionBytes(128)
                .build();
        long bound = 2L * (small.maxRequestLineBytes() + 2)
                + 3L * (small.maxHeaderSectionBytes() + 2)
                + 2L * small.maxChunkLineBytes()
                + 3L * (small.maxTrailerSectionBytes() + 2);
        for (Role role : Role.values()) {
            HttpConnection c = new HttpConnection(role, small);
            try {
                if (role == Role.CLIENT) {
                    c.send(new HttpEvent.Request(g.pick("GET", "HEAD", "POST"), "/", Headers.of("Host", "h")));
                    c.send(new HttpEvent.EndOfMessage());
                }
            } catch (LocalProtocolError e) {
                throw new AssertionError(e);
            }
            try {
                for (ByteBuffer f : fragments(g, input)) {
                    c.receiveData(f);
                    HttpEvent ev;
                    do {
                        ev = c.nextEvent();
                        assertThat(ev).isNotNull();
                    } while (!(ev instanceof HttpEvent.NeedData) && !(ev instanceof HttpEvent.Paused));
                    assertThat(c.heldBytes())
                            .as("held after NeedData/Paused")
                            .isLessThanOrEqualTo(bound + c.bufferedBytes());
                    if (ev instanceof HttpEvent.Paused) break;
                }
                c.receiveData(ByteBuffer.allocate(0));
                for (int i = 0; i < 5; i++) assertThat(c.nextEvent()).isNotNull();
            } catch (RemoteProtocolError e) {
                assertThat(e.statusHint()).isBetween(400, 599);
                assertThat(c.theirState()).isEqualTo(HttpState.ERROR);
            }
        }
    }

    /** What a client sends parses on the server to the same request, body and trailers, and back for responses. */
    @Property(tries = 300)
    void sendThenParseRoundTrips(Gen g) throws HttpProtocolError {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        HttpConnection server = new HttpConnection(Role.SERVER);
        byte[] body = g.bytes(0, 2000);
        boolean chunked = g.bool();
        Headers.Builder hb = Headers.builder().add("Host", "example.com").add("X-A", "1");
        if (chunked) hb.add("Transfer-Encoding", "chunked");
        else hb.add("Content-Length", Integer.toString(body.length));
        HttpEvent.Request req = new HttpEvent.Request(g.pick("POST", "PUT"), "/r?x=" + g.intBetween(0, 9), hb.build());
        Headers trailers = chunked && g.bool() ? Headers.of("X-Sum", Integer.toString(body.length)) : Headers.EMPTY;

        List<byte[]> wire = new ArrayList<>();
        wire.add(client.send(req));
        for (int off = 0; off < body.length; ) {
            int n = Math.min(body.length - off, g.intBetween(0, 700));
            wire.add(client.send(new HttpEvent.Data(ByteBuffer.wrap(body, off, n))));
            off += n;
        }
        wire.add(client.send(new HttpEvent.EndOfMessage(trailers)));
        assertThat(client.ourState()).isEqualTo(HttpState.DONE);

        List<HttpEvent> got = drain(server, wire, g);
        assertThat(got.get(0)).isEqualTo(req);
        assertThat(bodyOf(got)).isEqualTo(body);
        assertThat(got.get(got.size() - 1)).isEqualTo(new HttpEvent.EndOfMessage(trailers));

        // And back: a response whose framing the server chooses (chunked when no length is given).
        byte[] rbody = g.bytes(0, 2000);
        boolean withLength = g.bool();
        Headers rh = withLength ? Headers.of("Content-Length", Integer.toString(rbody.length)) : Headers.of("X-B", "2");
        HttpEvent.Response resp = new HttpEvent.Response(
                g.pick(200, 201, 404, 500), g.pick("", "OK", "Not so fine"), HttpVersion.HTTP_1_1, rh);
        List<byte[]> back = new ArrayList<>();
        back.add(server.send(resp));
        for (int off = 0; off < rbody.length; ) {
            int n = Math.min(rbody.length - off, g.intBetween(1, 700));
            back.add(server.send(new HttpEvent.Data(ByteBuffer.wrap(rbody, off, n))));
            off += n;
        }
        back.add(server.send(new HttpEvent.EndOfMessage()));
        List<HttpEvent> rgot = drain(client, back, g);
        HttpEvent.Response r = (HttpEvent.Response) rgot.get(0);
        assertThat(r.status()).isEqualTo(resp.status());
        assertThat(r.reason()).isEqualTo(resp.reason());
        assertThat(r.headers().without("Transfer-Encoding")).isEqualTo(rh);
        assertThat(r.headers().contains("Transfer-Encoding")).isEqualTo(!withLength);
        assertThat(bodyOf(rgot)).isEqualTo(rbody);
        assertThat(client.ourState()).isEqualTo(HttpState.DONE);
        assertThat(client.theirState()).isEqualTo(HttpState.DONE);
        client.startNextCycle();
        server.startNextCycle();
    }

    private static List<HttpEvent> drain(HttpConnection c, List<byte[]> wire, Gen g) throws RemoteProtocolError {
        int total = 0;
        for (byte[] b : wire) total += b.length;
        byte[] all = new byte[total];
        int off = 0;
        for (byte[] b : wire) {
            System.arraycopy(b, 0, all, off, b.length);
            off += b.length;
        }
        List<HttpEvent> got = new ArrayList<>();
        for (ByteBuffer f : fragments(g, all)) {
            c.receiveData(f);
            for (HttpEvent ev = c.nextEvent(); !(ev instanceof HttpEvent.NeedData); ev = c.nextEvent()) {
                if (ev instanceof HttpEvent.Data d) got.add(new HttpEvent.Data(d.toByteArray()));
                else got.add(ev);
            }
        }
        return got;
    }

    private static byte[] bodyOf(List<HttpEvent> events) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (HttpEvent e : events) if (e instanceof HttpEvent.Data d) out.writeBytes(d.toByteArray());
        return out.toByteArray();
    }

    /**
     * A pipelining client and a server, both fed in random fragments: every request arrives intact and in order, and
     * every response is matched to its request (HEAD answers have no body even with a Content-Length).
     */
    @Property(tries = 300)
    void pipelinedExchangesMatchInOrder(Gen g) throws HttpProtocolError {
        HttpConnection client = new HttpConnection(Role.CLIENT);
        HttpConnection server = new HttpConnection(Role.SERVER);
        int n = g.intBetween(1, 5);
        List<HttpEvent.Request> sent = new ArrayList<>();
        List<byte[]> sentBodies = new ArrayList<>();
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            String method = g.pick("GET", "HEAD", "POST");
            byte[] body = method.equals("POST") ? g.bytes(0, 400) : new byte[0];
            Headers h = Headers.of("Host", "h", "X-I", Integer.toString(i));
            if (method.equals("POST"))
                h = g.bool()
                        ? h.with("Transfer-Encoding", "chunked")
                        : h.with("Content-Length", Integer.toString(body.length));
            HttpEvent.Request req = new HttpEvent.Request(method, "/" + i, h);
            wire.writeBytes(client.send(req));
            if (body.length > 0) wire.writeBytes(client.send(new HttpEvent.Data(body)));
            wire.writeBytes(client.send(new HttpEvent.EndOfMessage()));
            sent.add(req);
            sentBodies.add(body);
        }
        assertThat(client.pipelinedRequests()).isEqualTo(n - 1);

        // Server: read each request, answer it, move on.
        java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
        List<byte[]> answers = new ArrayList<>();
        List<ByteBuffer> frags = fragments(g, wire.toByteArray());
        int next = 0, answered = 0;
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        HttpEvent.Request current = null;
        while (answered < n) {
            HttpEvent ev = server.nextEvent();
            if (ev instanceof HttpEvent.NeedData) {
                assertThat(next).as("server starved").isLessThan(frags.size());
                server.receiveData(frags.get(next++));
            } else if (ev instanceof HttpEvent.Request r) {
                current = r;
                body.reset();
            } else if (ev instanceof HttpEvent.Data d) {
                body.writeBytes(d.toByteArray());
            } else if (ev instanceof HttpEvent.EndOfMessage) {
                assertThat(current).isEqualTo(sent.get(answered));
                assertThat(body.toByteArray()).isEqualTo(sentBodies.get(answered));
                byte[] answer = g.bytes(0, 300);
                answers.add(answer);
                Headers rh = g.bool() ? Headers.of("Content-Length", Integer.toString(answer.length)) : Headers.EMPTY;
                back.writeBytes(server.send(new HttpEvent.Response(200, rh)));
                if (!current.method().equals("HEAD") && answer.length > 0)
                    back.writeBytes(server.send(new HttpEvent.Data(answer)));
                back.writeBytes(server.send(new HttpEvent.EndOfMessage()));
                server.startNextCycle();
                answered++;
            }
        }

        // Client: responses in order, each framed by its own request.
        frags = fragments(g, back.toByteArray());
        next = 0;
        int received = 0;
        body.reset();
        while (received < n) {
            HttpEvent ev = client.nextEvent();
            if (ev instanceof HttpEvent.NeedData) {
                assertThat(next).as("client starved").isLessThan(frags.size());
                client.receiveData(frags.get(next++));
            } else if (ev instanceof HttpEvent.Paused) {
                client.startNextCycle();
            } else if (ev instanceof HttpEvent.Data d) {
                body.writeBytes(d.toByteArray());
            } else if (ev instanceof HttpEvent.EndOfMessage) {
                byte[] expected = sent.get(received).method().equals("HEAD") ? new byte[0] : answers.get(received);
                assertThat(body.toByteArray()).as("response %d", received).isEqualTo(expected);
                body.reset();
                received++;
                if (received < n && client.theirState() == HttpState.DONE && client.ourState() == HttpState.DONE)
                    client.startNextCycle();
            }
        }
        assertThat(client.pipelinedRequests()).isZero();
    }
}
