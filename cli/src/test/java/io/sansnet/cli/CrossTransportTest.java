package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.driver.TunAppHost;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.sim.LinkParams;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.app.App;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The point of the application interface: one application ({@link EchoProbe}, written only against
 * {@code io.sansnet.stack.app}) runs unchanged on a simulated host and on a real TUN device in a fresh network
 * namespace, with identical results. It serves UDP echo on port 7, sends numbered messages (one of them fragmented) to
 * its peer's echo port over IPv4 and IPv6 with retransmission until each is answered, then pings the peer over both
 * versions. Its transcript (no timings) must be the same in both worlds.
 *
 * <p>The peer: in the simulation another simulated host running the same probe; on the TUN device the Linux kernel,
 * with {@link KernelPeer} (a plain Java program run with {@code ip netns exec}) as its echo server and as a client of
 * the probe's echo service. Skipped without root, /dev/net/tun or ip, unless CI=true (then it fails).
 */
class CrossTransportTest {
    static final String PEER_V4 = "198.18.0.1";
    static final String PEER_V6 = "fd00:5a::1";
    static final String OUR_V4 = "198.18.0.2";
    static final String OUR_V6 = "fd00:5a::2";
    static final int MESSAGES = 10;
    static final long SEED = 2026;

    @Test
    void theSameEchoAppGivesTheSameTranscriptInTheSimulatorAndOnARealTunDevice() throws Exception {
        List<String> simulated = runInSimulator();
        assertThat(simulated).hasSize(MESSAGES + 2).allMatch(l -> l.endsWith(": ok"), "every line ok");

        Lab.require("ip");
        List<String> real;
        try (Lab.Netns ns = Lab.Netns.create("snX")) {
            real = runOnTun(ns);
        }
        assertThat(real).as("the same application on a real TUN device").isEqualTo(simulated);
    }

    private static List<String> runInSimulator() {
        Simulation sim = Simulation.create(SEED);
        SimHost peer = sim.addHost(
                "peer",
                HostConfig.builder().ipv4(PEER_V4 + "/15").ipv6(PEER_V6 + "/64").build());
        SimHost ours = sim.addHost(
                "ours",
                HostConfig.builder().ipv4(OUR_V4 + "/15").ipv6(OUR_V6 + "/64").build());
        sim.connect(peer, ours, LinkParams.DEFAULT);
        EchoProbe peerProbe = new EchoProbe(ours.address(4), ours.address(6), MESSAGES, SEED + 1);
        EchoProbe probe = new EchoProbe(peer.address(4), peer.address(6), MESSAGES, SEED);
        peer.install(peerProbe);
        ours.install(probe);
        sim.runUntil(() -> probe.done != null && peerProbe.done != null);
        List<String> transcript = sim.await(probe.done);
        // the probe's echo service answered its peer, as the kernel peer checks on the TUN side
        assertThat(sim.await(peerProbe.done)).allMatch(l -> l.endsWith(": ok"));
        assertThat(probe.served).isGreaterThanOrEqualTo(MESSAGES);
        return transcript;
    }

    private static List<String> runOnTun(Lab.Netns ns) throws Exception {
        TunDevice dev = TunDevice.open("xt0", ns.name);
        Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "addr", "add", PEER_V4 + "/15", "dev", "xt0");
        Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "addr", "add", PEER_V6 + "/64", "dev", "xt0", "nodad");
        Lab.ok(Duration.ofSeconds(10), "ip", "-n", ns.name, "link", "set", "xt0", "up");
        Host host = new Host(
                HostConfig.builder().ipv4(OUR_V4 + "/15").ipv6(OUR_V6 + "/64").build(), new SplitMix64(SEED));
        Lab.Background kernelPeer = null;
        try (TunAppHost app = TunAppHost.start(dev, host, FaultSpec.NONE, SEED, null)) {
            kernelPeer = Lab.Background.start(Lab.inNetns(ns.name, javaMain(KernelPeer.class, OUR_V4, OUR_V6)));
            kernelPeer.awaitOutput("ready", Duration.ofSeconds(30));

            EchoProbe probe = new EchoProbe(IpAddress.of(PEER_V4), IpAddress.of(PEER_V6), MESSAGES, SEED);
            CompletableFuture<AppResult<List<String>>> finished = new CompletableFuture<>();
            app.execute(() -> {
                probe.start(app); // started on the owning loop, as a simulated host starts its apps
                probe.done.onComplete(finished::complete);
            });
            AppResult<List<String>> r = finished.get(60, TimeUnit.SECONDS);
            kernelPeer.awaitOutput(
                    "peer answered " + KernelPeer.MESSAGES + " of " + KernelPeer.MESSAGES, Duration.ofSeconds(30));
            Lab.Result peerResult = kernelPeer.stop(Duration.ofSeconds(5));
            assertThat(peerResult.out()).contains("ready");
            assertThat(app.loop().failure()).isNull();
            return r.value();
        } finally {
            if (kernelPeer != null) {
                kernelPeer.kill();
            }
        }
    }

    private static String[] javaMain(Class<?> main, String... args) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isEmpty()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> cmd = new ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                cp,
                main.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd.toArray(String[]::new);
    }

    /**
     * The application under test, written only against {@code io.sansnet.stack.app}: nothing here knows whether it
     * runs in a simulation or on a TUN device.
     */
    static final class EchoProbe implements App {
        static final int ECHO_PORT = 7; // RFC 862
        static final long RETRY_NANOS = 300_000_000L;
        static final int MAX_ATTEMPTS = 20;
        static final long PING_TIMEOUT_NANOS = 2_000_000_000L;

        private final IpAddress[] peer;
        private final byte[][] messages;
        private final boolean[] answered;
        private final int[] attempts;
        private final Cancellable[] retries;
        private final String[] lines;
        private int open;
        private AppHost host;
        private UdpSocket client;
        Promise<List<String>> done;
        long served;

        EchoProbe(IpAddress peerV4, IpAddress peerV6, int n, long seed) {
            peer = new IpAddress[] {peerV4, peerV6};
            SplitMix64 rng = new SplitMix64(seed);
            messages = new byte[n][];
            for (int i = 0; i < n; i++) {
                int len = i == 5 ? 2000 : 4 + rng.nextInt(900); // message 5 is fragmented at MTU 1500
                messages[i] = new byte[len];
                rng.nextBytes(messages[i]);
                messages[i][0] = (byte) i;
            }
            answered = new boolean[n];
            attempts = new int[n];
            retries = new Cancellable[n];
            lines = new String[n];
            open = n;
        }

        @Override
        public void start(AppHost h) {
            host = h;
            done = h.newPromise();
            h.bindUdp(ECHO_PORT, (socket, d) -> {
                        served++;
                        socket.send(d.source(), d.sourcePort(), d.payload().toArray());
                    })
                    .value();
            client = h.bindUdp(this::onAnswer).value();
            for (int i = 0; i < messages.length; i++) {
                send(i);
            }
        }

        private void send(int i) {
            if (answered[i]) {
                return;
            }
            if (attempts[i] == MAX_ATTEMPTS) {
                lines[i] = line(i) + ": unanswered";
                finishOne();
                return;
            }
            attempts[i]++;
            client.send(peer[i % 2], ECHO_PORT, messages[i]);
            retries[i] = host.schedule(RETRY_NANOS, () -> send(i));
        }

        private String line(int i) {
            return "echo " + i + " over IPv" + peer[i % 2].version() + ", " + messages[i].length + " bytes";
        }

        private void onAnswer(UdpSocket s, Datagram d) {
            byte[] p = d.payload().toArray();
            int i = p.length > 0 ? p[0] & 0xFF : -1;
            if (i < 0 || i >= messages.length || answered[i]) {
                return;
            }
            answered[i] = true;
            retries[i].cancel();
            boolean same = Arrays.equals(p, messages[i]) && d.source().equals(peer[i % 2]) && d.sourcePort() == 7;
            lines[i] = line(i) + (same ? ": ok" : ": wrong answer");
            finishOne();
        }

        private void finishOne() {
            if (--open > 0) {
                return;
            }
            List<String> transcript = new ArrayList<>(Arrays.asList(lines));
            byte[] probe = "are you there".getBytes(StandardCharsets.UTF_8);
            AppFuture<String> v4 = host.ping(peer[0], probe, PING_TIMEOUT_NANOS).map(rtt -> "ok");
            v4.onComplete(r4 -> {
                transcript.add(
                        "ping IPv4: " + (r4.isOk() ? r4.value() : r4.error().kind()));
                host.ping(peer[1], probe, PING_TIMEOUT_NANOS).onComplete(r6 -> {
                    transcript.add(
                            "ping IPv6: " + (r6.isOk() ? "ok" : r6.error().kind()));
                    done.complete(List.copyOf(transcript));
                });
            });
        }
    }

    /**
     * The kernel's side on the TUN device, run inside the namespace: an echo server on port 7 of both peer addresses,
     * and a client of the probe's echo service ({@link #MESSAGES} messages, retried until answered). Prints "ready"
     * once bound and "peer answered N of M" when its client is done; serves until killed (at most a minute).
     */
    static final class KernelPeer {
        static final int MESSAGES = 6;

        public static void main(String[] args) throws Exception {
            InetSocketAddress[] targets = {new InetSocketAddress(args[0], 7), new InetSocketAddress(args[1], 7)};
            Selector sel = Selector.open();
            DatagramChannel s4 = DatagramChannel.open(StandardProtocolFamily.INET);
            s4.bind(new InetSocketAddress(PEER_V4, 7));
            DatagramChannel s6 = DatagramChannel.open(StandardProtocolFamily.INET6);
            s6.bind(new InetSocketAddress(PEER_V6, 7));
            DatagramChannel c4 = DatagramChannel.open(StandardProtocolFamily.INET);
            DatagramChannel c6 = DatagramChannel.open(StandardProtocolFamily.INET6);
            DatagramChannel[] all = {s4, s6, c4, c6};
            for (DatagramChannel c : all) {
                c.configureBlocking(false);
                c.register(sel, SelectionKey.OP_READ, c);
            }
            System.out.println("ready");
            System.out.flush();
            boolean[] answered = new boolean[MESSAGES];
            int count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long nextSend = 0;
            ByteBuffer buf = ByteBuffer.allocate(65_536);
            while (System.nanoTime() < deadline) {
                if (count < MESSAGES && System.nanoTime() >= nextSend) {
                    for (int i = 0; i < MESSAGES; i++) {
                        if (!answered[i]) {
                            (i % 2 == 0 ? c4 : c6).send(ByteBuffer.wrap(message(i)), targets[i % 2]);
                        }
                    }
                    nextSend = System.nanoTime() + 300_000_000L;
                }
                sel.select(100);
                for (SelectionKey k : sel.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) k.attachment();
                    for (SocketAddress from; (from = ch.receive(buf.clear())) != null; ) {
                        buf.flip();
                        if (ch == s4 || ch == s6) {
                            ch.send(buf, from); // RFC 862 echo
                        } else {
                            byte[] got = new byte[buf.remaining()];
                            buf.get(got);
                            int i = got.length > 0 ? got[0] : -1;
                            if (i >= 0 && i < MESSAGES && !answered[i] && Arrays.equals(got, message(i))) {
                                answered[i] = true;
                                count++;
                                if (count == MESSAGES) {
                                    System.out.println("peer answered " + count + " of " + MESSAGES);
                                    System.out.flush();
                                }
                            }
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
        }

        static byte[] message(int i) {
            byte[] m = ("kernel peer message " + i).getBytes(StandardCharsets.UTF_8);
            m[0] = (byte) i;
            return m;
        }
    }
}
