package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.driver.TunAppHost;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.sim.LinkParams;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.app.App;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.wire.IpAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of {@link TcpTransport}: one TCP application ({@link HashExchange}, written only against
 * {@code io.sansnet.stack.app}) runs unchanged on simulated hosts and on a real TUN device against the kernel's TCP
 * (socat) in a fresh network namespace. It sends a seeded pattern, hashes what it receives, half-closes after its last
 * octet and reports when the connection ended; as a server ({@code listen}) or a client ({@code connect}). Skipped
 * without root, /dev/net/tun, ip or socat, unless CI=true (then it fails).
 */
class TcpCrossTransportTest {
    static final String KERNEL_V4 = "198.18.0.1";
    static final String OUR_V4 = "198.18.0.2";
    static final int BYTES = 2 << 20;
    static final int PORT = 5005;

    @TempDir
    Path tmp;

    /** The application: one connection, both directions at once, results as a future. Runs on the owning loop. */
    static final class HashExchange implements App {
        /** What one end saw: octets and SHA-256 of what arrived, and how the connection ended. */
        record Outcome(long received, String sha256, CloseReason closed) {}

        private final IpAddress connectTo; // null: listen on PORT
        private final byte[] toSend;
        final CompletableFuture<AppResult<Outcome>> outcome = new CompletableFuture<>();

        HashExchange(IpAddress connectTo, byte[] toSend) {
            this.connectTo = connectTo;
            this.toSend = toSend;
        }

        @Override
        public void start(AppHost host) {
            TcpTransport tcp = (TcpTransport) host; // a simulated host and the TUN driver both offer TCP
            if (connectTo == null) {
                AppResult<?> r = tcp.listen(PORT, 4, s -> run(host, s));
                if (!r.isOk()) {
                    outcome.complete(AppResult.err(r.error().kind(), r.error().detail()));
                }
            } else {
                tcp.connect(connectTo, PORT).onComplete(r -> {
                    if (r.isOk()) {
                        run(host, r.value());
                    } else {
                        outcome.complete(
                                AppResult.err(r.error().kind(), r.error().detail()));
                    }
                });
            }
        }

        private void run(AppHost host, TcpStream s) {
            ByteBuffer out = ByteBuffer.wrap(toSend);
            ByteBuffer in = ByteBuffer.allocate(32 * 1024);
            MessageDigest md = sha256();
            long[] received = {0};
            boolean[] finSent = {false};
            Promise<Void> readAll = host.newPromise();
            Runnable pump = () -> {
                while (out.hasRemaining() && s.send(out) > 0) {}
                if (!out.hasRemaining() && !finSent[0]) {
                    finSent[0] = true;
                    s.close(); // our FIN after the last octet; keep reading (half-close)
                }
            };
            Runnable drain = () -> {
                while (true) {
                    in.clear();
                    int n = s.receive(in);
                    if (n < 0) {
                        readAll.complete(null);
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                    md.update(in.array(), 0, n);
                    received[0] += n;
                }
            };
            s.onWritable(pump);
            s.onReadable(drain);
            pump.run();
            drain.run();
            AppFuture<CloseReason> closed = s.closed();
            readAll.flatMap(v -> closed)
                    .onComplete(r -> outcome.complete(
                            r.isOk()
                                    ? AppResult.ok(new Outcome(
                                            received[0], HexFormat.of().formatHex(md.digest()), r.value()))
                                    : AppResult.err(r.error().kind(), r.error().detail())));
        }
    }

    @Test
    void theSameAppExchangesHashedBytesBetweenTwoSimulatedHosts() throws Exception {
        Simulation sim = Simulation.create(7);
        SimHost server = sim.addHost(
                "server", HostConfig.builder().ipv4(KERNEL_V4 + "/15").build());
        SimHost client =
                sim.addHost("client", HostConfig.builder().ipv4(OUR_V4 + "/15").build());
        sim.connect(server, client, LinkParams.DEFAULT);
        byte[] a = pattern(BYTES, 1);
        byte[] b = pattern(BYTES, 2);
        HashExchange serving = new HashExchange(null, a);
        HashExchange connecting = new HashExchange(server.address(4), b);
        server.install(serving);
        client.install(connecting);
        sim.runUntil(() -> serving.outcome.isDone() && connecting.outcome.isDone());

        assertThat(serving.outcome.get().value())
                .isEqualTo(new HashExchange.Outcome(BYTES, sha256(b), CloseReason.GRACEFUL));
        assertThat(connecting.outcome.get().value())
                .isEqualTo(new HashExchange.Outcome(BYTES, sha256(a), CloseReason.GRACEFUL));

        // refused is its own kind in the simulator too
        HashExchange nobody = new HashExchange(client.address(4), b);
        server.install(nobody);
        sim.runUntil(nobody.outcome::isDone);
        assertThat(nobody.outcome.get().error().kind()).isEqualTo(AppError.Kind.REFUSED);
    }

    @Test
    void theSameAppServesAndConnectsToTheKernelThroughTun() throws Exception {
        Lab.require("ip", "socat");
        try (Lab.Netns ns = Lab.Netns.create("snY")) {
            TunDevice dev = TunDevice.open("yt0", ns.name);
            Lab.ok(
                    Duration.ofSeconds(10),
                    Lab.inNetns(ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.yt0.disable_ipv6=1"));
            Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "addr", "add", KERNEL_V4 + "/15", "dev", "yt0");
            Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "link", "set", "yt0", "up");
            Host host = new Host(HostConfig.builder().ipv4(OUR_V4 + "/15").build(), new SplitMix64(5));
            try (TunAppHost app = TunAppHost.start(dev, host, FaultSpec.NONE, 5, null)) {
                // the kernel connects to the app
                Path kernelSends = write("k1", pattern(BYTES, 3));
                Path kernelGot = tmp.resolve("k1-got");
                byte[] ours = pattern(BYTES, 4);
                HashExchange serving = new HashExchange(null, ours);
                app.execute(() -> serving.start(app));
                Lab.Background socat = Lab.Background.start(Lab.inNetns(
                        ns.name,
                        "socat",
                        "-t",
                        "30",
                        "OPEN:" + kernelSends + ",rdonly!!CREATE:" + kernelGot,
                        "TCP:" + OUR_V4 + ":" + PORT + ",retry=50,interval=0.1"));
                HashExchange.Outcome o =
                        serving.outcome.get(60, TimeUnit.SECONDS).value();
                assertThat(socat.waitFor(Duration.ofSeconds(60)).exit()).isZero();
                assertThat(o)
                        .isEqualTo(new HashExchange.Outcome(
                                BYTES, sha256(Files.readAllBytes(kernelSends)), CloseReason.GRACEFUL));
                assertThat(sha256(Files.readAllBytes(kernelGot))).isEqualTo(sha256(ours));

                // the app connects to the kernel
                Path listenerSends = write("k2", pattern(BYTES, 5));
                Path listenerGot = tmp.resolve("k2-got");
                Lab.Background listener = Lab.Background.start(Lab.inNetns(
                        ns.name,
                        "socat",
                        "-t",
                        "30",
                        "TCP-LISTEN:" + PORT + ",reuseaddr",
                        "OPEN:" + listenerSends + ",rdonly!!CREATE:" + listenerGot));
                waitForListener(ns);
                byte[] ours2 = pattern(BYTES, 6);
                HashExchange connecting = new HashExchange(IpAddress.of(KERNEL_V4), ours2);
                app.execute(() -> connecting.start(app));
                HashExchange.Outcome o2 =
                        connecting.outcome.get(60, TimeUnit.SECONDS).value();
                assertThat(listener.waitFor(Duration.ofSeconds(60)).exit()).isZero();
                assertThat(o2)
                        .isEqualTo(new HashExchange.Outcome(
                                BYTES, sha256(Files.readAllBytes(listenerSends)), CloseReason.GRACEFUL));
                assertThat(sha256(Files.readAllBytes(listenerGot))).isEqualTo(sha256(ours2));
                assertThat(app.loop().failure()).isNull();
            }
        }
    }

    private static void waitForListener(Lab.Netns ns) {
        for (int i = 0; i < 100; i++) {
            if (ns.exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + PORT)
                    .out()
                    .contains(":" + PORT)) {
                return;
            }
            Lab.sleep(50);
        }
        throw new AssertionError("socat does not listen on " + PORT);
    }

    private Path write(String name, byte[] b) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    static byte[] pattern(int n, long seed) {
        byte[] b = new byte[n];
        new SplitMix64(seed).nextBytes(b);
        return b;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha256().digest(b));
    }
}
