package io.sansnet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.bench.http.PlaintextServer;
import io.sansnet.bench.http.WrkResult;
import io.sansnet.bench.sim.UdpEchoBenchmark;
import io.sansnet.bench.sim.UdpEchoWorkload;
import io.sansnet.sim.scenario.ScenarioResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark's setup and one operation once, so {@code mvn verify} catches a broken benchmark. No timing is
 * asserted: speed is measured by {@code bench/run.sh}.
 */
class BenchmarkSetupTest {

    @ParameterizedTest
    @ValueSource(strings = {"NONE", "FAULTS", "DRAWN"})
    void udpEchoBenchmarkRunsOneSeed(String faults) {
        UdpEchoBenchmark b = new UdpEchoBenchmark();
        b.faults = faults;
        b.setUp();
        UdpEchoBenchmark.Events counter = new UdpEchoBenchmark.Events();
        counter.reset();
        ScenarioResult first = b.seed(counter);
        ScenarioResult second = b.seed(counter);

        assertThat(first.passed()).isTrue();
        assertThat(first.seed()).isEqualTo(1);
        assertThat(second.seed()).isEqualTo(2);
        assertThat(counter.events).isEqualTo(first.events() + second.events()).isPositive();
        if (faults.equals("NONE")) {
            assertThat(first.plan().faultRatesZero()).isTrue();
        } else if (faults.equals("FAULTS")) {
            assertThat(first.plan().loss()).isEqualTo(0.3);
            assertThat(first.plan().corrupt()).isEqualTo(0.05);
        }
    }

    @Test
    void bulkBenchmarkRunsOneSeed() {
        io.sansnet.bench.sim.BulkBenchmark b = new io.sansnet.bench.sim.BulkBenchmark();
        b.setUp();
        io.sansnet.bench.sim.BulkBenchmark.Bytes counter = new io.sansnet.bench.sim.BulkBenchmark.Bytes();
        counter.reset();
        ScenarioResult r = b.seed(counter);
        assertThat(r.passed()).isTrue();
        assertThat(r.seed()).isEqualTo(1);
        assertThat(counter.bytes).isEqualTo(2L << 20);
    }

    @Test
    void simSpeedMeasuresAtLeastOneSeed() {
        var f = io.sansnet.bench.sim.SimSpeed.measure(UdpEchoWorkload.Faults.FAULTS, 0, 1);
        assertThat(f.seeds()).isEqualTo(1);
        assertThat(f.events())
                .isEqualTo(UdpEchoWorkload.run(UdpEchoWorkload.Faults.FAULTS, 1).events());
        assertThat(f.seedNanos().getTotalCount()).isEqualTo(1);
    }

    @Test
    void workloadIsDeterministic() {
        ScenarioResult a = UdpEchoWorkload.run(UdpEchoWorkload.Faults.FAULTS, 7);
        ScenarioResult b = UdpEchoWorkload.run(UdpEchoWorkload.Faults.FAULTS, 7);
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThat(a.events()).isEqualTo(b.events());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sansnet", "netty", "jdk"})
    void peerServesThePlaintextResponse(String peer) throws IOException {
        try (PlaintextServer server = PlaintextServer.start(peer, 1)) {
            String twoPipelined = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2);
            String response = exchange(server.port(), twoPipelined, 2);
            assertThat(response).startsWith("HTTP/1.1 200");
            assertThat(count(response, "HTTP/1.1 200")).isEqualTo(2);
            assertThat(count(response, "\r\n\r\nHello, World!")).isEqualTo(2);
            assertThat(response.toLowerCase(java.util.Locale.ROOT))
                    .contains("content-type: text/plain")
                    .contains("content-length: 13")
                    .contains("date: ");
        }
    }

    @Test
    void unknownPeerIsRejected() {
        assertThatThrownBy(() -> PlaintextServer.start("apache", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown peer");
    }

    @Test
    void wrkReportIsParsedIntoAHistogram() {
        WrkResult r = WrkResult.parse(List.of(
                "Running 10s test @ http://127.0.0.1:1/plaintext",
                "wrk-summary 2000000 1000 50000 0 1 0 2 0",
                "wrk-latency 100 500",
                "wrk-latency 200 490",
                "wrk-latency 5000 10"));
        assertThat(r.requestsPerSecond()).isEqualTo(500.0);
        assertThat(r.errorCount()).isEqualTo(3);
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(1000);
        assertThat(r.latencyMillis(50)).isEqualTo(0.1);
        assertThat(r.latencyMillis(99.5)).isEqualTo(5.0, org.assertj.core.data.Offset.offset(0.01));
        assertThatThrownBy(() -> WrkResult.parse(List.of("wrk-latency 1 1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WrkResult.parse(List.of("wrk-summary 1 x 0 0 0 0 0 0")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Sends {@code request}, reads until {@code responses} bodies arrived (or 5 s of silence). */
    private static String exchange(int port, String request, int responses) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (count(got.toString(StandardCharsets.ISO_8859_1), "Hello, World!") < responses) {
                int n = in.read(buf);
                if (n < 0) break;
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
