package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Foundation acceptance 6: two namespaces joined by {@code sansnet relay --impair loss=0.1,reorder=0.1}: kernel pings
 * lose about 1-(0.9*0.9) = 19% of round trips, and a kernel-to-kernel TCP transfer arrives intact.
 */
class RelayRealPeerTest {
    private static final String IMPAIR = "loss=0.1,reorder=0.1,seed=20261122";

    private Lab.Netns a;
    private Lab.Netns b;
    private Lab.Background relay;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "ping", "socat");
        a = Lab.Netns.create("snA");
        b = Lab.Netns.create("snB");
        a.addTun("rtA", "198.18.0.1/15", null);
        b.addTun("rtB", "198.18.0.2/15", null);
        relay = Lab.Background.start(Lab.sansnet(
                        "relay",
                        "--tun",
                        "rtA@" + a.name,
                        "--tun",
                        "rtB@" + b.name,
                        "--impair",
                        IMPAIR,
                        "--pcap",
                        tmp.resolve("relay.pcap").toString())
                .toArray(String[]::new));
        relay.awaitOutput("ready", Duration.ofSeconds(20));
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(relay, a, b);
    }

    @Test
    void pingThroughLossyRelayLosesAboutNineteenPercent() {
        Lab.Result ping =
                a.exec(Duration.ofSeconds(40), "ping", "-q", "-n", "-c", "500", "-i", "0.01", "-W", "1", "198.18.0.2");
        Matcher m =
                Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(ping.out());
        assertThat(m.find()).as(ping.describe()).isTrue();
        int sent = Integer.parseInt(m.group(1));
        int received = Integer.parseInt(m.group(2));
        assertThat(sent).as(ping.describe()).isEqualTo(500);
        double loss = 1.0 - received / (double) sent;
        assertThat(loss).as("round-trip loss\n" + ping.describe()).isBetween(0.12, 0.26);

        Lab.Result stopped = relay.stopOk(Duration.ofSeconds(15));
        assertThat(stopped.out())
                .as(stopped.describe())
                .contains("impair: " + IMPAIR)
                .containsPattern("relay\\.aToB\\.fault\\.lost [1-9]")
                .containsPattern("relay\\.bToA\\.fault\\.reordered [1-9]");

        // The capture holds what each kernel received: every echo reply that arrived, and the requests that did.
        assertThat(tmp.resolve("relay.pcap")).as(stopped.describe()).exists();
        if (Lab.which("tshark") != null) {
            Lab.Result replies = Lab.run(
                    Duration.ofSeconds(30),
                    "tshark",
                    "-n",
                    "-r",
                    tmp.resolve("relay.pcap").toString(),
                    "-o",
                    "ip.check_checksum:TRUE",
                    "-Y",
                    "icmp.type == 0 && !_ws.malformed && ip.checksum.status != 0 && icmp.checksum.status != 0");
            assertThat(replies.exit()).as(replies.describe()).isZero();
            assertThat(replies.out().lines().count()).as(replies.describe()).isEqualTo(received);
        }
    }

    @Test
    void tcpTransferThroughLossyRelayArrivesIntact() throws Exception {
        Path in = tmp.resolve("in.bin");
        Path out = tmp.resolve("out.bin");
        int bytes = 20 << 20;
        Lab.randomFile(in, bytes, 7);
        Lab.Background server = Lab.Background.start(
                Lab.inNetns(b.name, "socat", "-u", "TCP-LISTEN:5001,bind=198.18.0.2,reuseaddr", "CREATE:" + out));
        try {
            b.awaitTcpListening(5001, 50);
            Lab.Result client = a.exec(
                    Duration.ofSeconds(50), "socat", "-u", "OPEN:" + in, "TCP:198.18.0.2:5001,connect-timeout=5");
            assertThat(client.exit()).as(client.describe()).isZero();
            Lab.Result srv = server.waitFor(Duration.ofSeconds(20));
            assertThat(srv.exit()).as(srv.describe()).isZero();
        } finally {
            server.kill();
        }
        assertThat(Files.size(out)).isEqualTo(bytes);
        assertThat(Lab.sha256(out)).isEqualTo(Lab.sha256(in));
        Lab.Result stopped = relay.stop(Duration.ofSeconds(15));
        assertThat(stopped.out()).as(stopped.describe()).containsPattern("relay\\.aToB\\.fault\\.lost [1-9]");
    }
}
