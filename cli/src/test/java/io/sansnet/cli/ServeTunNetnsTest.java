package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * Issue 5, acceptance 1: {@code sansnet serve --tun} (the HTTP server on sansnet's own TCP through a TUN device) in a
 * fresh network namespace, against curl on the kernel's TCP. curl fetches {@code /bytes/N} and a static file from
 * {@code --root}, POSTs a body to {@code /echo}, all hashes identical; then 100 requests in one curl run reuse one
 * keep-alive connection. Once on a clean path (20,000,000 / 10 MiB), once with the driver's impairment (loss 5 %,
 * reorder 10 %, 8 MiB).
 */
class ServeTunNetnsTest {
    private static final String DEV = "sn0";
    private static final String KERNEL4 = "198.18.0.1";
    private static final String HOST4 = "198.18.0.2";
    private static final int PORT = 8080;
    /** The impairment of acceptance 1, with a fixed seed so a failure can be rerun. */
    private static final String IMPAIR = "loss=0.05,reorder=0.1,seed=23";

    private Lab.Netns ns;
    private Lab.Background serve;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "curl");
        ns = Lab.Netns.create("snH");
        ns.addTun(DEV, KERNEL4 + "/15", null);
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(serve, ns);
    }

    @Test
    void curlFetchesPostsAndReusesOneConnection() throws Exception {
        exercise(null, 20_000_000, 10 << 20, Duration.ofSeconds(120));
    }

    /**
     * Issue 5 acceptance 1 on an impaired path. Slow (minutes): sansnet's TCP as the sender on a lossy path recovers
     * far more slowly than Linux does (about 1 Mbit/s here; see issue 4's notes), so each curl call gets 300 s.
     */
    @Test
    void curlFetchesPostsAndReusesOneConnectionOverImpairedPath() throws Exception {
        exercise(IMPAIR, 8 << 20, 8 << 20, Duration.ofSeconds(180));
    }

    private void exercise(String impair, int generated, int bodies, Duration limit) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path file = Lab.randomFile(root.resolve("site.bin"), bodies, 5);
        Path post = Lab.randomFile(tmp.resolve("post.bin"), bodies, 6);
        List<String> args = new ArrayList<>(List.of(
                "serve",
                "--tun",
                DEV,
                "--addr",
                HOST4 + "/15",
                "--port",
                String.valueOf(PORT),
                "--root",
                root.toString()));
        if (impair != null) {
            args.addAll(List.of("--impair", impair, "--quiet"));
        }
        serve = Lab.Background.start(Lab.inNetns(ns.name, Lab.sansnet(args.toArray(String[]::new))));
        serve.awaitOutput("serve: listening on http://" + HOST4 + ":" + PORT, Duration.ofSeconds(30));
        String base = "http://" + HOST4 + ":" + PORT;
        long start = System.nanoTime();

        Path got = tmp.resolve("bytes.out");
        curl(limit, "-o", got.toString(), base + "/bytes/" + generated);
        assertThat(Files.size(got)).isEqualTo(generated);
        assertThat(Lab.sha256(got)).as("GET /bytes/%d", generated).isEqualTo(Lab.sha256(pattern(generated)));

        Path gotFile = tmp.resolve("file.out");
        curl(limit, "-o", gotFile.toString(), base + "/site.bin");
        assertThat(Lab.sha256(gotFile)).as("static file").isEqualTo(Lab.sha256(file));

        Path echoed = tmp.resolve("echo.out");
        curl(
                limit,
                "-o",
                echoed.toString(),
                "-H",
                "Content-Type: application/octet-stream",
                "--data-binary",
                "@" + post,
                base + "/echo");
        assertThat(Lab.sha256(echoed)).as("POST /echo").isEqualTo(Lab.sha256(post));

        // 100 requests in one curl run: curl reuses its connection, so only the first one connects.
        List<String> many = new ArrayList<>(List.of("-w", "%{num_connects}\\n"));
        for (int i = 0; i < 100; i++) {
            many.addAll(List.of("-o", "/dev/null", base + "/plaintext"));
        }
        Lab.Result r = curl(limit, many.toArray(String[]::new));
        List<String> connects = r.out().lines().toList();
        assertThat(connects).hasSize(100);
        assertThat(connects.get(0)).isEqualTo("1");
        assertThat(connects.subList(1, 100)).as("keep-alive: no new connection").containsOnly("0");
        System.out.println("serve --tun" + (impair == null ? "" : " --impair " + impair) + ": all transfers in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");

        Lab.Result s = serve.stopOk(Duration.ofSeconds(20));
        // bytes, file, echo, and one keep-alive connection for the 100 requests
        assertThat(s.out()).as(s.describe()).contains("accepted 4");
        if (impair == null) {
            assertThat(s.out())
                    .contains("\"GET /bytes/" + generated + " HTTP/1.1\" 200 " + generated)
                    .contains("\"POST /echo HTTP/1.1\" 200");
            assertThat(s.out().lines().filter(l -> l.contains("\"GET /plaintext HTTP/1.1\" 200")))
                    .hasSize(100);
        } else {
            assertThat(s.out()).contains("impair: ", "loss=0.05");
        }
    }

    private Lab.Result curl(Duration limit, String... args) {
        List<String> c = new ArrayList<>(List.of("curl", "-sS", "--fail", "-m", String.valueOf(limit.toSeconds())));
        c.addAll(List.of(args));
        return Lab.ok(limit.plusSeconds(10), Lab.inNetns(ns.name, c));
    }

    private Path pattern(int n) throws IOException {
        Path p = tmp.resolve("pattern.bin");
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        Files.write(p, b);
        return p;
    }
}
