package io.sansnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpLimits#maxBufferedBytes()}: a driver that keeps feeding a Paused connection (or never asks for events)
 * meets a typed refusal at the bound, never unbounded memory or an unchecked exception; pipelining within the bound
 * works as before.
 */
class ReceiveBoundTest {

    private static final String GET = "GET /p HTTP/1.1\r\nHost: a\r\n\r\n";

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpConnection server(int maxBufferedBytes) {
        return new HttpConnection(
                Role.SERVER,
                HttpLimits.builder().maxBufferedBytes(maxBufferedBytes).build());
    }

    /** Answers the current request with an empty 200 and starts the next cycle. */
    private static void answer(HttpConnection c) throws Exception {
        c.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
        c.send(new HttpEvent.EndOfMessage());
        c.startNextCycle();
    }

    /** Events up to NeedData/Paused; requests are collected by target. */
    private static HttpEvent drain(HttpConnection c, List<String> targets) throws RemoteProtocolError {
        while (true) {
            HttpEvent ev = c.nextEvent();
            if (ev instanceof HttpEvent.Request r) targets.add(r.target());
            if (ev instanceof HttpEvent.NeedData || ev instanceof HttpEvent.Paused) return ev;
        }
    }

    @Test
    void aPausedConnectionRefusesBytesBeyondTheBound() throws Exception {
        HttpConnection c = server(4096);
        List<String> targets = new ArrayList<>();
        assertThat(c.receiveData(bytes(GET + GET))).isTrue();
        assertThat(drain(c, targets)).isEqualTo(HttpEvent.Paused.INSTANCE);
        // The driver ignores the pause and keeps feeding pipelined requests (one 1000-byte piece at a time).
        String piece = "x".repeat(1000);
        int accepted = 0;
        boolean refused = false;
        for (int i = 0; i < 100_000 && !refused; i++) {
            if (c.receiveData(bytes(piece))) {
                accepted++;
                assertThat(c.nextEvent()).isEqualTo(HttpEvent.Paused.INSTANCE);
            } else {
                refused = true;
            }
        }
        assertThat(refused).isTrue();
        assertThat(accepted).isEqualTo(4); // 28 + 4 x 1000 queued; one more would pass 4096
        assertThat(c.bufferedBytes()).isLessThanOrEqualTo(4096);
        assertThat(c.heldBytes()).isLessThan(4096 + 1024);
        assertThat(c.theirState()).isEqualTo(HttpState.ERROR);
        assertThat(c.keepAlive()).isFalse();
        // The refusal is typed: nextEvent raises it, again and again; more bytes stay refused.
        assertThatThrownBy(c::nextEvent)
                .isInstanceOfSatisfying(
                        RemoteProtocolError.class,
                        e -> assertThat(e.statusHint()).isEqualTo(503));
        assertThatThrownBy(c::nextEvent).isInstanceOf(RemoteProtocolError.class);
        assertThat(c.receiveData(bytes(piece))).isFalse();
        assertThat(c.bufferedBytes()).isLessThanOrEqualTo(4096);
        // The response to the request in progress can still be completed (then the connection closes).
        c.send(new HttpEvent.Response(200, Headers.of("Content-Length", "0")));
        c.send(new HttpEvent.EndOfMessage());
        assertThat(c.ourState()).isEqualTo(HttpState.MUST_CLOSE);
    }

    @Test
    void feedingWithoutAskingForEventsIsBoundedToo() {
        HttpConnection c = server(10_000);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) if (c.receiveData(bytes(GET))) accepted++;
        assertThat(accepted).isEqualTo(10_000 / GET.length());
        assertThat(c.bufferedBytes()).isLessThanOrEqualTo(10_000);
        assertThatThrownBy(c::nextEvent).isInstanceOf(RemoteProtocolError.class);
    }

    @Test
    void pipeliningUpToTheBoundStillWorks() throws Exception {
        int n = 40;
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < n; i++) wire.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        byte[] all = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
        // Exactly the bound: the whole pipeline, fed 7 bytes at a time while the first request is being answered.
        HttpConnection c = server(all.length);
        List<String> targets = new ArrayList<>();
        for (int off = 0; off < all.length; off += 7) {
            assertThat(c.receiveData(all, off, Math.min(7, all.length - off))).isTrue();
            drain(c, targets);
        }
        for (int i = 0; i < n; i++) {
            answer(c);
            drain(c, targets);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) expected.add("/" + i);
        assertThat(targets).isEqualTo(expected);
        assertThat(c.theirState()).isEqualTo(HttpState.IDLE);
        // One byte more than the bound would have been refused.
        HttpConnection d = server(all.length - 1);
        assertThat(d.receiveData(ByteBuffer.wrap(all))).isFalse();
    }

    @Test
    void theBoundIsValidated() {
        assertThatThrownBy(() -> HttpLimits.builder().maxBufferedBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(HttpLimits.DEFAULT.maxBufferedBytes()).isEqualTo(1 << 20);
        assertThat(HttpLimits.DEFAULT.toBuilder().build()).isEqualTo(HttpLimits.DEFAULT);
    }

    /**
     * Any number of pipelined requests in any fragments, fed while the driver answers at its own pace: every
     * request is served in order while the queued bytes stay within the bound, and the first refusal comes exactly
     * when they would exceed it; no call throws anything but the typed error.
     */
    @Property(tries = 500)
    void queuedBytesNeverExceedTheBoundAndRefusalIsExact(Gen g) throws Exception {
        int limit = g.intBetween(1, 600);
        HttpConnection c = server(limit);
        int n = g.intBetween(1, 30);
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < n; i++) wire.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        byte[] all = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
        List<String> targets = new ArrayList<>();
        int off = 0;
        boolean refused = false;
        while (off < all.length && !refused) {
            int len = Math.min(g.intBetween(1, 200), all.length - off);
            long before = c.bufferedBytes();
            boolean ok = c.receiveData(all, off, len);
            assertThat(ok).isEqualTo(before + len <= limit);
            if (!ok) {
                refused = true;
                break;
            }
            off += len;
            assertThat(c.bufferedBytes()).isLessThanOrEqualTo(limit);
            drain(c, targets);
            // Answer some of what is waiting (a driver slower than its peer).
            while (g.bool() && c.theirState() == HttpState.DONE) {
                answer(c);
                drain(c, targets);
            }
        }
        if (refused) {
            assertThat(c.theirState()).isEqualTo(HttpState.ERROR);
            assertThatThrownBy(c::nextEvent).isInstanceOf(RemoteProtocolError.class);
        } else {
            while (c.theirState() == HttpState.DONE) {
                answer(c);
                drain(c, targets);
            }
            assertThat(targets).hasSize(n);
            for (int i = 0; i < n; i++) assertThat(targets.get(i)).isEqualTo("/" + i);
        }
    }
}
