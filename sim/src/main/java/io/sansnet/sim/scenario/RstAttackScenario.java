package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.LinkParams;
import io.sansnet.sim.Node;
import io.sansnet.sim.PacketObserver;
import io.sansnet.sim.RawHost;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpState;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rst-attack}: while a client and a server transfer {@link #bytes()} octets each way over one connection, an
 * off-path attacker that knows the connection's 4-tuple but cannot see its segments injects RSTs, SYNs and data
 * segments spoofed from either end towards the other (RFC 5961's threat model). Its sequence numbers are blind
 * (uniform over the 2^32 space) or, to exercise RFC 5961's checks, deliberately in the receiver's window but never at
 * RCV.NXT; in-window data carries an acknowledgement beyond SND.NXT. In one run in {@link #EXACT_GUESS_ONE_RUN_IN}
 * (by seed) the attacker is lucky: one RST guesses the RCV.NXT it reads as it sends (which the receiver has usually
 * moved past by the time it arrives), and one more goes to an end whose RCV.NXT cannot move any more (CLOSE-WAIT or
 * LAST-ACK: the peer's FIN arrived).
 *
 * <p>Invariants: the transfer completes intact (as {@code bulk}) unless a RST whose SEQ was exactly the receiver's
 * RCV.NXT when it arrived came from the attacker: RFC 5961 §3.2 accepts that one, and then the attack succeeded;
 * the delivered octets must still be an exact prefix and both connections must end (an end whose peer was reset while
 * it had nothing outstanding never learns of it, as in real TCP; its application gives up after
 * {@link #IDLE_ABORT_NANOS} and aborts it), and both layers end empty. Every end that received an injected RST or SYN
 * inside its receive window while synchronized sent a challenge ACK (RFC 5961 §3.2, §4.2). With a host crash in the
 * plan only the exact-prefix rule holds.
 */
public final class RstAttackScenario extends TcpTransferScenario {

    /** The server's port. */
    public static final int PORT = 9;
    /** Octets each way by default. */
    public static final long DEFAULT_BYTES = 256 * 1024;
    /** Largest transfer per direction. */
    public static final long MAX_BYTES = 1L << 30;
    /** Most segments one attack injects. */
    public static final int MAX_INJECTIONS = 2000;
    /** Shortest and longest pause between two injections. */
    public static final long MIN_INTERVAL_NANOS = 100_000L;

    public static final long MAX_INTERVAL_NANOS = 2_000_000L;
    /** One run in this many makes one exact guess of RCV.NXT. */
    public static final int EXACT_GUESS_ONE_RUN_IN = 16;
    /** The TTL or hop limit of the attacker's packets: the judge tells them from the hosts' (64) by it. */
    public static final int ATTACK_HOP_LIMIT = 37;
    /** The attacker's own address (it sends only from the client's and the server's). */
    public static final String ATTACKER_V4 = "198.18.0.67";
    /**
     * After a successful attack, how often the applications look for an end that is still open with nothing
     * outstanding (its peer was reset and it will never hear of it) and abort it.
     */
    public static final long IDLE_ABORT_NANOS = 300_000_000_000L;

    public RstAttackScenario(long bytes) {
        super(bytes, DEFAULT_BYTES, MAX_BYTES);
    }

    public RstAttackScenario() {
        this(DEFAULT_BYTES);
    }

    @Override
    public String name() {
        return "rst-attack";
    }

    @Override
    public String description() {
        return "an off-path attacker injects RST, SYN and data with guessed sequence numbers into a connection"
                + " transferring " + bytes() + " bytes each way";
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        RawHost attacker = sim.addRawHost("attacker", Ipv4Address.of(ATTACKER_V4));
        LinkParams clean = LinkParams.DEFAULT
                .withLatencyNanos(plan.linkParams().latencyNanos())
                .withMtu(plan.linkParams().mtu());
        sim.connect(attacker, t.server(), clean);
        sim.connect(attacker, t.client(), clean);

        SplitMix64 rng = sim.rng("scenario:rst-attack");
        long c2s = rng.nextLong();
        long s2c = rng.nextLong();
        int version = rng.nextBoolean() ? 4 : 6;
        long interval = MIN_INTERVAL_NANOS + rng.nextLong(MAX_INTERVAL_NANOS - MIN_INTERVAL_NANOS + 1);
        int exactAt = rng.nextInt(EXACT_GUESS_ONE_RUN_IN) == 0 ? rng.nextInt(20) : -1;
        boolean crashes = crashes(plan);
        Judge j = new Judge(
                sim,
                t,
                attacker,
                crashes,
                interval,
                exactAt,
                sim.rng("scenario:rst-attack:attacker"),
                new Transfer(t, c2s, s2c, e -> e));
        t.server().install(h -> j.transfer.startServer(h, PORT, 16, j::accepted));
        t.client().install(h -> j.transfer.startClient(h, t.server().address(version), PORT, j::connected));
        sim.addObserver(j::observe);
        return j;
    }

    /** What the attacker puts in one segment. */
    private enum Kind {
        RST,
        SYN,
        DATA
    }

    /** The attacker, the applications of both hosts and the judge of the run. */
    private final class Judge implements Run {
        private final Simulation sim;
        private final Topology topology;
        private final RawHost attacker;
        private final boolean crashes;
        private final long interval;
        private final int exactAt;
        private final SplitMix64 rng;
        private final Transfer transfer;
        private final TcpTransferEndpoint client;
        private final List<TcpTransferEndpoint> servers;
        private TcpStream clientStream;
        private TcpStream serverStream;

        private int injected;
        private final int[] injectedByKind = new int[Kind.values().length];
        private int inWindowGuesses;
        private int exactGuesses;
        private boolean quietExactSent;
        private boolean idleWatch;
        private int idleAborts;
        /** Injected RSTs that arrived with SEQ = RCV.NXT at a synchronized end: RFC 5961 §3.2 accepts them. */
        private int exactRstArrivals;

        private String firstExactRst;
        /** Injected RSTs and SYNs that arrived inside the receive window of a synchronized end: client 0, server 1. */
        private final int[] challengeable = new int[2];

        Judge(
                Simulation sim,
                Topology topology,
                RawHost attacker,
                boolean crashes,
                long interval,
                int exactAt,
                SplitMix64 rng,
                Transfer transfer) {
            this.sim = sim;
            this.topology = topology;
            this.attacker = attacker;
            this.crashes = crashes;
            this.interval = interval;
            this.exactAt = exactAt;
            this.rng = rng;
            this.transfer = transfer;
            this.client = transfer.client;
            this.servers = transfer.servers;
        }

        /** The server accepted {@code s}: the first is the attack's target. */
        void accepted(TcpStream s) {
            if (serverStream == null) {
                serverStream = s;
            }
        }

        /** The client's connection is up: the attacker learned its 4-tuple. */
        void connected(TcpStream s) {
            clientStream = s;
            sim.schedule(interval, this::inject);
        }

        /** One injected segment, then the next after the interval, while both ends are open. */
        void inject() {
            if (injected >= MAX_INJECTIONS
                    || client.closed()
                    || (serverStream != null && servers.get(0).closed())
                    || crashed(topology.client())
                    || crashed(topology.server())) {
                return;
            }
            if (serverStream == null) {
                sim.schedule(interval, this::inject); // the server has not accepted yet
                return;
            }
            boolean toServer = rng.nextBoolean();
            boolean exact = injected == exactAt;
            boolean quiet = false;
            if (exactAt >= 0 && injected > exactAt && !quietExactSent) {
                // the lucky attacker's second guess: an end whose RCV.NXT no longer moves
                for (int end = 0; end < 2 && !quiet; end++) {
                    TcpState state =
                            (end == 0 ? clientStream : serverStream).status().state();
                    if (state == TcpState.CLOSE_WAIT || state == TcpState.LAST_ACK) {
                        quiet = true;
                        toServer = end == 1;
                    }
                }
                exact = quiet;
                quietExactSent = quiet;
            }
            TcpStream target = toServer ? serverStream : clientStream;
            TcpStatus st = target.status();
            IpAddress src = toServer ? clientStream.localAddress() : clientStream.remoteAddress();
            IpAddress dst = toServer ? clientStream.remoteAddress() : clientStream.localAddress();
            int srcPort = toServer ? clientStream.localPort() : PORT;
            int dstPort = toServer ? PORT : clientStream.localPort();
            int rcvNxt = (int) st.rcvNxt();
            Kind kind = exact ? Kind.RST : Kind.values()[pickKind()];
            if (kind == Kind.SYN && exactGuesses > 0) {
                // Note: no SYN may follow a lucky RST. Once it reset one end, a SYN arriving there finds the listener
                // and opens a half-open connection whose SYN-ACK desynchronizes with the surviving end: both answer
                // each unacceptable segment with an ACK (RFC 9293 §3.10.7.4), an endless ACK loop that TcpConnection
                // does not rate-limit yet (Linux's tcp_invalid_ratelimit).
                kind = Kind.DATA;
            }
            boolean inWindow = !exact && rng.nextBoolean();
            int seq;
            if (exact) {
                seq = rcvNxt;
                exactGuesses++;
            } else if (inWindow) {
                // strictly inside the window, never RCV.NXT itself: RFC 5961's challenge-ACK cases
                long wnd = Math.max(2, st.rcvWnd());
                seq = rcvNxt + 1 + (int) rng.nextLong(wnd - 1);
                inWindowGuesses++;
            } else {
                seq = (int) rng.nextLong();
            }
            TcpHeader.Builder b = TcpHeader.builder(srcPort, dstPort).seq(seq).window(65535);
            Bytes payload = Bytes.EMPTY;
            switch (kind) {
                case RST -> b.flags(TcpFlags.RST);
                case SYN -> b.flags(TcpFlags.SYN);
                default -> {
                    // RFC 5961 §5: in-window data needs an acceptable ACK too; ours lies beyond SND.NXT
                    int ack = inWindow ? (int) st.sndNxt() + (1 << 24) + rng.nextInt(1 << 30) : (int) rng.nextLong();
                    b.flags(TcpFlags.ACK | TcpFlags.PSH).ack(ack);
                    byte[] junk = new byte[1 + rng.nextInt(512)];
                    rng.nextBytes(junk);
                    payload = Bytes.copyOf(junk);
                }
            }
            injectedByKind[kind.ordinal()]++;
            attacker.send(RawHost.tcpPacket(
                    src, dst, new TcpSegment(b.build(), payload), ATTACK_HOP_LIMIT, rng.nextInt(0x10000)));
            injected++;
            sim.schedule(interval, this::inject);
        }

        /** True once {@code h} crashed: the attack is over (after a restart a SYN would meet the listener). */
        private boolean crashed(SimHost h) {
            return !h.isUp() || h.boots() > 1;
        }

        /** RST 40%, SYN 20%, data 40%. */
        private int pickKind() {
            int r = rng.nextInt(5);
            return r < 2 ? Kind.RST.ordinal() : r == 2 ? Kind.SYN.ordinal() : Kind.DATA.ordinal();
        }

        /**
         * Sees each packet as it arrives at the client or the server, before their stack does: an injected RST at
         * exactly RCV.NXT of a synchronized end, or an injected SYN at one, is noted.
         */
        void observe(long timeNanos, Node node, PacketObserver.Direction dir, byte[] bytes) {
            if (dir != PacketObserver.Direction.IN || clientStream == null) {
                return;
            }
            int end = node == topology.client() ? 0 : node == topology.server() ? 1 : -1;
            TcpStream target = end == 0 ? clientStream : end == 1 ? serverStream : null;
            if (target == null) {
                return;
            }
            Parsed<IpPacket> p = IpPacket.parse(bytes, 0, bytes.length);
            if (!(p instanceof Parsed.Ok<IpPacket> ok)
                    || ok.value().protocol() != IpProtocol.TCP
                    || ok.value().hopLimit() != ATTACK_HOP_LIMIT) {
                return;
            }
            Parsed<TcpSegment> s =
                    TcpSegment.parse(ok.value().payload(), ok.value().pseudoHeader());
            if (!(s instanceof Parsed.Ok<TcpSegment> seg)) {
                return;
            }
            TcpHeader h = seg.value().header();
            if (h.srcPort() != target.remotePort() || h.dstPort() != target.localPort()) {
                return;
            }
            TcpStatus st = target.status();
            boolean synchronized_ = st.state().isSynchronized() && st.state() != TcpState.SYN_RECEIVED;
            if (!synchronized_) {
                return;
            }
            long offset = (h.seq() - (int) st.rcvNxt()) & 0xFFFFFFFFL;
            if (h.flags().rst() && offset == 0) {
                exactRstArrivals++;
                if (firstExactRst == null) {
                    firstExactRst = (end == 0 ? "client" : "server") + " at " + timeNanos + " ns, SEQ "
                            + Integer.toUnsignedLong(h.seq());
                    sim.schedule(IDLE_ABORT_NANOS, this::abortIdleEnds);
                }
            } else if ((h.flags().rst() || h.flags().syn())
                    && offset < st.rcvWnd()
                    && st.state() != TcpState.TIME_WAIT) {
                challengeable[end]++;
            }
        }

        /**
         * After a successful attack: an end still open with nothing outstanding and nothing to send will never hear
         * that its peer was reset; its application gives up and aborts it. Ends with data in flight keep going (they
         * end RESET when their retransmission meets the peer's RST, or TIMED_OUT).
         */
        private void abortIdleEnds() {
            for (TcpStream s : new TcpStream[] {clientStream, serverStream}) {
                TcpStatus st = s.status();
                boolean open = st.state() != TcpState.CLOSED && st.state() != TcpState.TIME_WAIT;
                if (open && st.sndUna() == st.sndNxt() && st.sendQueued() == 0) {
                    idleAborts++;
                    s.abort();
                }
            }
            if (!client.closed() || !transfer.serversClosed()) {
                sim.schedule(IDLE_ABORT_NANOS, this::abortIdleEnds);
            }
        }

        private boolean attackSucceeded() {
            return exactRstArrivals > 0;
        }

        @Override
        public boolean finished() {
            if (transfer.failed() || transfer.connectError() != null) {
                return true;
            }
            if (crashes) {
                return client.closed() && transfer.layersEmpty(); // a crashed server's streams never report Closed
            }
            if (attackSucceeded()) {
                return client.closed() && transfer.serversClosed() && transfer.layersEmpty();
            }
            return client.closed() && !servers.isEmpty() && transfer.serversClosed() && transfer.layersEmpty();
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(transfer.violations);
            if (crashes || attackSucceeded()) {
                transfer.addPrefixViolations(v, "client: the connection never ended");
                if (!crashes && !transfer.layersEmpty()) {
                    v.add("a TCP layer still holds connections after the attack reset the connection");
                }
                return v;
            }
            if (transfer.connectError() != null) {
                v.add("client: connect failed: " + transfer.connectError());
                return v;
            }
            transfer.addCompletionViolations(v, "1");
            // RFC 5961 §3.2, §4.2: an in-window RST or SYN in a synchronized state is answered with a challenge ACK
            if (challengeable[0] > 0 && challengeAcks(client) == 0) {
                v.add("client: " + challengeable[0] + " injected in-window RSTs/SYNs arrived, no challenge ACK sent");
            }
            if (challengeable[1] > 0 && !servers.isEmpty() && challengeAcks(servers.get(0)) == 0) {
                v.add("server: " + challengeable[1] + " injected in-window RSTs/SYNs arrived, no challenge ACK sent");
            }
            return v;
        }

        private long challengeAcks(TcpTransferEndpoint e) {
            TcpStatus st = e.status();
            return st == null ? 0 : st.counters().challengeAcks();
        }

        @Override
        public List<String[]> facts() {
            List<String[]> f = new ArrayList<>();
            transfer.addFacts(f);
            f.add(new String[] {
                "server-close",
                servers.isEmpty() ? "null" : String.valueOf(servers.get(0).reason())
            });
            f.add(new String[] {"injected", Integer.toString(injected)});
            f.add(new String[] {"injected-rst", Integer.toString(injectedByKind[Kind.RST.ordinal()])});
            f.add(new String[] {"injected-syn", Integer.toString(injectedByKind[Kind.SYN.ordinal()])});
            f.add(new String[] {"injected-data", Integer.toString(injectedByKind[Kind.DATA.ordinal()])});
            f.add(new String[] {"in-window-guesses", Integer.toString(inWindowGuesses)});
            f.add(new String[] {"exact-guesses", Integer.toString(exactGuesses)});
            long challenges = challengeAcks(client);
            for (TcpTransferEndpoint s : servers) {
                challenges += challengeAcks(s);
            }
            f.add(new String[] {"challenge-acks", Long.toString(challenges)});
            f.add(new String[] {"challengeable-arrivals", Integer.toString(challengeable[0] + challengeable[1])});
            f.add(new String[] {"idle-aborts", Integer.toString(idleAborts)});
            f.add(new String[] {"attack", attackSucceeded() ? "succeeded: exact RST at " + firstExactRst : "failed"});
            return f;
        }
    }
}
