package io.sansnet.driver.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.server.HttpServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Acceptance item 4: 1,000 connections sending a request head one byte a second do not keep a normal client from
 * being served, and each is closed at the header deadline (2 s here), counted from its first byte.
 */
class SlowlorisTest {
    static final int SLOW = 1000;
    static final long DEADLINE_NANOS = 2_000_000_000L;
    static final byte[] HEAD = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NORMAL =
            "GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final class Slow {
        SocketChannel ch;
        long firstByte;
        long closedAt = -1;
        int sent;
        final StringBuilder got = new StringBuilder();
    }

    @Test
    void slowHeadsAreClosedAtTheDeadlineWhileANormalClientIsServed() throws Exception {
        HttpServerConfig config =
                HttpServerConfig.builder().headerTimeoutNanos(DEADLINE_NANOS).build();
        try (SocketHttpServer server = Servers.start(null, config);
                Selector selector = Selector.open()) {
            InetSocketAddress addr = server.localAddress();
            List<Slow> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW; i++) {
                    Slow s = new Slow();
                    s.ch = SocketChannel.open(addr);
                    s.ch.configureBlocking(false);
                    s.ch.register(selector, SelectionKey.OP_READ, s);
                    s.firstByte = System.nanoTime();
                    s.ch.write(ByteBuffer.wrap(HEAD, 0, 1));
                    s.sent = 1;
                    slow.add(s);
                }
                // The normal client, meanwhile: one request every 100 ms on a new connection.
                AtomicLong served = new AtomicLong(), failed = new AtomicLong(), worstNanos = new AtomicLong();
                Thread normal = new Thread(() -> {
                    long end = System.nanoTime() + 3_000_000_000L;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                            String r = Servers.exchange(addr.getPort(), NORMAL);
                            if (Servers.status(r) == 200 && r.endsWith("Hello, World!")) served.incrementAndGet();
                            else failed.incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                        worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                normal.start();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                long start = System.nanoTime();
                int open = SLOW;
                while (open > 0 && System.nanoTime() - start < 10_000_000_000L) {
                    selector.select(50);
                    long now = System.nanoTime();
                    for (SelectionKey k : selector.selectedKeys()) {
                        Slow s = (Slow) k.attachment();
                        buf.clear();
                        int n;
                        try {
                            n = s.ch.read(buf);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n > 0) s.got.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                        if (n < 0) {
                            s.closedAt = now;
                            k.cancel();
                            s.ch.close();
                            open--;
                        }
                    }
                    selector.selectedKeys().clear();
                    for (Slow s : slow) { // each sends its next byte one second after the previous one
                        if (s.closedAt >= 0 || s.sent >= HEAD.length - 1) continue;
                        if (now < s.firstByte + s.sent * 1_000_000_000L) continue;
                        try {
                            s.ch.write(ByteBuffer.wrap(HEAD, s.sent, 1));
                            s.sent++;
                        } catch (IOException e) {
                            // closed by the server meanwhile
                        }
                    }
                }
                normal.join();
                assertThat(open).as("slow connections still open after 10 s").isZero();
                for (Slow s : slow) {
                    long life = s.closedAt - s.firstByte;
                    assertThat(life)
                            .as("closed at the 2 s header deadline")
                            .isBetween(DEADLINE_NANOS - 50_000_000L, DEADLINE_NANOS + 3_000_000_000L);
                    assertThat(s.got.toString()).startsWith("HTTP/1.1 408 ");
                    assertThat(s.sent).as("bytes each slow client got to send").isBetween(2, 6);
                }
                assertThat(failed.get()).isZero();
                assertThat(served.get()).isGreaterThanOrEqualTo(10);
                assertThat(worstNanos.get()).as("worst normal request latency").isLessThan(1_500_000_000L);
                assertThat(server.server().counters().headerTimeouts()).isEqualTo(SLOW);
            } finally {
                for (Slow s : slow) s.ch.close();
            }
        }
    }
}
