package io.sansnet.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.wire.Ipv4Address;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TunAppHost}'s TCP ({@code TcpTransport}) driven from threads other than the loop, against the kernel's TCP
 * (socat) in a fresh network namespace: the kernel connects to an {@link TunAppHost.Acceptor}, sansnet connects to a
 * socat listener, bytes are hashed both ways; a connect to a closed port fails with {@link AppError.Kind#REFUSED}; the
 * callbacks run on the loop thread. Skipped without root, /dev/net/tun, ip or socat, unless CI=true, where that fails.
 */
class TunAppHostTcpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KERNEL = "198.18.0.1";
    private static final int BYTES = 3 << 20;

    @TempDir
    Path tmp;

    private String ns;
    private TunAppHost app;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        List<String> missing = new ArrayList<>();
        if (!run("id", "-u").trim().equals("0")) {
            missing.add("root");
        }
        if (!new File("/dev/net/tun").exists()) {
            missing.add("/dev/net/tun");
        }
        for (String tool : List.of("ip", "socat")) {
            if (run("sh", "-c", "command -v " + tool).isBlank()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            String msg = "TunAppHost TCP test needs " + missing;
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (CI=true: must run, not skip)");
            }
            Assumptions.abort(msg + "; skipped");
        }
        ns = "snC" + ProcessHandle.current().pid();
        check("ip", "netns", "add", ns);
        TunDevice dev = TunDevice.open("tcp0", ns);
        check("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.tcp0.disable_ipv6=1");
        check("ip", "-n", ns, "link", "set", "lo", "up");
        check("ip", "-n", ns, "addr", "add", KERNEL + "/15", "dev", "tcp0");
        check("ip", "-n", ns, "link", "set", "tcp0", "up");
        Host host = new Host(HostConfig.builder().ipv4("198.18.0.2/15").build(), new SplitMix64(21));
        app = TunAppHost.start(dev, host, FaultSpec.NONE, 21, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            if (app != null) {
                app.close();
                assertThat(app.loop().failure()).isNull();
            }
        } finally {
            if (ns != null) {
                run("ip", "netns", "del", ns);
            }
        }
    }

    @Test
    void theKernelConnectsToAnAcceptorAndBytesHashTheSameBothWays() throws Exception {
        Path in = file("kernel-sends", BYTES, 1);
        Path out = tmp.resolve("kernel-got");
        byte[] ours = pattern(BYTES, 2);

        AppResult<TunAppHost.Acceptor> listening = app.listen(5001, 4);
        assertThat(listening.isOk()).as("%s", listening).isTrue();
        assertThat(app.listen(5001, 4).error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
        var accepted = listening.value().accept(); // a future, taken before the kernel connects
        Process socat = start("socat", "-t", "30", "OPEN:" + in + ",rdonly!!CREATE:" + out, "TCP:198.18.0.2:5001");

        AppResult<TcpStream> s = app.await(accepted, WAIT);
        assertThat(s.isOk()).as("%s", s).isTrue();
        TcpStream stream = s.value();
        assertThat(stream.remoteAddress()).isEqualTo(Ipv4Address.of(KERNEL));
        Exchange x = exchange(stream, ours);

        assertThat(socat.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(socat.exitValue()).isZero();
        assertThat(x.received.get(60, TimeUnit.SECONDS)).isEqualTo(sha256(Files.readAllBytes(in)));
        assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(ours));
        assertThat(app.await(stream.closed(), WAIT).value()).isEqualTo(CloseReason.GRACEFUL);
        assertThat(x.callbacks).isPositive();
        assertThat(x.callbacksOnLoop)
                .as("every stream callback ran on the loop thread")
                .isTrue();
        listening.value().close();
        assertThat(app.await(listening.value().accept(), WAIT).error().kind()).isEqualTo(AppError.Kind.CLOSED);
    }

    @Test
    void connectsToAKernelListenerAndAClosedPortIsRefused() throws Exception {
        AppResult<TcpStream> refused = app.await(app.connect(Ipv4Address.of(KERNEL), 5003), WAIT);
        assertThat(refused.isOk()).isFalse();
        assertThat(refused.error().kind()).isEqualTo(AppError.Kind.REFUSED);

        Path in = file("listener-sends", BYTES, 3);
        Path out = tmp.resolve("listener-got");
        byte[] ours = pattern(BYTES, 4);
        Process socat =
                start("socat", "-t", "30", "TCP-LISTEN:5002,reuseaddr", "OPEN:" + in + ",rdonly!!CREATE:" + out);
        AppResult<TcpStream> s = null;
        for (int attempt = 0; attempt < 100; attempt++) { // until socat listens
            s = app.await(app.connect(Ipv4Address.of(KERNEL), 5002), WAIT);
            if (s.isOk() || s.error().kind() != AppError.Kind.REFUSED) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(s.isOk()).as("%s", s).isTrue();
        Exchange x = exchange(s.value(), ours);

        assertThat(socat.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(x.received.get(60, TimeUnit.SECONDS)).isEqualTo(sha256(Files.readAllBytes(in)));
        assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(ours));
        assertThat(app.await(s.value().closed(), WAIT).value()).isEqualTo(CloseReason.GRACEFUL);
        assertThat(x.callbacks).isPositive();
        assertThat(x.callbacksOnLoop)
                .as("every stream callback ran on the loop thread")
                .isTrue();
    }

    /** Both directions at once from two test threads: send all of {@code data} then close; read until the end. */
    private Exchange exchange(TcpStream stream, byte[] data) {
        Exchange x = new Exchange();
        Semaphore writable = new Semaphore(0);
        Semaphore readable = new Semaphore(0);
        stream.onWritable(() -> {
            x.noteCallback(app.inLoop());
            writable.release();
        });
        stream.onReadable(() -> {
            x.noteCallback(app.inLoop());
            readable.release();
        });
        Thread sender = new Thread(() -> {
            ByteBuffer b = ByteBuffer.wrap(data);
            try {
                while (b.hasRemaining()) {
                    if (stream.send(b) == 0) {
                        writable.tryAcquire(20, TimeUnit.MILLISECONDS);
                    }
                }
                stream.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread receiver = new Thread(() -> {
            MessageDigest md = sha256();
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            try {
                while (true) {
                    b.clear();
                    int n = stream.receive(b);
                    if (n < 0) {
                        break;
                    }
                    if (n == 0) {
                        readable.tryAcquire(20, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    md.update(b.array(), 0, n);
                }
                x.received.complete(HexFormat.of().formatHex(md.digest()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        receiver.start();
        return x;
    }

    private static final class Exchange {
        final CompletableFuture<String> received = new CompletableFuture<>();
        volatile boolean callbacksOnLoop = true;
        volatile int callbacks;

        void noteCallback(boolean onLoop) {
            callbacks++;
            if (!onLoop) {
                callbacksOnLoop = false;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha256().digest(b));
    }

    private static byte[] pattern(int n, long seed) {
        byte[] b = new byte[n];
        new SplitMix64(seed).nextBytes(b);
        return b;
    }

    private Path file(String name, int n, long seed) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, pattern(n, seed));
        return p;
    }

    private Process start(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        tmp.resolve("socat-" + processes.size() + ".log").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private static void check(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
