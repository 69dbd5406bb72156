package io.sansnet.driver.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.server.HttpServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The send-stall timeout over kernel TCP: a client that asks for a large download and then stops reading (a small
 * receive buffer, so both kernels' buffers fill quickly) is dropped once no byte could be written for the timeout,
 * and counted; the server keeps serving others. (That a slow but reading peer is not dropped is shown in virtual time
 * by {@code StreamBindingTest}: over real sockets the kernel reports a full send buffer writable only after the peer
 * has read a good part of it, which makes wall-clock timing of slow reads fragile.)
 */
class SocketSendStallTest {
    private static final long STALL_NANOS = 500_000_000L;

    private static HttpServerConfig config() {
        return HttpServerConfig.builder().sendStallTimeoutNanos(STALL_NANOS).build();
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheStallTimeout() throws Exception {
        try (SocketHttpServer server = Servers.start(null, config());
                Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(server.localAddress(), 5_000);
            client.getOutputStream()
                    .write("GET /bytes/4000000000 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            // Read nothing until the server has given up on us.
            while (server.server().counters().sendStallTimeouts() == 0 && System.nanoTime() - start < 20_000_000_000L)
                Thread.sleep(20);
            long waited = System.nanoTime() - start;
            assertThat(server.server().counters().sendStallTimeouts()).isEqualTo(1);
            assertThat(waited).isGreaterThanOrEqualTo(STALL_NANOS);
            assertThat(server.server().counters().aborted()).isEqualTo(1);

            // What the kernels had buffered still arrives, then the connection ends (EOF or reset), far short of 4 GB.
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            long got = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buf)) > 0; ) got += n;
            } catch (IOException reset) {
                // a reset is a fine way to end it too
            }
            assertThat(got).isGreaterThan(0).isLessThan(1_000_000_000L);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(server.openConnections()).isZero();

            // Others are still served.
            String wire = Servers.exchange(
                    server.localAddress().getPort(),
                    "GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(Servers.status(wire)).isEqualTo(200);
            assertThat(wire).endsWith("Hello, World!");
        }
    }
}
