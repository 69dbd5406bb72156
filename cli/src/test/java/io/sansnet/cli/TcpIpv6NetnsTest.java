package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP over IPv6 against the real Linux kernel (issue 4, "Against a real peer" 4): tests 1 and 2 of
 * {@link TcpRealPeerNetnsTest} over {@code fd00:5a::/64}, and a path whose MTU the kernel itself lowers: a second
 * namespace behind a forwarding kernel whose route towards it has MTU 1280, so the forwarding kernel answers
 * sansnet's full-sized segments with an ICMPv6 Packet Too Big and sansnet must lower its MSS (RFC 8201, RFC 9293
 * §3.7.3).
 */
class TcpIpv6NetnsTest {
    private static final String DEV = "sn0";
    private static final String KERNEL4 = "198.18.0.1";
    private static final String HOST4 = "198.18.0.2";
    private static final String KERNEL6 = "fd00:5a::1";
    private static final String HOST6 = "fd00:5a::2";
    /** How socat writes {@link #HOST6} in {@code SOCAT_PEERADDR}. */
    private static final String HOST6_SOCAT = "[fd00:005a:0000:0000:0000:0000:0000:0002]";
    /** The far peer, one forwarding hop behind {@link #KERNEL6}. */
    private static final String FAR6 = "fd00:5a::3";
    /** The forwarding kernel's address on the link towards {@link #FAR6}. */
    private static final String HOP6 = "fd00:5a::4";
    /** IPv6's minimum MTU (RFC 8200 §5), set on the forwarding kernel's route towards {@link #FAR6}. */
    private static final int PATH_MTU = 1280;
    /** IPv6 header (40) plus TCP header without options (20). */
    private static final int IPV6_TCP_HEADERS = 60;
    /** Issue 4, tests 1 and 2: 50 MiB. */
    private static final int BULK_BYTES = 50 << 20;
    /** The Packet Too Big test is about segment sizes, not volume. */
    private static final int PTB_BYTES = 4 << 20;

    private Lab.Netns ns;
    private Lab.Netns far;
    private Lab.Background host;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "socat", "ss", "tshark");
        ns = Lab.Netns.create("sn6");
        ns.addTun(DEV, KERNEL4 + "/15", KERNEL6 + "/64");
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(host, far, ns);
    }

    private void startHost(String... extra) {
        List<String> args = new ArrayList<>(
                List.of("host", "--tun", DEV, "--addr", HOST4 + "/15", "--addr6", HOST6 + "/64", "--seed", "61"));
        args.addAll(List.of(extra));
        host = ns.startSansnet(Duration.ofSeconds(30), args);
    }

    /** Test 1 over IPv6: socat sends 50 MiB to {@code --tcp-echo 7}, the echo is identical; then to discard 9. */
    @Test
    void kernelSends50MiBToEchoAndDiscardOverIpv6() throws Exception {
        startHost("--tcp-echo", "7", "--tcp-discard", "9");
        Path in = Lab.randomFile(tmp.resolve("in"), BULK_BYTES, 41);
        Lab.EchoDiscard t = ns.echoThenDiscard(
                Duration.ofSeconds(170),
                30,
                "TCP6:[" + HOST6 + "]:7",
                "TCP6:[" + HOST6 + "]:9",
                in,
                tmp.resolve("echoed"));
        System.out.println("ipv6 tcp echo 50 MiB: " + t.echoMs() + " ms, discard 50 MiB: " + t.discardMs() + " ms");

        Lab.Result r = host.stopOk(Duration.ofSeconds(15));
        assertThat(r.out()).contains("tcp.badSegments 0", "tcp.listenOverflows 0");
    }

    /** Test 2 over IPv6: {@code sansnet nc} connects to a socat listener; 50 MiB go each way, hashes identical. */
    @Test
    void ncConnectsToKernelOverIpv6And50MiBGoBothWays() throws Exception {
        Lab.Exchange x = Lab.Exchange.create(tmp, "Kernel", BULK_BYTES, 42);
        Path peer = tmp.resolve("peer");
        // socat records the peer's address, so the test proves the transfer went over IPv6
        Lab.Background listener = Lab.Background.start(Lab.inNetns(
                ns.name,
                "sh",
                "-c",
                "socat -t 60 TCP6-LISTEN:5000,bind=[" + KERNEL6 + "],reuseaddr SYSTEM:'echo $SOCAT_PEERADDR > " + peer
                        + "; cat " + x.fromPeer() + " & cat > " + x.gotPeer() + "; wait'"));
        try {
            ns.awaitTcpListening(5000, 100);
            List<String> nc = Lab.sansnet(
                    "nc",
                    "--tun",
                    DEV,
                    "--addr",
                    HOST4 + "/15",
                    "--addr6",
                    HOST6 + "/64",
                    "--seed",
                    "62",
                    KERNEL6,
                    "5000");
            long t0 = System.nanoTime();
            Lab.Result r = ns.shell(Duration.ofSeconds(170), nc, x.toPeer(), x.gotUs());
            System.out.println("ipv6 nc 50 MiB both ways: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(r.exit()).as(r.describe()).isZero();
            Lab.Result s = listener.waitFor(Duration.ofSeconds(60));
            assertThat(s.exit()).as(s.describe()).isZero();
            assertThat(Files.readString(peer).trim()).isEqualTo(HOST6_SOCAT);
            x.assertArrivedIntact();
        } finally {
            listener.kill();
        }
    }

    /**
     * ICMPv6 Packet Too Big from a real router, sansnet as the server: the kernel of the TUN's namespace forwards to
     * {@link #FAR6} in a second namespace over a route with MTU 1280. The far kernel announces MSS 1440 (its link has
     * MTU 1500), so sansnet's first full-sized echo segments exceed the path; the forwarding kernel answers with Packet
     * Too Big (MTU 1280), and in the capture every sansnet segment after it carries at most 1280 - 60 = 1220 octets.
     * The echo is identical.
     */
    @Test
    void packetTooBigFromAForwardingKernelLowersTheEchoServersMss() throws Exception {
        addForwardingHop();
        Path pcap = tmp.resolve("ptb.pcap");
        startHost("--tcp-echo", "7", "--pcap", pcap.toString());
        Path in = Lab.randomFile(tmp.resolve("in"), PTB_BYTES, 44);
        Path echoed = tmp.resolve("echoed");
        Lab.Result echo = far.socat(Duration.ofSeconds(120), 30, "TCP6:[" + HOST6 + "]:7", in, echoed);
        assertThat(echo.exit()).as(echo.describe()).isZero();
        assertThat(Lab.sha256(echoed)).isEqualTo(Lab.sha256(in));
        Lab.Result r = host.stopOk(Duration.ofSeconds(15));
        assertThat(r.out()).as(r.describe()).doesNotContain("tcp.icmpErrors 0\n");
        assertMssLoweredAfterPacketTooBig(pcap, "echo server");
    }

    /**
     * The same path with sansnet as the client: {@code sansnet nc} connects to a socat listener behind the forwarding
     * kernel and sends while receiving; after the Packet Too Big its segments carry at most 1220 octets, and both
     * directions arrive intact.
     */
    @Test
    void packetTooBigFromAForwardingKernelLowersTheNcClientsMss() throws Exception {
        addForwardingHop();
        Lab.Exchange x = Lab.Exchange.create(tmp, "Far", PTB_BYTES, 45);
        Path pcap = tmp.resolve("ptb-nc.pcap");
        Lab.Background listener = far.startFileExchange("TCP6-LISTEN:5001,bind=[" + FAR6 + "],reuseaddr", 5001, x);
        try {
            List<String> nc = Lab.sansnet(
                    "nc",
                    "--tun",
                    DEV,
                    "--addr",
                    HOST4 + "/15",
                    "--addr6",
                    HOST6 + "/64",
                    "--seed",
                    "63",
                    "--pcap",
                    pcap.toString(),
                    FAR6,
                    "5001");
            Lab.Result r = ns.shell(Duration.ofSeconds(120), nc, x.toPeer(), x.gotUs());
            assertThat(r.exit()).as(r.describe()).isZero();
            Lab.Result s = listener.waitFor(Duration.ofSeconds(60));
            assertThat(s.exit()).as(s.describe()).isZero();
            x.assertArrivedIntact();
        } finally {
            listener.kill();
        }
        assertMssLoweredAfterPacketTooBig(pcap, "nc client");
    }

    /**
     * A second namespace {@link #far} holding {@link #FAR6}, reached from the TUN's namespace (which forwards IPv6)
     * over a veth pair whose route towards {@link #FAR6} has MTU {@link #PATH_MTU}; both veth ends keep MTU 1500.
     */
    private void addForwardingHop() {
        far = Lab.Netns.create("sn6f");
        Duration t = Duration.ofSeconds(10);
        // no duplicate address detection: addresses must be usable at once
        for (Lab.Netns n : List.of(ns, far)) {
            Lab.ok(t, Lab.inNetns(n.name, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0"));
            Lab.ok(t, Lab.inNetns(n.name, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0"));
        }
        Lab.ok(t, Lab.inNetns(ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1"));
        Lab.ok(t, "ip", "-n", ns.name, "link", "add", "vh0", "type", "veth", "peer", "name", "vf0", "netns", far.name);
        Lab.ok(t, "ip", "-n", ns.name, "addr", "add", HOP6 + "/128", "dev", "vh0", "nodad");
        Lab.ok(t, "ip", "-n", ns.name, "link", "set", "vh0", "up");
        Lab.ok(t, "ip", "-n", ns.name, "-6", "route", "add", FAR6 + "/128", "dev", "vh0", "mtu", "" + PATH_MTU);
        Lab.ok(t, "ip", "-n", far.name, "addr", "add", FAR6 + "/128", "dev", "vf0", "nodad");
        Lab.ok(t, "ip", "-n", far.name, "link", "set", "vf0", "up");
        Lab.ok(t, "ip", "-n", far.name, "-6", "route", "add", HOP6 + "/128", "dev", "vf0");
        Lab.ok(t, "ip", "-n", far.name, "-6", "route", "add", HOST6 + "/128", "via", HOP6, "dev", "vf0");
    }

    /**
     * In sansnet's capture: a Packet Too Big with MTU {@link #PATH_MTU} arrived, sansnet had sent segments above the
     * path's MSS before it, and none after it (RFC 8201 §4; RFC 9293 §3.7.3).
     */
    private void assertMssLoweredAfterPacketTooBig(Path pcap, String who) {
        Lab.Result frames = Lab.ok(
                Duration.ofSeconds(120),
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "icmpv6.type==2 || (tcp && ipv6.src==" + HOST6 + ")",
                "-T",
                "fields",
                "-e",
                "frame.number",
                "-e",
                "icmpv6.type",
                "-e",
                "icmpv6.mtu",
                "-e",
                "tcp.len");
        int mss = PATH_MTU - IPV6_TCP_HEADERS;
        long ptbFrame = -1;
        long bigBefore = 0;
        long segmentsAfter = 0;
        List<String> tooBigAfter = new ArrayList<>();
        for (String line : frames.out().lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length < 4) {
                continue;
            }
            if (f[1].equals("2")) {
                assertThat(f[2]).as("Packet Too Big MTU").isEqualTo(String.valueOf(PATH_MTU));
                if (ptbFrame < 0) {
                    ptbFrame = Long.parseLong(f[0]);
                }
            } else if (!f[3].isEmpty()) {
                int len = Integer.parseInt(f[3]);
                if (ptbFrame < 0) {
                    bigBefore += len > mss ? 1 : 0;
                } else if (len > 0) {
                    segmentsAfter++;
                    if (len > mss) {
                        tooBigAfter.add("frame " + f[0] + " len " + len);
                    }
                }
            }
        }
        System.out.println("ipv6 packet too big (" + who + "): first at frame " + ptbFrame + ", " + bigBefore
                + " segments above " + mss + " before it, " + segmentsAfter + " data segments after it");
        assertThat(ptbFrame)
                .as("the forwarding kernel sent a Packet Too Big\n" + frames.describe())
                .isPositive();
        assertThat(bigBefore)
                .as("sansnet first sent segments larger than the path allows")
                .isPositive();
        assertThat(segmentsAfter)
                .as("the transfer went on after the Packet Too Big")
                .isGreaterThan(PTB_BYTES / 2 / mss);
        assertThat(tooBigAfter)
                .as("segments above MSS " + mss + " after the Packet Too Big")
                .isEmpty();
    }
}
