package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.LinkParams;
import io.sansnet.sim.RawHost;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpListener;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code syn-flood}: an attacker floods the server's listening port with SYNs from spoofed sources in 198.19.0.0/24
 * (in the upper half of the 198.18.0.0/15 benchmarking range, RFC 2544, away from every host of the run) and random
 * ports, and never answers, while a legitimate client connects to the same port and transfers {@link #bytes()} octets
 * each way, then both close. The simulation routes the spoofed addresses to the attacker's clean link, so the server's
 * replies to them die there, as they would in the unrouted space behind a real attacker; the client's link carries the
 * fault plan ({@link Topology#twoHosts}).
 *
 * <p>The server listens with a backlog of {@link #BACKLOG}: the flood fills its SYN queue within milliseconds and the
 * layer answers further SYNs with SYN cookies (RFC 4987 §3.6, {@code TcpLayer}'s default {@code tcp_syncookies=1}).
 *
 * <p>Invariants: the client's connection completes, through the SYN queue or a validated cookie, and every octet
 * arrives exactly once and in order both ways with one GRACEFUL Closed per end (as in {@code bulk}); the server
 * accepts exactly that one connection; after every event its SYN queue holds at most {@link #BACKLOG} connections and
 * its table at most {@code BACKLOG + 1} (no state per flooded SYN beyond the queue); both TCP layers end empty. With a
 * host crash in the plan only the exact-prefix rule holds and the client's connection must end.
 */
public final class SynFloodScenario extends TcpTransferScenario {

    /** The port the server listens on and the attacker floods. */
    public static final int PORT = 80;
    /** The server's listen backlog, so its SYN queue's bound. */
    public static final int BACKLOG = 16;
    /** Octets each way by default. */
    public static final long DEFAULT_BYTES = 64 * 1024;
    /** Largest transfer per direction. */
    public static final long MAX_BYTES = 1L << 30;
    /** Most SYNs one flood sends: bounds a run's work while the client's transfer is slow. */
    public static final int MAX_FLOOD_SYNS = 1000;
    /** Slowest and fastest flood drawn, SYNs per second. */
    public static final int MIN_SYN_RATE = 2_000;

    public static final int MAX_SYN_RATE = 20_000;
    /** The client starts within this long after the flood: usually after the SYN queue filled, sometimes before. */
    public static final long MAX_CLIENT_DELAY_NANOS = 20_000_000L;
    /** The attacker's own address (it sends only from spoofed ones). */
    public static final String ATTACKER_V4 = "198.18.0.66";
    /** Spoofed sources the flood draws from (198.19.0.0/24), each with random ports: distinct 4-tuples. */
    public static final int SPOOFED_SOURCES = 256;

    /** A transfer of {@code bytes} octets each way (1..{@link #MAX_BYTES}) under a flood. */
    public SynFloodScenario(long bytes) {
        super(bytes, DEFAULT_BYTES, MAX_BYTES);
    }

    public SynFloodScenario() {
        this(DEFAULT_BYTES);
    }

    @Override
    public String name() {
        return "syn-flood";
    }

    @Override
    public String description() {
        return "spoofed SYNs flood the server's port while a client connects and transfers " + bytes()
                + " bytes each way (SYN queue, then SYN cookies)";
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        SimHost client = t.client();
        SimHost server = t.server();
        // The attacker owns the spoofed sources, so the server's replies to them go back over its link and die there.
        IpAddress[] addresses = new IpAddress[SPOOFED_SOURCES + 1];
        addresses[0] = Ipv4Address.of(ATTACKER_V4);
        for (int i = 0; i < SPOOFED_SOURCES; i++) {
            addresses[i + 1] = spoofed(i);
        }
        RawHost attacker = sim.addRawHost("attacker", addresses);
        sim.connect(
                attacker,
                server,
                LinkParams.DEFAULT
                        .withLatencyNanos(plan.linkParams().latencyNanos())
                        .withMtu(plan.linkParams().mtu()));

        SplitMix64 rng = sim.rng("scenario:syn-flood");
        long c2s = rng.nextLong();
        long s2c = rng.nextLong();
        int version = rng.nextBoolean() ? 4 : 6;
        long rateNanos = 1_000_000_000L / (MIN_SYN_RATE + rng.nextInt(MAX_SYN_RATE - MIN_SYN_RATE + 1));
        long clientDelay = rng.nextLong(MAX_CLIENT_DELAY_NANOS + 1);
        boolean crashes = crashes(plan);
        Judge j = new Judge(
                sim,
                t,
                attacker,
                crashes,
                rateNanos,
                sim.rng("scenario:syn-flood:attacker"),
                new Transfer(t, c2s, s2c, e -> e));
        server.install(h -> j.transfer.startServer(h, PORT, BACKLOG, s -> {}));
        client.install(
                h -> h.schedule(clientDelay, () -> j.transfer.startClient(h, server.address(version), PORT, s -> {})));
        attacker.onReceive(p -> j.spoofedReplies++);
        sim.schedule(0, j::flood);
        return j;
    }

    /** Spoofed source {@code i} (0..{@link #SPOOFED_SOURCES} - 1): 198.19.0.0/24. */
    static Ipv4Address spoofed(int i) {
        return Ipv4Address.of(198, 19, i >>> 8, i & 0xFF);
    }

    /** The attacker, the applications of both hosts and the judge of the run. */
    private final class Judge implements Run {
        private final Simulation sim;
        private final Topology topology;
        private final RawHost attacker;
        private final boolean crashes;
        private final long rateNanos;
        private final SplitMix64 rng;
        private final Transfer transfer;
        private int synsSent;
        private long spoofedReplies;
        private int maxSynQueue;
        private int maxServerConnections;
        private TcpLayer.Counters lastServerCounters;

        Judge(
                Simulation sim,
                Topology topology,
                RawHost attacker,
                boolean crashes,
                long rateNanos,
                SplitMix64 rng,
                Transfer transfer) {
            this.sim = sim;
            this.topology = topology;
            this.attacker = attacker;
            this.crashes = crashes;
            this.rateNanos = rateNanos;
            this.rng = rng;
            this.transfer = transfer;
        }

        /** One spoofed SYN now, and the next one after the flood's interval while the client is not done. */
        void flood() {
            if (synsSent >= MAX_FLOOD_SYNS || clientDone()) {
                return;
            }
            Ipv4Address src = spoofed(rng.nextInt(SPOOFED_SOURCES));
            int port = 1024 + rng.nextInt(65536 - 1024);
            TcpOptions opts = switch (rng.nextInt(3)) {
                case 0 -> TcpOptions.NONE.withMss(536);
                case 1 -> TcpOptions.NONE.withMss(1460);
                default ->
                    new TcpOptions(
                            OptionalInt.of(1460),
                            OptionalInt.of(7),
                            true,
                            Optional.of(new TcpOptions.Timestamps((int) rng.nextLong(), 0)),
                            List.of(),
                            List.of());
            };
            TcpSegment syn = new TcpSegment(
                    TcpHeader.builder(port, PORT)
                            .seq((int) rng.nextLong())
                            .flags(TcpFlags.SYN)
                            .window(64240)
                            .options(opts)
                            .build(),
                    Bytes.EMPTY);
            attacker.send(RawHost.tcpPacket(src, topology.server().address(4), syn, 64, rng.nextInt(0x10000)));
            synsSent++;
            sim.schedule(rateNanos, this::flood);
        }

        private boolean clientDone() {
            return transfer.connectError() != null || transfer.client.closed();
        }

        /** Called between events: the server's SYN queue and table, sampled. */
        private void sample() {
            TcpLayer tcp = topology.server().tcp();
            if (tcp == null) {
                return;
            }
            TcpListener l = tcp.listener(PORT);
            if (l != null) {
                maxSynQueue = Math.max(maxSynQueue, l.synQueueLength());
            }
            maxServerConnections = Math.max(maxServerConnections, tcp.connectionCount());
            lastServerCounters = tcp.counters();
        }

        @Override
        public boolean finished() {
            sample();
            if (transfer.failed()) {
                return true;
            }
            if (maxSynQueue > BACKLOG || maxServerConnections > BACKLOG + 1) {
                return true;
            }
            if (transfer.connectError() != null) {
                return true;
            }
            return transfer.done(crashes);
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(transfer.violations);
            if (maxSynQueue > BACKLOG) {
                v.add("server: the SYN queue held " + maxSynQueue + " connections, more than the backlog " + BACKLOG);
            }
            if (maxServerConnections > BACKLOG + 1) {
                v.add("server: the table held " + maxServerConnections + " connections, more than the SYN queue "
                        + BACKLOG + " plus the client's");
            }
            if (crashes) {
                transfer.addPrefixViolations(v, "client: the connection never ended after a crash");
                return v;
            }
            if (transfer.connectError() != null) {
                v.add("client: connect failed under the flood: " + transfer.connectError());
                return v;
            }
            transfer.addCompletionViolations(v, "the client's only");
            return v;
        }

        @Override
        public List<String[]> facts() {
            List<String[]> f = new ArrayList<>();
            transfer.addFacts(f);
            f.add(new String[] {"flood-syns", Integer.toString(synsSent)});
            f.add(new String[] {"flood-rate", Long.toString(1_000_000_000L / rateNanos) + "/s"});
            f.add(new String[] {"spoofed-replies", Long.toString(spoofedReplies)});
            TcpLayer.Counters c = lastServerCounters;
            long sent = c == null ? 0 : c.syncookiesSent();
            long validated = c == null ? 0 : c.syncookiesValidated();
            f.add(new String[] {"syncookies-sent", Long.toString(sent)});
            f.add(new String[] {"syncookies-validated", Long.toString(validated)});
            f.add(new String[] {"syncookies-failed", Long.toString(c == null ? 0 : c.syncookiesFailed())});
            // the attacker never sends an ACK: a validated cookie is the client's
            f.add(new String[] {"client-path", validated > 0 ? "cookie" : "syn-queue"});
            f.add(new String[] {"max-syn-queue", Integer.toString(maxSynQueue)});
            f.add(new String[] {"max-server-connections", Integer.toString(maxServerConnections)});
            return f;
        }
    }
}
