package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP against the real Linux kernel (issue 4, "Against a real peer" 1, 2 and 5): a TUN device in a fresh network
 * namespace, sansnet on one side ({@code sansnet host --tcp-echo/--tcp-discard}, {@code sansnet nc}), the kernel's TCP
 * (socat) on the other, and tshark checking a capture.
 */
class TcpRealPeerNetnsTest {
    private static final String DEV = "sn0";
    private static final String KERNEL4 = "198.18.0.1";
    private static final String HOST4 = "198.18.0.2";
    /** Issue 4, tests 1 and 2: 50 MiB (measured here: about 5 s for echo, 9 s for nc both ways). */
    private static final int BULK_BYTES = 50 << 20;
    /** The capture checked by tshark (test 5) carries less, so the analysis stays fast. */
    private static final int CAPTURE_BYTES = 4 << 20;

    private Lab.Netns ns;
    private Lab.Background host;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "socat", "tshark", "sha256sum");
        ns = Lab.Netns.create("snT");
        ns.addTun(DEV, KERNEL4 + "/15", null);
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(host, ns);
    }

    private void startHost(String... extra) {
        List<String> args = new ArrayList<>(List.of("host", "--tun", DEV, "--addr", HOST4 + "/15", "--seed", "11"));
        args.addAll(List.of(extra));
        host = ns.startSansnet(Duration.ofSeconds(30), args);
    }

    /** Test 1: socat sends 50 MiB to {@code --tcp-echo 7}; the echo is identical. Then 50 MiB to discard 9. */
    @Test
    void kernelSends50MiBToEchoAndDiscard() throws Exception {
        startHost("--tcp-echo", "7", "--tcp-discard", "9");
        Path in = Lab.randomFile(tmp.resolve("in"), BULK_BYTES, 1);
        Lab.EchoDiscard t = ns.echoThenDiscard(
                Duration.ofSeconds(170), 30, "TCP:" + HOST4 + ":7", "TCP:" + HOST4 + ":9", in, tmp.resolve("echoed"));
        System.out.println("tcp echo 50 MiB: " + t.echoMs() + " ms, discard 50 MiB: " + t.discardMs() + " ms");

        Lab.Result r = host.stopOk(Duration.ofSeconds(15));
        assertThat(r.out()).contains("tcp.badSegments 0", "tcp.listenOverflows 0");
    }

    /** Test 2: {@code sansnet nc} connects to a socat listener; 50 MiB go each way at once, hashes identical. */
    @Test
    void ncConnectsToKernelAnd50MiBGoBothWays() throws Exception {
        Lab.Exchange x = Lab.Exchange.create(tmp, "Kernel", BULK_BYTES, 2);
        Lab.Background listener = ns.startFileExchange("TCP-LISTEN:5000,bind=" + KERNEL4 + ",reuseaddr", 5000, x);
        try {
            List<String> nc = Lab.sansnet("nc", "--tun", DEV, "--addr", HOST4 + "/15", "--seed", "5", KERNEL4, "5000");
            long t0 = System.nanoTime();
            Lab.Result r = ns.shell(Duration.ofSeconds(170), nc, x.toPeer(), x.gotUs());
            System.out.println("nc 50 MiB both ways: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(r.exit()).as(r.describe()).isZero();
            Lab.Result s = listener.waitFor(Duration.ofSeconds(60));
            assertThat(s.exit()).as(s.describe()).isZero();
            x.assertArrivedIntact();
        } finally {
            listener.kill();
        }
    }

    /** nc's exit codes: 4 when the kernel refuses (RST to our SYN). */
    @Test
    void ncExitsFourWhenRefused() {
        Lab.Result r = ns.exec(
                Duration.ofSeconds(60),
                Lab.sansnet("nc", "--tun", DEV, "--addr", HOST4 + "/15", KERNEL4, "5999")
                        .toArray(String[]::new));
        assertThat(r.exit()).as(r.describe()).isEqualTo(NcCommand.EXIT_REFUSED);
    }

    /** nc -l: the kernel connects to sansnet's listener; data both ways, exit 0. */
    @Test
    void ncListensAndTheKernelConnects() throws Exception {
        Lab.Exchange x = Lab.Exchange.create(tmp, "Kernel", 1 << 20, 4);
        List<String> nc = Lab.sansnet("nc", "--tun", DEV, "--addr", HOST4 + "/15", "-l", "6000");
        Lab.Background server = ns.startShell(nc, x.toPeer(), x.gotUs());
        try {
            Lab.Result c = null;
            for (int i = 0; i < 60; i++) { // until the JVM started and listens
                c = ns.exec(
                        Duration.ofSeconds(60),
                        "socat",
                        "-t",
                        "30",
                        "TCP:" + HOST4 + ":6000",
                        "OPEN:" + x.fromPeer() + "!!OPEN:" + x.gotPeer() + ",creat,trunc");
                if (c.exit() == 0) {
                    break;
                }
                Lab.sleep(500);
            }
            assertThat(c.exit()).as(c.describe()).isZero();
            Lab.Result s = server.waitFor(Duration.ofSeconds(60));
            assertThat(s.exit()).as(s.describe()).isZero();
            x.assertArrivedIntact();
        } finally {
            server.kill();
        }
    }

    /**
     * Test 5: in a capture of an echo transfer, the SYN and SYN-ACK both carry SACK-permitted (4), timestamps (8) and
     * window scale (3); tshark with TCP checksum validation finds no malformed packet, no bad checksum, and no
     * sansnet segment beyond the kernel's advertised window.
     */
    @Test
    void captureShowsNegotiatedOptionsAndNoErrors() throws Exception {
        Path pcap = tmp.resolve("tcp.pcap");
        startHost("--tcp-echo", "7", "--pcap", pcap.toString());
        Path in = Lab.randomFile(tmp.resolve("in"), CAPTURE_BYTES, 6);
        Path echoed = tmp.resolve("echoed");
        Lab.Result echo = ns.socat(Duration.ofSeconds(120), 30, "TCP:" + HOST4 + ":7", in, echoed);
        assertThat(echo.exit()).as(echo.describe()).isZero();
        assertThat(Lab.sha256(echoed)).isEqualTo(Lab.sha256(in));
        host.stopOk(Duration.ofSeconds(15));

        Lab.Result syns = Lab.ok(
                Duration.ofSeconds(120),
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "tcp.flags.syn==1",
                "-T",
                "fields",
                "-e",
                "ip.src",
                "-e",
                "tcp.option_kind");
        List<String> lines = syns.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(syns.describe()).hasSize(2);
        for (String line : lines) {
            List<String> kinds = List.of(line.split("\t")[1].split(","));
            assertThat(kinds).as(line).contains("3", "4", "8");
        }
        assertThat(lines).anyMatch(l -> l.startsWith(HOST4)).anyMatch(l -> l.startsWith(KERNEL4));

        Lab.Result bad = Lab.ok(
                Duration.ofSeconds(120),
                "tshark",
                "-r",
                pcap.toString(),
                "-o",
                "tcp.check_checksum:TRUE",
                "-Y",
                "_ws.malformed || tcp.checksum.status==0",
                "-T",
                "fields",
                "-e",
                "frame.number");
        assertThat(bad.out().trim()).as(bad.describe()).isEmpty();

        // No data beyond the kernel's advertised right edge (SEG.ACK + scaled window, the highest seen so far);
        // the persist timer's one-octet probe is allowed (RFC 9293 §3.8.6.1). tshark gives relative sequence numbers
        // and the window already scaled.
        Lab.Result segs = Lab.ok(
                Duration.ofSeconds(120),
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "tcp",
                "-T",
                "fields",
                "-e",
                "frame.number",
                "-e",
                "ip.src",
                "-e",
                "tcp.seq",
                "-e",
                "tcp.len",
                "-e",
                "tcp.ack",
                "-e",
                "tcp.window_size",
                "-e",
                "tcp.flags.syn");
        long edge = -1;
        long dataSegments = 0;
        List<String> beyond = new ArrayList<>();
        for (String line : segs.out().lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length < 7 || f[2].isEmpty()) {
                continue;
            }
            long seq = Long.parseLong(f[2]);
            long len = Long.parseLong(f[3]);
            if (f[1].equals(KERNEL4) && !f[4].isEmpty() && !f[5].isEmpty() && !"1".equals(f[6])) {
                edge = Math.max(edge, Long.parseLong(f[4]) + Long.parseLong(f[5]));
            } else if (f[1].equals(HOST4) && len > 0) {
                dataSegments++;
                if (seq + len > edge && len > 1) {
                    beyond.add("frame " + f[0] + ": seq " + seq + " len " + len + " beyond " + edge);
                }
            }
        }
        assertThat(dataSegments).isGreaterThan(CAPTURE_BYTES / 1500);
        assertThat(beyond).isEmpty();
    }
}
