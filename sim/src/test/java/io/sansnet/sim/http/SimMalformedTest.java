package io.sansnet.sim.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.testkit.MalformedRequests;
import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.wire.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 acceptance 3 in the simulator: every malformed or smuggling request of {@link MalformedRequests} is sent to
 * the HTTP server on a simulated host ({@link SimHttpServer}) over sansnet's TCP, gets its expected status and a
 * close, and then a normal request on a new connection is served. Once on a clean link, once on a lossy one.
 */
class SimMalformedTest {

    static final byte[] NORMAL =
            "GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyCaseGetsItsStatusAndTheNextConnectionIsServedOnACleanLink() {
        runSuite(5, FaultPlan.NONE);
    }

    @Test
    void everyCaseGetsItsStatusAndTheNextConnectionIsServedUnderLossAndReordering() {
        runSuite(6, new FaultPlan(0.05, 0.02, 0.1, 0.01, 2_000_000L, 500_000L, 100_000_000L, 1280, List.of()));
    }

    private static void runSuite(long seed, FaultPlan plan) {
        Simulation sim = Simulation.create(seed);
        SimHost client = sim.addHost("client", "198.18.0.1", "fd00:5a::1");
        SimHost server = sim.addHost("server", "198.18.0.2", "fd00:5a::2");
        sim.connect(client, server, plan.linkParams());
        HttpServer http = new HttpServer(
                MalformedRequests.router(), HttpServerConfig.DEFAULT, SimHttpServer.wallClock(server), AccessLog.NONE);
        SimHttpServer s = SimHttpServer.install(server, http, 80);
        sim.runFor(1_000_000L); // both hosts boot
        IpAddress addr = server.address(4);
        List<MalformedRequests.Malformed> cases = MalformedRequests.ALL;
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        for (MalformedRequests.Malformed m : cases) {
            byte[] reply = sim.await(RawExchange.exchange(client, addr, 80, m.bytes()));
            String text = new String(reply, StandardCharsets.ISO_8859_1);
            assertThat(RawExchange.status(reply)).as(m.name() + ": " + text).isEqualTo(m.status());
            assertThat(text).as(m.name()).contains("Connection: close");
            byte[] next = sim.await(RawExchange.exchange(client, addr, 80, NORMAL));
            String nextText = new String(next, StandardCharsets.ISO_8859_1);
            assertThat(RawExchange.status(next))
                    .as("normal request after " + m.name())
                    .isEqualTo(200);
            assertThat(nextText).endsWith("Hello, World!");
        }
        assertThat(http.counters().protocolErrors()).isEqualTo(cases.size());
        assertThat(s.acceptedConnections()).isEqualTo(2L * cases.size());
        assertThat(s.listenErrors()).isEmpty();
        // The server closes its connections once the client closed too: none stays open.
        sim.runFor(10_000_000_000L);
        assertThat(http.counters().connectionsClosed())
                .isEqualTo(http.counters().connectionsOpened());
    }
}
