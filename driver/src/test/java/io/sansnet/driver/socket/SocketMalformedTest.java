package io.sansnet.driver.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.testkit.MalformedRequests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance item 3 on the socket transport: every malformed or smuggling request of the codec's suite
 * ({@link MalformedRequests}) gets its expected status over real TCP, and the server then serves a normal request on a new connection.
 */
class SocketMalformedTest {
    static SocketHttpServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = Servers.start(null, HttpServerConfig.DEFAULT);
        port = server.localAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static final byte[] NORMAL =
            "GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyCaseGetsItsStatusAndTheNextConnectionIsServed() throws Exception {
        List<MalformedRequests.Malformed> cases = MalformedRequests.ALL;
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        long errorsBefore = server.server().counters().protocolErrors();
        for (MalformedRequests.Malformed c : cases) {
            String reply = Servers.exchange(port, c.bytes());
            assertThat(Servers.status(reply)).as(c.name() + ": " + reply).isEqualTo(c.status());
            assertThat(reply).as(c.name()).contains("Connection: close");
            String next = Servers.exchange(port, NORMAL);
            assertThat(Servers.status(next))
                    .as("normal request after " + c.name())
                    .isEqualTo(200);
            assertThat(next).endsWith("Hello, World!");
        }
        assertThat(server.server().counters().protocolErrors() - errorsBefore).isEqualTo(cases.size());
        assertThat(server.failure()).isNull();
    }
}
