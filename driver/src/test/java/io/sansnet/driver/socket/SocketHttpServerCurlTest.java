package io.sansnet.driver.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.server.HttpServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance item 2 over the socket driver: curl (the kernel's TCP on loopback) downloads, uploads and reuses one
 * keep-alive connection; hashes must match.
 */
class SocketHttpServerCurlTest {
    @TempDir
    static Path dir;

    static Path root;
    static SocketHttpServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        boolean haveCurl = new ProcessBuilder("curl", "--version").start().waitFor() == 0;
        if ("true".equals(System.getenv("CI")))
            assertThat(haveCurl).as("curl is needed in CI").isTrue();
        Assumptions.assumeTrue(haveCurl, "curl is not installed");
        root = Files.createDirectory(dir.resolve("root"));
        server = Servers.start(new DirectoryFileSource(root), HttpServerConfig.DEFAULT);
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Runs curl with {@code args}; returns stdout (stderr goes to {@code err} when given). */
    static byte[] curl(Path err, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(err == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(err.toFile()));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(70, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl exit status for " + cmd).isZero();
        return out;
    }

    @Test
    void downloads20MillionGeneratedBytes() throws Exception {
        Path out = dir.resolve("bytes.out");
        curl(null, "-o", out.toString(), base + "/bytes/20000000");
        assertThat(Files.size(out)).isEqualTo(20_000_000L);
        assertThat(Servers.sha256(Files.readAllBytes(out))).isEqualTo(Servers.patternSha256(20_000_000L));
    }

    @Test
    void downloadsAStaticFile() throws Exception {
        byte[] content = new byte[3_000_001];
        new Random(7).nextBytes(content);
        Files.write(root.resolve("file.bin"), content);
        byte[] got = curl(null, base + "/file.bin");
        assertThat(Servers.sha256(got)).isEqualTo(Servers.sha256(content));
        byte[] range = curl(null, "-r", "1000-1999", base + "/file.bin");
        assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, 2000));
    }

    @Test
    void postsTenMebibytesToEchoWithLengthAndChunked() throws Exception {
        byte[] content = new byte[10 << 20];
        new Random(11).nextBytes(content);
        Path in = dir.resolve("upload.bin");
        Files.write(in, content);
        String expected = Servers.sha256(content);
        assertThat(Servers.sha256(curl(null, "--data-binary", "@" + in, base + "/echo")))
                .isEqualTo(expected);
        assertThat(Servers.sha256(
                        curl(null, "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + in, base + "/echo")))
                .isEqualTo(expected);
    }

    @Test
    void reusesOneKeepAliveConnectionFor100Requests() throws Exception {
        List<String> args = new ArrayList<>(List.of("-v"));
        for (int i = 0; i < 100; i++) args.add(base + "/plaintext");
        long before = server.acceptedConnections();
        Path err = dir.resolve("curl-v.txt");
        String out = new String(curl(err, args.toArray(new String[0])), StandardCharsets.UTF_8);
        assertThat(out.split("Hello, World!", -1)).hasSize(101);
        String verbose = Files.readString(err);
        assertThat(countOf(verbose, "Connected to")).isEqualTo(1);
        assertThat(countOf(verbose, "e-using existing connection")).isEqualTo(99);
        assertThat(server.acceptedConnections() - before).isEqualTo(1);
    }

    @Test
    void symlinkOutOfTheRootIsForbidden() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Path err = dir.resolve("status.txt");
        byte[] status = curl(err, "-o", "/dev/null", "-w", "%{http_code}", base + "/link.txt");
        assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("403");
        byte[] dots = curl(err, "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + "/../outside.txt");
        assertThat(new String(dots, StandardCharsets.US_ASCII)).isEqualTo("403");
    }

    static int countOf(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    static void ignore(IOException e) {}
}
