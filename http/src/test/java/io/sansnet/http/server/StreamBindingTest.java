package io.sansnet.http.server;

import static io.sansnet.http.server.ServerScript.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The transport glue ({@link StreamBinding}) over a fake {@link ByteStream} in virtual time: write coalescing, partial
 * writes and backpressure, and the send-stall timeout against a peer that stops taking bytes.
 */
class StreamBindingTest {

    private static final String GET_PLAIN = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";

    /** An event loop in virtual time: timers and tasks run only when the test advances the clock. */
    static final class VirtualLoop implements EventLoop {
        private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

        private final PriorityQueue<Task> tasks =
                new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
        private long now;
        private long seq;

        @Override
        public long nowNanos() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            boolean[] cancelled = {false};
            tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
            return () -> {
                boolean was = cancelled[0];
                cancelled[0] = true;
                return !was;
            };
        }

        /** Runs everything due up to {@code now + nanos}, in order. */
        void advance(long nanos) {
            long end = now + nanos;
            while (!tasks.isEmpty() && tasks.peek().due <= end) {
                Task t = tasks.poll();
                now = Math.max(now, t.due);
                if (!t.cancelled[0]) {
                    t.cancelled[0] = true;
                    t.run.run();
                }
            }
            now = end;
        }
    }

    /** A transport whose buffer takes at most {@code room} more bytes; each write call is recorded. */
    static final class FakeStream implements ByteStream {
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();
        ByteStreamListener listener;
        long room = Long.MAX_VALUE;
        boolean wantsWritable;
        boolean reading = true;
        boolean outputShut;
        boolean closed;

        @Override
        public String peer() {
            return "198.18.0.2";
        }

        @Override
        public void write(ByteBuffer src) {
            int n = (int) Math.min(src.remaining(), room);
            byte[] a = new byte[n];
            src.get(a);
            wire.writeBytes(a);
            room -= n;
            writes.add(n);
            if (src.hasRemaining()) wantsWritable = true;
        }

        @Override
        public void setReading(boolean on) {
            reading = on;
        }

        @Override
        public void shutdownOutput() {
            outputShut = true;
        }

        @Override
        public void close() {
            closed = true;
        }

        /** The peer read {@code n} bytes: the transport has room again and says so when a write was cut short. */
        void drain(long n) {
            room = room == Long.MAX_VALUE ? n : room + n;
            if (wantsWritable && n > 0) {
                wantsWritable = false;
                listener.onWritable();
            }
        }

        String text() {
            return wire.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private final VirtualLoop loop = new VirtualLoop();
    private final FakeStream stream = new FakeStream();
    private HttpServer server;

    private void attach(HttpServerConfig config) {
        server = new HttpServer(
                StandardRoutes.router(null, StandardRoutes.DEFAULT_MAX_GENERATED_BYTES),
                config,
                () -> ServerScript.EPOCH_MILLIS + loop.nowNanos() / 1_000_000L,
                AccessLog.NONE);
        stream.listener = server.attach(stream, loop);
    }

    private void receive(String ascii) {
        stream.listener.onData(ByteBuffer.wrap(ascii.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The body of {@code /bytes/n} as ISO-8859-1 text. */
    private static String pattern(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = (char) (i % 251);
        return new String(c);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void responsesToOneBatchOfPipelinedRequestsLeaveInOneWrite() {
        attach(HttpServerConfig.DEFAULT);
        receive(GET_PLAIN.repeat(16));
        assertThat(count(stream.text(), "Hello, World!")).isEqualTo(16);
        assertThat(stream.writes).hasSize(1);
        receive(GET_PLAIN.repeat(3));
        assertThat(count(stream.text(), "Hello, World!")).isEqualTo(19);
        assertThat(stream.writes).hasSize(2);
    }

    @Test
    void withoutCoalescingEachPieceIsItsOwnWrite() {
        attach(HttpServerConfig.builder().writeCoalesceBytes(0).build());
        receive(GET_PLAIN.repeat(4));
        assertThat(count(stream.text(), "Hello, World!")).isEqualTo(4);
        assertThat(stream.writes).hasSize(8); // a head and a body per response
    }

    @Test
    void coalescedWritesStayWithinTheConfiguredSize() {
        attach(HttpServerConfig.builder().writeCoalesceBytes(1000).build());
        receive(GET_PLAIN.repeat(40));
        assertThat(count(stream.text(), "Hello, World!")).isEqualTo(40);
        assertThat(stream.writes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1000));
        assertThat(stream.writes.size()).isBetween(5, 10);
    }

    @Test
    void largeBodyPiecesAreWrittenWithoutCopyingIntoTheCoalescingBuffer() {
        attach(HttpServerConfig.DEFAULT);
        receive("GET /bytes/200000 HTTP/1.1\r\nHost: a\r\n\r\n");
        String wire = stream.text();
        assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n");
        byte[] body = wire.substring(wire.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(body).hasSize(200_000);
        assertThat(body).isEqualTo(pattern(200_000).getBytes(StandardCharsets.ISO_8859_1));
        // 64 KiB pieces go straight to the transport; only the head went through the coalescing buffer.
        assertThat(stream.writes).contains(64 * 1024);
    }

    /** Whatever sizes the transport takes at a time, the bytes arrive complete and in order, and nothing stalls. */
    @Property(tries = 100)
    void partialWritesResumeOnWritableAndKeepOrder(Gen g) {
        VirtualLoop l = new VirtualLoop();
        FakeStream s = new FakeStream();
        HttpServer srv = new HttpServer(
                StandardRoutes.router(null, StandardRoutes.DEFAULT_MAX_GENERATED_BYTES),
                HttpServerConfig.builder()
                        .writeCoalesceBytes(g.intBetween(0, 4096))
                        .build(),
                () -> ServerScript.EPOCH_MILLIS,
                AccessLog.NONE);
        s.room = g.intBetween(0, 300);
        s.listener = srv.attach(s, l);
        int n = g.intBetween(1, 20_000);
        int pipelined = g.intBetween(1, 8);
        String req = GET_PLAIN + "GET /bytes/" + n + " HTTP/1.1\r\nHost: a\r\n\r\n";
        s.listener.onData(ByteBuffer.wrap(req.repeat(pipelined).getBytes(StandardCharsets.ISO_8859_1)));
        for (int round = 0; round < 100_000 && s.wantsWritable; round++) {
            s.drain(g.intBetween(0, 2000));
            l.advance(0);
        }
        String wire = s.text();
        assertThat(count(wire, "Hello, World!")).isEqualTo(pipelined);
        assertThat(count(wire, "Content-Length: " + n + "\r\n")).isEqualTo(pipelined);
        // Each generated body is the pattern, in order, right after its head.
        String expected = pattern(n);
        int from = 0;
        for (int k = 0; k < pipelined; k++) {
            int head = wire.indexOf("Content-Length: " + n + "\r\n", from);
            int body = wire.indexOf("\r\n\r\n", head) + 4;
            assertThat(wire.regionMatches(body, expected, 0, n)).isTrue();
            from = body + n;
        }
        assertThat(wire.length()).isEqualTo(from);
        assertThat(srv.counters().sendStallTimeouts()).isZero();
        assertThat(s.closed).isFalse();
    }

    @Test
    void aPeerThatStopsReadingIsDroppedAfterTheSendStallTimeout() {
        attach(HttpServerConfig.builder().sendStallTimeoutNanos(5 * SECOND).build());
        stream.room = 100_000;
        receive("GET /bytes/100000000 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(stream.wire.size()).isEqualTo(100_000);
        assertThat(stream.wantsWritable).isTrue();
        loop.advance(5 * SECOND - 1);
        assertThat(stream.closed).isFalse();
        loop.advance(1);
        assertThat(stream.closed).isTrue();
        assertThat(server.counters().sendStallTimeouts()).isEqualTo(1);
        assertThat(server.counters().aborted()).isEqualTo(1);
        assertThat(server.counters().connectionsClosed()).isEqualTo(1);
        assertThat(stream.wire.size()).isEqualTo(100_000); // nothing more was produced for it
    }

    @Test
    void aSlowButReadingPeerIsNeverDropped() {
        attach(HttpServerConfig.builder()
                .sendStallTimeoutNanos(5 * SECOND)
                .idleTimeoutNanos(3600 * SECOND)
                .build());
        stream.room = 10_000;
        receive("GET /bytes/1000000 HTTP/1.1\r\nHost: a\r\n\r\n");
        // 4 s between reads of 10 kB each, for far longer than the stall timeout in all.
        for (int i = 0; i < 120 && stream.wantsWritable; i++) {
            loop.advance(4 * SECOND);
            stream.drain(10_000);
        }
        assertThat(stream.closed).isFalse();
        assertThat(server.counters().sendStallTimeouts()).isZero();
        String wire = stream.text();
        assertThat(wire.length() - (wire.indexOf("\r\n\r\n") + 4)).isEqualTo(1_000_000);
    }

    @Test
    void theStallTimeoutAlsoBoundsTheFinalFlushBeforeClose() {
        attach(HttpServerConfig.builder()
                .sendStallTimeoutNanos(2 * SECOND)
                .idleTimeoutNanos(3600 * SECOND)
                .build());
        stream.room = 10;
        receive("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"); // 400, then close
        assertThat(stream.text()).isEqualTo("HTTP/1.1 4");
        loop.advance(2 * SECOND - 1);
        assertThat(stream.closed).isFalse();
        loop.advance(2 * SECOND);
        assertThat(stream.closed).isTrue();
        assertThat(stream.outputShut).isFalse(); // never a FIN after a cut-short body
        assertThat(server.counters().sendStallTimeouts()).isEqualTo(1);
    }

    @Test
    void noStallTimerRunsWhileEverythingWasTaken() {
        attach(HttpServerConfig.builder()
                .sendStallTimeoutNanos(SECOND)
                .idleTimeoutNanos(10 * SECOND)
                .build());
        receive(GET_PLAIN);
        loop.advance(9 * SECOND);
        assertThat(stream.closed).isFalse();
        loop.advance(SECOND);
        assertThat(stream.outputShut).isTrue(); // the idle timeout, not the stall timeout
        assertThat(server.counters().idleTimeouts()).isEqualTo(1);
        assertThat(server.counters().sendStallTimeouts()).isZero();
    }
}
