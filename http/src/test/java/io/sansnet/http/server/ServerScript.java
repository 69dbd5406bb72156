package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drives one {@link ServerConnection} in virtual time, the way a transport would: {@code send} is the client writing,
 * {@code recv} drains what the server would write and parses it into responses.
 */
final class ServerScript {
    /** 2026-01-01T00:00:00Z: the injected wall clock starts here. */
    static final long EPOCH_MILLIS = 1_767_225_600_000L;

    static final long SECOND = 1_000_000_000L;

    final HttpServer server;
    final ServerConnection conn;
    final List<AccessLog.Entry> log = new ArrayList<>();
    long now;
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private int parsed;
    boolean outputShut;

    ServerScript(Router router, HttpServerConfig config) {
        this.server = new HttpServer(router, config, () -> EPOCH_MILLIS + now / 1_000_000L, log::add);
        this.conn = server.newConnection(0, "198.18.0.2");
    }

    ServerScript(Router router) {
        this(router, HttpServerConfig.DEFAULT);
    }

    ServerScript send(String ascii) {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    ServerScript send(byte[] bytes) {
        // A fresh buffer each time, overwritten after the call unless the connection retains it (transport contract).
        ByteBuffer b = ByteBuffer.wrap(bytes.clone());
        conn.handleData(now, b);
        if (!conn.retainsInput()) java.util.Arrays.fill(b.array(), (byte) 'X');
        return this;
    }

    ServerScript eof() {
        conn.handleEof(now);
        return this;
    }

    /** Moves virtual time forward, firing the connection's timers on the way. */
    ServerScript advance(long nanos) {
        long end = now + nanos;
        while (true) {
            long t = conn.pollTimeout();
            if (t > end) break;
            now = Math.max(now, t);
            conn.handleTimeout(now);
            pump();
        }
        now = end;
        return this;
    }

    /** Takes everything the server wants to send now (an always-writable transport). */
    ServerScript pump() {
        for (ByteBuffer b; (b = conn.pollTransmit(now)) != null; ) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            wire.writeBytes(a);
        }
        if (conn.wantsOutputShutdown()) {
            outputShut = true;
            conn.outputShutdown(now);
        }
        return this;
    }

    /** Takes at most {@code max} bytes, like a transport whose buffer is nearly full. */
    ServerScript pumpAtMost(int max) {
        int taken = 0;
        ByteBuffer b;
        while (taken < max && (b = conn.pollTransmit(now)) != null) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            wire.writeBytes(a);
            taken += a.length;
        }
        return this;
    }

    /** Everything sent so far, as ISO-8859-1 text. */
    String wireText() {
        return wire.toString(StandardCharsets.ISO_8859_1);
    }

    /** Responses completed since the last call (parsed from the wire). */
    List<Resp> responses() {
        pump();
        byte[] all = wire.toByteArray();
        List<Resp> out = new ArrayList<>();
        while (true) {
            Resp r = Resp.parse(all, parsed);
            if (r == null) break;
            parsed = r.end;
            if (r.status >= 200) out.add(r);
        }
        return out;
    }

    Resp response() {
        List<Resp> r = responses();
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    /** A parsed response (HEAD responses must be parsed with {@code headNoBody}). */
    static final class Resp {
        int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        int end;

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        static boolean headNoBody;

        static Resp parse(byte[] b, int from) {
            int headEnd = indexOf(b, from, "\r\n\r\n");
            if (headEnd < 0) return null;
            String head = new String(b, from, headEnd - from, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            Resp r = new Resp();
            r.status = Integer.parseInt(lines[0].substring(9, 12));
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                r.headers.put(
                        lines[i].substring(0, c).toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).trim());
            }
            int p = headEnd + 4;
            if (r.status < 200 || headNoBody || r.status == 204 || r.status == 304) {
                r.end = p;
                return r;
            }
            if (r.header("content-length") != null) {
                int n = Integer.parseInt(r.header("content-length"));
                if (b.length < p + n) return null;
                r.body = java.util.Arrays.copyOfRange(b, p, p + n);
                r.end = p + n;
                return r;
            }
            if ("chunked".equals(r.header("transfer-encoding"))) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    int le = indexOf(b, p, "\r\n");
                    if (le < 0) return null;
                    int size = Integer.parseInt(new String(b, p, le - p, StandardCharsets.ISO_8859_1), 16);
                    p = le + 2;
                    if (size == 0) {
                        int te = indexOf(b, p, "\r\n");
                        if (te < 0) return null;
                        r.end = te + 2;
                        r.body = body.toByteArray();
                        return r;
                    }
                    if (b.length < p + size + 2) return null;
                    body.write(b, p, size);
                    p += size + 2;
                }
            }
            return null; // delimited by close: not used by these tests
        }

        private static int indexOf(byte[] b, int from, String s) {
            outer:
            for (int i = from; i + s.length() <= b.length; i++) {
                for (int j = 0; j < s.length(); j++) if (b[i + j] != s.charAt(j)) continue outer;
                return i;
            }
            return -1;
        }
    }
}
