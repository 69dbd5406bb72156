package io.sansnet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sansnet.http.Headers;
import io.sansnet.http.HttpConnection;
import io.sansnet.http.HttpEvent;
import io.sansnet.http.HttpState;
import io.sansnet.http.LocalProtocolError;
import io.sansnet.http.RemoteProtocolError;
import io.sansnet.http.Role;
import io.sansnet.stack.rand.SplitMix64;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The HTTP/1.1 codec of {@code io.sansnet.http} reading what a peer sends, cut into arbitrary fragments.
 *
 * <p>Invariants: {@link HttpConnection#nextEvent} returns events or throws the typed {@link RemoteProtocolError},
 * nothing else; it always makes progress; and the events do not depend on how the bytes were cut: the same stream fed
 * in one piece and in the fuzzer's fragments (down to one byte at a time) gives the same heads, the same body bytes,
 * the same trailers, and the same error at the same point. A request head that was accepted, sent again by a client
 * connection, is read back as the same request; a chunked body that was decoded, encoded again, decodes to the same
 * bytes and trailers.
 *
 * <p>Input layout (see {@code fuzz/make-seeds.py}): a byte whose low 6 bits give the largest fragment ({@code + 1}
 * bytes), a byte seeding the fragment sizes, a byte of target options (the request method the client sent, for
 * responses; the role, for chunked bodies), then the bytes the peer sends.
 */
class HttpFuzzTest {

    private static final String[] METHODS = {"GET", "HEAD", "POST", "CONNECT"};
    private static final byte[] CHUNKED_REQUEST_HEAD =
            "POST /upload HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED_RESPONSE_HEAD =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A server reading requests (pipelined, with bodies), answering each with an empty 200. */
    @FuzzTest
    void request(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int maxFragment = (in.u8() & 0x3F) + 1;
        long seed = in.u8();
        in.u8();
        byte[] stream = in.rest();
        Trace whole = drive(Role.SERVER, "GET", stream, new int[] {stream.length});
        Trace cut = drive(Role.SERVER, "GET", stream, cuts(stream.length, maxFragment, seed));
        assertThat(cut).as("fed in fragments of at most %d bytes", maxFragment).isEqualTo(whole);
        for (HttpEvent.Request r : whole.requests) {
            assertThat(resend(r)).isEqualTo(r);
        }
    }

    /** A client that sent a request with the fuzzer's method reading the responses. */
    @FuzzTest
    void response(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int maxFragment = (in.u8() & 0x3F) + 1;
        long seed = in.u8();
        String method = METHODS[in.u8() % METHODS.length];
        byte[] stream = in.rest();
        Trace whole = drive(Role.CLIENT, method, stream, new int[] {stream.length});
        Trace cut = drive(Role.CLIENT, method, stream, cuts(stream.length, maxFragment, seed));
        assertThat(cut).as("fed in fragments of at most %d bytes", maxFragment).isEqualTo(whole);
    }

    /** The chunked decoder (RFC 9112 §7.1): a chunked request body (option bit 0 clear) or response body (set). */
    @FuzzTest
    void chunked(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int maxFragment = (in.u8() & 0x3F) + 1;
        long seed = in.u8();
        boolean response = (in.u8() & 1) != 0;
        byte[] body = in.rest();
        byte[] head = response ? CHUNKED_RESPONSE_HEAD : CHUNKED_REQUEST_HEAD;
        byte[] stream = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, stream, head.length, body.length);
        Role role = response ? Role.CLIENT : Role.SERVER;
        Trace whole = drive(role, "POST", stream, new int[] {stream.length});
        int[] cut = cuts(body.length, maxFragment, seed);
        int[] withHead = new int[cut.length + 1];
        withHead[0] = head.length;
        System.arraycopy(cut, 0, withHead, 1, cut.length);
        Trace fragmented = drive(role, "POST", stream, withHead);
        assertThat(fragmented)
                .as("fed in fragments of at most %d bytes", maxFragment)
                .isEqualTo(whole);
        if (whole.firstBody != null) {
            // Encode the decoded body again (in two chunks) and decode it: the same bytes and trailers.
            byte[] data = whole.firstBody.toByteArray();
            int half = data.length / 2;
            List<byte[]> wire = new ArrayList<>();
            HttpConnection client = new HttpConnection(Role.CLIENT);
            try {
                wire.add(client.send(new HttpEvent.Request(
                        "POST", "/", Headers.of("Host", "fuzz", "Transfer-Encoding", "chunked"))));
                wire.add(client.send(new HttpEvent.Data(Arrays.copyOfRange(data, 0, half))));
                wire.add(client.send(new HttpEvent.Data(Arrays.copyOfRange(data, half, data.length))));
                wire.add(client.send(new HttpEvent.EndOfMessage(whole.firstTrailers)));
            } catch (LocalProtocolError e) {
                throw new AssertionError("decoded trailers " + whole.firstTrailers + " cannot be sent again", e);
            }
            byte[] again = concat(wire);
            Trace reread = drive(Role.SERVER, "GET", again, new int[] {again.length});
            assertThat(reread.firstBody.toByteArray()).isEqualTo(data);
            assertThat(reread.firstTrailers).isEqualTo(whole.firstTrailers);
        }
    }

    /** Fragment boundaries: sizes 1..max drawn from the seed, summing to {@code length}. */
    private static int[] cuts(int length, int max, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        List<Integer> sizes = new ArrayList<>();
        for (int left = length; left > 0; ) {
            int n = Math.min(left, 1 + rng.nextInt(max));
            sizes.add(n);
            left -= n;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * What one connection made of a stream, with body data joined across events (how it was split carries no
     * meaning, RFC 9112 §7.1), the requests it accepted, and the first message body and its trailers.
     */
    private static final class Trace {
        final List<String> events = new ArrayList<>();
        final List<HttpEvent.Request> requests = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteArrayOutputStream firstBody;
        Headers firstTrailers;
        private ByteArrayOutputStream currentBody = new ByteArrayOutputStream();

        void add(String e) {
            flushData();
            events.add(e);
        }

        void data(HttpEvent.Data d) {
            byte[] b = d.toByteArray();
            data.writeBytes(b);
            currentBody.writeBytes(b);
        }

        void end(Headers trailers) {
            add("END " + trailers);
            if (firstBody == null) {
                firstBody = currentBody;
                firstTrailers = trailers;
            }
            currentBody = new ByteArrayOutputStream();
        }

        private void flushData() {
            if (data.size() > 0) {
                events.add("DATA " + HexFormat.of().formatHex(data.toByteArray()));
                data.reset();
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Trace t && t.events.equals(events) && t.requests.equals(requests);
        }

        @Override
        public int hashCode() {
            return events.hashCode();
        }

        @Override
        public String toString() {
            return String.join("\n", events);
        }
    }

    /**
     * Feeds {@code stream} in pieces of the given sizes to a connection playing {@code ourRole}, then the end of the
     * stream, and records the events. As a server it answers every request with an empty 200; as a client it sends a
     * {@code method} request before each response.
     */
    private static Trace drive(Role ourRole, String method, byte[] stream, int[] sizes) {
        Trace t = new Trace();
        HttpConnection c = new HttpConnection(ourRole);
        if (ourRole == Role.CLIENT && !sendRequest(c, method, t)) {
            return t;
        }
        int piece = 0;
        int fed = 0;
        boolean eof = false;
        long maxSteps = 4L * stream.length + 64;
        for (long step = 0; ; step++) {
            assertThat(step).as("no progress after %d steps", step).isLessThan(maxSteps);
            HttpEvent e;
            try {
                e = c.nextEvent();
            } catch (RemoteProtocolError err) {
                t.add("ERROR " + err.statusHint());
                return t;
            }
            if (e instanceof HttpEvent.NeedData) {
                if (piece < sizes.length) {
                    int n = sizes[piece++];
                    c.receiveData(stream, fed, n);
                    fed += n;
                } else if (!eof) {
                    c.receiveData(new byte[0], 0, 0);
                    eof = true;
                } else {
                    t.add("STALLED");
                    return t;
                }
            } else if (e instanceof HttpEvent.Paused) {
                if (c.ourState() == HttpState.DONE && c.theirState() == HttpState.DONE) {
                    try {
                        c.startNextCycle();
                    } catch (LocalProtocolError err) {
                        throw new AssertionError("both DONE but no next cycle", err);
                    }
                    if (ourRole == Role.CLIENT && !sendRequest(c, method, t)) {
                        return t;
                    }
                } else {
                    t.add("PAUSED " + c.ourState() + " " + c.theirState());
                    return t;
                }
            } else if (e instanceof HttpEvent.Request r) {
                t.requests.add(r);
                t.add("REQUEST " + r.method() + " " + r.target() + " " + r.version() + " " + r.headers());
            } else if (e instanceof HttpEvent.InformationalResponse r) {
                t.add("INFORMATIONAL " + r.status() + " " + r.reason() + " " + r.version() + " " + r.headers());
            } else if (e instanceof HttpEvent.Response r) {
                t.add("RESPONSE " + r.status() + " " + r.reason() + " " + r.version() + " " + r.headers());
            } else if (e instanceof HttpEvent.Data d) {
                t.data(d);
            } else if (e instanceof HttpEvent.EndOfMessage end) {
                t.end(end.trailers());
                if (ourRole == Role.SERVER && !respond(c, t)) {
                    return t;
                }
            } else if (e instanceof HttpEvent.ConnectionClosed) {
                t.add("CLOSED");
                return t;
            } else {
                throw new AssertionError("unexpected event " + e);
            }
        }
    }

    private static boolean sendRequest(HttpConnection c, String method, Trace t) {
        try {
            c.send(new HttpEvent.Request(
                    method, method.equals("CONNECT") ? "fuzz:443" : "/", Headers.of("Host", "fuzz")));
            if (c.ourState() == HttpState.SEND_BODY) {
                c.send(new HttpEvent.EndOfMessage());
            }
            return true;
        } catch (LocalProtocolError e) {
            t.add("LOCAL " + e.getMessage());
            return false;
        }
    }

    /** Our answer to a complete request: an empty 200, when a response may be sent now. */
    private static boolean respond(HttpConnection c, Trace t) {
        if (c.ourState() != HttpState.SEND_RESPONSE) {
            return true;
        }
        try {
            c.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
            if (c.ourState() == HttpState.SEND_BODY) {
                c.send(new HttpEvent.EndOfMessage());
            }
            return true;
        } catch (LocalProtocolError e) {
            t.add("LOCAL " + e.getMessage());
            return false;
        }
    }

    /** A request sent by a fresh client connection and read by a fresh server connection. */
    private static HttpEvent.Request resend(HttpEvent.Request r) {
        byte[] wire;
        try {
            wire = new HttpConnection(Role.CLIENT).send(r);
        } catch (LocalProtocolError e) {
            throw new AssertionError("an accepted request cannot be sent again: " + r, e);
        }
        Trace t = drive(Role.SERVER, "GET", wire, new int[] {wire.length});
        assertThat(t.requests)
                .as("%s sent as %s", r, new String(wire, StandardCharsets.ISO_8859_1))
                .hasSize(1);
        return t.requests.get(0);
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
