package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP against the real Linux kernel over an impaired path (issue 4, "Against a real peer" 3): tests 1 and 2 of
 * {@link TcpRealPeerNetnsTest} with 8 MiB while sansnet's TUN driver loses 5 %, reorders 10 % and delays every packet
 * by 5 ms ({@code --impair loss=0.05,reorder=0.1,delay=5ms,seed=...}), in both directions. Each transfer must complete
 * with identical hashes within the 180 s.
 */
class TcpImpairedNetnsTest {
    private static final String DEV = "sn0";
    private static final String KERNEL4 = "198.18.0.1";
    private static final String HOST4 = "198.18.0.2";
    /** Issue 4, test 3: 8 MiB per transfer. */
    private static final int BULK_BYTES = 8 << 20;
    /** The impairment of issue 4, test 3, with a fixed seed so a failure can be rerun. */
    private static final String IMPAIR = "loss=0.05,reorder=0.1,delay=5ms,seed=17";
    /** Issue 4: each test takes at most 180 s; the transfers get this much of it. */
    private static final Duration TRANSFER_LIMIT = Duration.ofSeconds(120);

    private Lab.Netns ns;
    private Lab.Background host;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "socat", "ss");
        ns = Lab.Netns.create("snI");
        ns.addTun(DEV, KERNEL4 + "/15", null);
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(host, ns);
    }

    /** Test 1 impaired: socat sends 8 MiB to {@code --tcp-echo 7}, the echo is identical; then 8 MiB to discard 9. */
    @Test
    void kernelSends8MiBToEchoAndDiscardOverImpairedPath() throws Exception {
        host = ns.startSansnet(
                Duration.ofSeconds(30),
                List.of(
                        "host",
                        "--tun",
                        DEV,
                        "--addr",
                        HOST4 + "/15",
                        "--seed",
                        "21",
                        "--impair",
                        IMPAIR,
                        "--tcp-echo",
                        "7",
                        "--tcp-discard",
                        "9"));
        assertThat(host.out()).as("the host reports its impairment").contains("impair: ", "loss=0.05");
        Path in = Lab.randomFile(tmp.resolve("in"), BULK_BYTES, 31);
        Lab.EchoDiscard t = ns.echoThenDiscard(
                TRANSFER_LIMIT, 60, "TCP:" + HOST4 + ":7", "TCP:" + HOST4 + ":9", in, tmp.resolve("echoed"));
        long echoMs = t.echoMs();
        long discardMs = t.discardMs();
        System.out.println("impaired tcp echo 8 MiB: " + echoMs + " ms, discard 8 MiB: " + discardMs + " ms");
        assertThat(echoMs + discardMs).as("issue 4: at most 180 s").isLessThan(170_000);

        Lab.Result r = host.stopOk(Duration.ofSeconds(15));
        assertThat(r.out()).contains("tcp.badSegments 0", "tcp.listenOverflows 0");
    }

    /** Test 2 impaired: {@code sansnet nc} and a socat listener exchange 8 MiB each way at once, hashes identical. */
    @Test
    void ncAndKernelExchange8MiBBothWaysOverImpairedPath() throws Exception {
        Lab.Exchange x = Lab.Exchange.create(tmp, "Kernel", BULK_BYTES, 32);
        Lab.Background listener = ns.startFileExchange("TCP-LISTEN:5000,bind=" + KERNEL4 + ",reuseaddr", 5000, x);
        try {
            List<String> nc = Lab.sansnet(
                    "nc", "--tun", DEV, "--addr", HOST4 + "/15", "--seed", "22", "--impair", IMPAIR, KERNEL4, "5000");
            long t0 = System.nanoTime();
            Lab.Result r = ns.shell(TRANSFER_LIMIT, nc, x.toPeer(), x.gotUs());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("impaired nc 8 MiB both ways: " + ms + " ms");
            assertThat(r.exit()).as(r.describe()).isZero();
            Lab.Result s = listener.waitFor(Duration.ofSeconds(60));
            assertThat(s.exit()).as(s.describe()).isZero();
            x.assertArrivedIntact();
            assertThat(ms).as("issue 4: at most 180 s").isLessThan(170_000);
        } finally {
            listener.kill();
        }
    }
}
