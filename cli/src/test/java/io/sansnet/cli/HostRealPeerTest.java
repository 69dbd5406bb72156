package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Foundation acceptance 1 to 4 against the real Linux kernel: {@code sansnet host} on a TUN device in a fresh network
 * namespace, the kernel (ping, socat, a UDP client) on the other side, and tshark checking every capture.
 */
class HostRealPeerTest {
    private static final String DEV = "sn0";
    private static final String HOST4 = "198.18.0.2";
    private static final String HOST6 = "fd00:5a::2";

    private Lab.Netns ns;
    private Lab.Background host;
    private Path pcap;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "ping", "socat", "tshark");
        ns = Lab.Netns.create("snH");
        ns.addTun(DEV, "198.18.0.1/15", "fd00:5a::1/64");
        pcap = tmp.resolve("host.pcap");
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(host, ns);
    }

    private void startHost(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "host", "--tun", DEV, "--addr", HOST4 + "/15", "--addr6", HOST6 + "/64", "--pcap", pcap.toString()));
        args.addAll(List.of(extra));
        host = ns.startSansnet(Duration.ofSeconds(20), args);
    }

    /** Stops the host with SIGTERM: it must exit 0 and print its counters. */
    private Lab.Result stopHost() {
        Lab.Result r = host.stopOk(Duration.ofSeconds(15));
        assertThat(r.out()).as(r.describe()).contains("driver.packetsRead ", "icmp.echoReplies ");
        return r;
    }

    private static long counter(Lab.Result r, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(r.out());
        assertThat(m.find()).as("counter " + name + "\n" + r.describe()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void assertReceived(Lab.Result ping, int expected) {
        Matcher m =
                Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(ping.out());
        assertThat(m.find()).as(ping.describe()).isTrue();
        assertThat(Integer.parseInt(m.group(2))).as(ping.describe()).isEqualTo(expected);
    }

    /** Acceptance 4: tshark finds packets, none malformed, no bad checksum. */
    private void assertCleanCapture(int minPackets) throws Exception {
        assertThat(Files.size(pcap)).isGreaterThan(24);
        String[] prefs = {
            "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"
        };
        List<String> count = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        count.addAll(List.of(prefs));
        Lab.Result all = Lab.run(Duration.ofSeconds(30), count.toArray(String[]::new));
        assertThat(all.exit()).as(all.describe()).isZero();
        assertThat(all.out().lines().count()).as(all.describe()).isGreaterThanOrEqualTo(minPackets);
        List<String> bad = new ArrayList<>(count);
        bad.addAll(List.of(
                "-Y",
                "_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == 0 || udp.checksum.status == 0"
                        + " || icmp.checksum.status == 0 || icmpv6.checksum.status == 0"));
        Lab.Result flagged = Lab.run(Duration.ofSeconds(30), bad.toArray(String[]::new));
        assertThat(flagged.exit()).as(flagged.describe()).isZero();
        assertThat(flagged.out())
                .as("packets tshark flags\n" + flagged.describe())
                .isBlank();
    }

    @Test
    void kernelPingsAreAnsweredOverIpv4AndIpv6() throws Exception {
        startHost();
        Lab.Result v4 = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "20", "-i", "0.05", "-W", "2", HOST4);
        assertReceived(v4, 20);
        Lab.Result v6 = ns.exec(Duration.ofSeconds(20), "ping", "-6", "-n", "-c", "20", "-i", "0.05", "-W", "2", HOST6);
        assertReceived(v6, 20);
        Lab.Result r = stopHost();
        assertThat(counter(r, "icmp.echoReplies")).isEqualTo(20);
        assertThat(counter(r, "icmp6.echoReplies")).isEqualTo(20);
        assertCleanCapture(80);
    }

    @Test
    void udpEchoRoundTripsThousandDatagramsAndClosedPortIsRefused() throws Exception {
        startHost("--udp-echo", "7");
        List<String> client = new ArrayList<>(Lab.sansnet());
        client.set(client.size() - 1, UdpEchoClient.class.getName());
        client.addAll(List.of(HOST4, "7", "1000", "1400", "42"));
        Lab.Result echo = Lab.run(Duration.ofSeconds(60), Lab.inNetns(ns.name, client));
        assertThat(echo.exit()).as(echo.describe()).isZero();
        assertThat(echo.out()).as(echo.describe()).contains("ok 1000");

        Lab.Result refused =
                ns.exec(Duration.ofSeconds(10), "sh", "-c", "echo probe | socat -t 2 - UDP:" + HOST4 + ":9");
        assertThat(refused.err()).as(refused.describe()).contains("Connection refused");

        Lab.Result r = stopHost();
        assertThat(counter(r, "udp.delivered")).isGreaterThanOrEqualTo(1000);
        assertThat(counter(r, "udp.noPort")).isGreaterThanOrEqualTo(1);
        assertThat(counter(r, "icmp.errorsSent")).isGreaterThanOrEqualTo(1);
        assertCleanCapture(2000);
    }

    @Test
    void largePingsAreReassembledAndFragmentFloodStaysWithinBudget() throws Exception {
        long budget = 64 * 1024;
        startHost("--reassembly-budget", String.valueOf(budget));
        Lab.Result v4 = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.2", "-s", "4000", HOST4);
        assertReceived(v4, 3);
        Lab.Result v6 =
                ns.exec(Duration.ofSeconds(20), "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-s", "4000", HOST6);
        assertReceived(v6, 3);

        // The flood: 4,000 never-completed first fragments of 1,000 bytes (about 4 MB, 60 times the budget),
        // sent through a raw socket by socat, while the kernel pings with 4,000 bytes.
        Lab.Background rawRelay = Lab.Background.start(Lab.inNetns(
                ns.name, "socat", "-u", "UDP-RECV:9999,bind=127.0.0.1", "IP4-SENDTO:" + HOST4 + ":17,ip-hdrincl"));
        Lab.Background ping = null;
        try {
            ns.awaitUdpListening(9999, 50);
            List<String> flood = new ArrayList<>(Lab.sansnet());
            flood.set(flood.size() - 1, FragmentFlood.class.getName());
            flood.addAll(List.of("198.18.0.1", HOST4, "9999", "4000", "1000", "500"));
            Lab.Background flooder = Lab.Background.start(Lab.inNetns(ns.name, flood));
            flooder.awaitOutput("flooding", Duration.ofSeconds(20));
            Lab.sleep(100); // past the budget: 64 KiB is about 65 of these fragments, 33 ms of flood
            ping = Lab.Background.start(
                    Lab.inNetns(ns.name, "ping", "-n", "-c", "4", "-i", "0.2", "-W", "2", "-s", "4000", HOST4));
            Lab.Result floodResult = flooder.waitFor(Duration.ofSeconds(40));
            assertThat(floodResult.out()).as(floodResult.describe()).contains("sent 4000");
            Lab.Result pingDuringFlood = ping.waitFor(Duration.ofSeconds(20));
            Matcher m = Pattern.compile("(\\d+) received").matcher(pingDuringFlood.out());
            assertThat(m.find()).as(pingDuringFlood.describe()).isTrue();
            assertThat(Integer.parseInt(m.group(1)))
                    .as("4,000-byte pings answered during the flood\n" + pingDuringFlood.describe())
                    .isGreaterThanOrEqualTo(1);
        } finally {
            rawRelay.kill();
            if (ping != null) {
                ping.kill();
            }
        }
        Lab.Result r = stopHost();
        assertThat(counter(r, "ip.reassemblyBudgetDrops")).as(r.describe()).isGreaterThan(0);
        assertThat(counter(r, "reassembly.peakBytes")).as(r.describe()).isBetween(1L, budget);
        assertThat(counter(r, "ip.fragmentsReceived")).as(r.describe()).isGreaterThan(3000);
        assertThat(counter(r, "ip.reassemblyBudgetDrops")).as(r.describe()).isGreaterThan(3000);
        assertCleanCapture(100);
    }

    @Test
    void writeWhileLinkIsDownIsCountedAndTheLoopKeepsRunning() throws Exception {
        // 1 s of delay each way: the echo reply is written about 2 s after the request, while the link is down.
        startHost("--impair", "delay=1s,seed=1");
        Lab.Background early = Lab.Background.start(Lab.inNetns(ns.name, "ping", "-n", "-c", "1", "-W", "4", HOST4));
        try {
            Lab.sleep(1_400);
            Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "link", "set", DEV, "down");
            Lab.sleep(1_600);
            Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "link", "set", DEV, "up");
        } finally {
            early.kill();
        }
        Lab.Result later = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "2", "-i", "0.5", "-W", "5", HOST4);
        assertReceived(later, 2);
        Lab.Result r = stopHost();
        assertThat(counter(r, "driver.writeDrops")).as(r.describe()).isGreaterThanOrEqualTo(1);
        assertThat(counter(r, "icmp.echoReplies")).as(r.describe()).isGreaterThanOrEqualTo(3);
    }
}
