package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.app.App;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code udp-echo}: the client sends numbered messages of random sizes (some larger than the MTU, so they are
 * fragmented) to the server's echo port over IPv4 and IPv6 alternately, and retransmits each with exponential backoff
 * until it is answered. The server echoes every datagram it receives.
 *
 * <p>Invariants: every message is answered; every answer carries exactly the bytes sent, comes from the server's echo
 * port and answers a message that was sent. With the test-only bug switch the server silently drops every 7th message
 * (and its retries), which these invariants catch.
 */
public final class UdpEchoScenario implements Scenario {

    /** The echo service's port (RFC 862). */
    public static final int ECHO_PORT = 7;
    /** First retransmission timeout; doubles per attempt (RFC 8085 §3.1.3 asks for exponential backoff). */
    public static final long INITIAL_RTO_NANOS = 250_000_000L;
    /** Largest retransmission timeout. */
    public static final long MAX_RTO_NANOS = 2_000_000_000L;
    /**
     * Attempts per message before the client gives up (a failed run). At the heaviest rates the properties draw (loss
     * 0.3 and corruption 0.05 each way, two fragments each way) one attempt succeeds with probability about 0.2, so 60
     * attempts still failed about once in a million messages, which a long exploration does find (seed 1099511637756
     * of the benchmark); 200 attempts (about 400 s of virtual time at the 2 s cap, inside the 600 s deadline) make that
     * about 1e-19.
     */
    public static final int MAX_ATTEMPTS = 200;
    /** Message sizes: 4..MAX_SMALL bytes, and with probability BIG_CHANCE up to MAX_BIG (two fragments at MTU 1280). */
    public static final int MAX_SMALL = 1000;

    public static final int MAX_BIG = 2400;
    public static final double BIG_CHANCE = 0.1;

    private final boolean dropEverySeventh;

    private UdpEchoScenario(boolean dropEverySeventh) {
        this.dropEverySeventh = dropEverySeventh;
    }

    /** The correct scenario. */
    public static UdpEchoScenario correct() {
        return new UdpEchoScenario(false);
    }

    /** Test-only: the server drops every 7th message (ids 6, 13, 20, ...) each time it arrives. */
    public static UdpEchoScenario withDropEverySeventhBug() {
        return new UdpEchoScenario(true);
    }

    @Override
    public String name() {
        return dropEverySeventh ? "udp-echo-broken" : "udp-echo";
    }

    @Override
    public String description() {
        return dropEverySeventh
                ? "udp-echo with a test-only bug: the server drops every 7th message"
                : "UDP request/response with retries until every message is answered";
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        Client client = new Client(sim.rng("scenario:udp-echo:client"), options.messages(), new IpAddress[] {
            t.server().address(4), t.server().address(6)
        });
        t.server().install(new Server(dropEverySeventh));
        t.client().install(client);
        return client;
    }

    /** The echo server: application code against {@link AppHost} only. */
    static final class Server implements App {
        private final boolean dropEverySeventh;

        Server(boolean dropEverySeventh) {
            this.dropEverySeventh = dropEverySeventh;
        }

        @Override
        public void start(AppHost host) {
            host.bindUdp(ECHO_PORT, this::onDatagram).value();
        }

        private void onDatagram(UdpSocket socket, Datagram d) {
            byte[] payload = d.payload().toArray();
            if (dropEverySeventh && payload.length >= 4 && readId(payload) % 7 == 6) {
                return; // the deliberate bug
            }
            socket.send(d.source(), d.sourcePort(), payload);
        }
    }

    static int readId(byte[] p) {
        return (p[0] & 0xFF) << 24 | (p[1] & 0xFF) << 16 | (p[2] & 0xFF) << 8 | (p[3] & 0xFF);
    }

    /** The client and the judge: its state survives a crash of its host (as if kept on disk). */
    static final class Client implements App, Run {
        private final byte[][] messages;
        private final int[] attempts;
        private final boolean[] answered;
        private final Cancellable[] retries;
        private final IpAddress[] serverAddresses;
        private final List<String> violations = new ArrayList<>();
        private int answeredCount;
        private int gaveUp;
        private long duplicateAnswers;
        private long sends;
        private AppHost host;
        private UdpSocket socket;

        Client(SplitMix64 rng, int n, IpAddress[] server) {
            messages = new byte[n][];
            attempts = new int[n];
            answered = new boolean[n];
            retries = new Cancellable[n];
            serverAddresses = server.clone();
            for (int i = 0; i < n; i++) {
                int len = rng.chance(BIG_CHANCE) ? 4 + rng.nextInt(MAX_BIG - 3) : 4 + rng.nextInt(MAX_SMALL - 3);
                byte[] m = new byte[len];
                rng.nextBytes(m);
                m[0] = (byte) (i >>> 24);
                m[1] = (byte) (i >>> 16);
                m[2] = (byte) (i >>> 8);
                m[3] = (byte) i;
                messages[i] = m;
            }
        }

        @Override
        public void start(AppHost h) {
            host = h;
            socket = h.bindUdp(this::onDatagram).value();
            for (int i = 0; i < messages.length; i++) {
                if (!answered[i] && attempts[i] <= MAX_ATTEMPTS) {
                    send(i);
                }
            }
        }

        private void send(int i) {
            if (attempts[i] == MAX_ATTEMPTS) {
                attempts[i]++;
                gaveUp++;
                violations.add("message " + i + " unanswered after " + MAX_ATTEMPTS + " attempts");
                return;
            }
            attempts[i]++;
            sends++;
            AppResult<Void> r = socket.send(serverAddresses[i % 2], ECHO_PORT, messages[i]);
            if (!r.isOk() && r.error().kind() != io.sansnet.stack.app.AppError.Kind.WOULD_BLOCK) {
                violations.add("message " + i + ": send failed: " + r.error());
            }
            long rto = Math.min(MAX_RTO_NANOS, INITIAL_RTO_NANOS << Math.min(attempts[i] - 1, 10));
            retries[i] = host.schedule(rto, () -> {
                if (!answered[i]) {
                    send(i);
                }
            });
        }

        private void onDatagram(UdpSocket s, Datagram d) {
            byte[] p = d.payload().toArray();
            if (d.sourcePort() != ECHO_PORT
                    || !(d.source().equals(serverAddresses[0]) || d.source().equals(serverAddresses[1]))) {
                violations.add("answer from an unexpected sender " + d.source() + ":" + d.sourcePort());
                return;
            }
            int id = p.length >= 4 ? readId(p) : -1;
            if (id < 0 || id >= messages.length) {
                violations.add("answer to a message never sent (" + p.length + " bytes)");
                return;
            }
            if (!Arrays.equals(p, messages[id])) {
                violations.add("answer to message " + id + " differs from what was sent");
                return;
            }
            if (!d.source().equals(serverAddresses[id % 2])) {
                violations.add(
                        "answer to message " + id + " from " + d.source() + ", sent to " + serverAddresses[id % 2]);
            }
            if (answered[id]) {
                duplicateAnswers++;
                return;
            }
            answered[id] = true;
            answeredCount++;
            if (retries[id] != null) {
                retries[id].cancel();
            }
        }

        @Override
        public boolean finished() {
            return answeredCount + gaveUp == messages.length || !violations.isEmpty();
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(violations);
            if (v.isEmpty() && answeredCount < messages.length) {
                v.add((messages.length - answeredCount) + " of " + messages.length + " messages never answered");
            }
            return v;
        }

        @Override
        public List<String[]> facts() {
            return List.of(
                    new String[] {"messages", Integer.toString(messages.length)},
                    new String[] {"answered", Integer.toString(answeredCount)},
                    new String[] {"transmissions", Long.toString(sends)},
                    new String[] {"duplicate-answers", Long.toString(duplicateAnswers)});
        }
    }
}
