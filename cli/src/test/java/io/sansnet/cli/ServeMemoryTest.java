package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Acceptance item 5: with the server's heap capped at 64 MiB, {@code GET /bytes/4000000000} and a 1 GiB {@code POST
 * /echo} complete over the socket driver. The client streams, checks every byte and counts; it stores nothing.
 */
class ServeMemoryTest {
    static final long DOWNLOAD = 4_000_000_000L;
    static final long UPLOAD = 1L << 30;

    @Test
    void hugeDownloadAndEchoFitIn64MiB() throws Exception {
        try (ServeProcess p = new ServeProcess(List.of("-Xmx64m"), "--listen", "127.0.0.1:0", "--quiet")) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", p.port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream()
                        .write(("GET /bytes/" + DOWNLOAD + " HTTP/1.1\r\nHost: t\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 17);
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + DOWNLOAD);
                assertThat(readPattern(in, DOWNLOAD)).isEqualTo(DOWNLOAD);
            }
            long t1 = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", p.port)) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                AtomicReference<Throwable> writerFailure = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        out.write(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + UPLOAD + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        byte[] period = new byte[251 * 256];
                        for (int i = 0; i < period.length; i++) period[i] = (byte) (i % 251);
                        long left = UPLOAD;
                        while (left > 0) {
                            int k = (int) Math.min(left, period.length);
                            out.write(period, 0, k);
                            left -= k;
                        }
                        out.flush();
                    } catch (Throwable e) {
                        writerFailure.set(e);
                    }
                });
                writer.start();
                InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 17);
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + UPLOAD);
                assertThat(readPattern(in, UPLOAD)).isEqualTo(UPLOAD);
                writer.join();
                assertThat(writerFailure.get()).isNull();
            }
            long t2 = System.nanoTime();
            System.out.printf(
                    "ServeMemoryTest: GET /bytes/%d in %.1f s, POST /echo %d in %.1f s (-Xmx64m)%n",
                    DOWNLOAD, (t1 - t0) / 1e9, UPLOAD, (t2 - t1) / 1e9);
            assertThat(p.process.isAlive()).as("the server survived").isTrue();
            assertThat(p.stop()).isEqualTo(Main.EXIT_OK);
        }
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("closed in the head: " + sb);
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Reads {@code n} bytes, checking byte i is i % 251; returns how many matched before the first mismatch. */
    static long readPattern(InputStream in, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] table = new byte[buf.length + 251]; // the pattern from any phase, for one vectorised comparison
        for (int j = 0; j < table.length; j++) table[j] = (byte) (j % 251);
        long i = 0;
        while (i < n) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, n - i));
            if (k < 0) return i;
            int phase = (int) (i % 251);
            int bad = java.util.Arrays.mismatch(buf, 0, k, table, phase, phase + k);
            if (bad >= 0) return i + bad;
            i += k;
        }
        return i;
    }
}
