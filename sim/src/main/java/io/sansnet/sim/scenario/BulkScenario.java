package io.sansnet.sim.scenario;

import io.sansnet.sim.Disruption;
import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.sim.TcpInvariants;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bulk}: the client opens one TCP connection to the server, and both ends send {@link #bytes()} octets at once
 * (each way concurrently), then close.
 *
 * <p>Invariants: every octet arrives exactly once and in order (each end compares what it reads with the peer's seeded
 * stream); both connections end GRACEFUL with exactly one Closed event; both TCP layers end with an empty connection
 * table (CLOSED, or TIME-WAIT then CLOSED); no exception escapes (one would abort the run). When the fault plan crashes
 * a host, the connection cannot survive: then only the data that did arrive must be an exact prefix, and the client's
 * connection must end.
 *
 * <p>In every run, crashes or not, {@link TcpInvariants} also checks throughout: each connection's send, receive and
 * reassembly buffers stay within {@link io.sansnet.stack.tcp.TcpConfig}'s bounds; no segment carries data beyond the
 * right window edge its sender had received, except the persist timer's one-octet probe (RFC 9293 §3.8.6.1); and a
 * connection ends TIMED_OUT only when every transmission of the segment at SND.UNA was dropped by the network, or every
 * segment the peer sent after one of them first arrived intact (the ACKs answering it) was dropped; the exact rule is in
 * {@link TcpInvariants}. The run stops at the first violation.
 *
 * <p>Facts: the client's and the server's retransmissions, RTO expiries, recoveries (NewReno fast recovery plus SACK
 * recovery) and largest congestion window in segments.
 */
public final class BulkScenario implements Scenario {

    /** The port the server listens on (the discard port, RFC 863; here it answers with its own stream). */
    public static final int PORT = 9;
    /** Octets each way by default: 1 MiB. */
    public static final long DEFAULT_BYTES = 1L << 20;
    /** Largest transfer per direction: keeps a run's wall time bounded. */
    public static final long MAX_BYTES = 1L << 34;

    private final long bytes;

    /** A transfer of {@code bytes} octets each way (1..{@link #MAX_BYTES}). */
    public BulkScenario(long bytes) {
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("bytes must be 1.." + MAX_BYTES + ": " + bytes);
        }
        this.bytes = bytes;
    }

    /** The default transfer: {@link #DEFAULT_BYTES} each way. */
    public BulkScenario() {
        this(DEFAULT_BYTES);
    }

    /** Octets sent each way. */
    public long bytes() {
        return bytes;
    }

    @Override
    public String name() {
        return "bulk";
    }

    @Override
    public String replayFlags() {
        return bytes == DEFAULT_BYTES ? "" : "--bytes " + bytes;
    }

    @Override
    public String description() {
        return "one TCP connection transfers " + bytes + " bytes each way concurrently, then both ends close";
    }

    /**
     * An hour of virtual time: under heavy loss a retransmission backs off to 60 s (RFC 6298 (2.5)) and a FIN may wait
     * in TIME-WAIT for 2*MSL = 240 s (RFC 9293 §3.4.2) before the tables are empty.
     */
    @Override
    public long deadlineNanos() {
        return 3_600_000_000_000L;
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        SplitMix64 rng = sim.rng("scenario:bulk");
        long c2s = rng.nextLong();
        long s2c = rng.nextLong();
        int version = rng.nextBoolean() ? 4 : 6;
        boolean crashes = plan.schedule().stream().anyMatch(d -> d instanceof Disruption.Crash);
        TcpInvariants invariants = TcpInvariants.attach(sim, t.client().tcpConfig());
        Judge j = new Judge(
                t,
                crashes,
                invariants,
                new TcpTransferEndpoint("client", c2s, bytes, s2c, bytes).onClosed(invariants::connectionClosed));
        t.server().install(h -> j.startServer(h, s2c, c2s));
        t.client().install(h -> j.startClient(h, t.server().address(version)));
        return j;
    }

    /** The applications of both hosts and the judge of the run. */
    private final class Judge implements Run {
        private final Topology topology;
        private final boolean crashes;
        private final TcpInvariants invariants;
        private final TcpTransferEndpoint client;
        private final List<TcpTransferEndpoint> servers = new ArrayList<>();
        private final List<String> violations = new ArrayList<>();
        private boolean clientStarted;
        private String connectError;

        Judge(Topology topology, boolean crashes, TcpInvariants invariants, TcpTransferEndpoint client) {
            this.topology = topology;
            this.crashes = crashes;
            this.invariants = invariants;
            this.client = client;
        }

        void startServer(AppHost h, long sendSeed, long expectSeed) {
            AppResult<?> r = ((TcpTransport) h).listen(PORT, 16, (TcpStream s) -> {
                TcpTransferEndpoint e = new TcpTransferEndpoint(
                                "server#" + servers.size(), sendSeed, bytes, expectSeed, bytes)
                        .onClosed(invariants::connectionClosed);
                servers.add(e);
                e.attach(s);
            });
            if (!r.isOk()) {
                violations.add("server: listen failed: " + r);
            }
        }

        void startClient(AppHost h, IpAddress server) {
            if (clientStarted) {
                return; // the client's state survives its crash; it does not reconnect
            }
            clientStarted = true;
            ((TcpTransport) h).connect(server, PORT).onComplete(r -> {
                if (r.isOk()) {
                    client.attach(r.value());
                } else {
                    connectError = r.error().toString();
                }
            });
        }

        private boolean layersEmpty() {
            return empty(topology.client()) && empty(topology.server());
        }

        private boolean empty(SimHost h) {
            return h.tcp() == null || h.tcp().connectionCount() == 0;
        }

        @Override
        public boolean finished() {
            if (!violations.isEmpty() || !client.violations().isEmpty() || invariants.failed()) {
                return true;
            }
            for (TcpTransferEndpoint s : servers) {
                if (!s.violations().isEmpty()) {
                    return true;
                }
            }
            if (connectError != null) {
                return true;
            }
            if (crashes) {
                return client.closed() && layersEmpty();
            }
            return client.closed() && !servers.isEmpty() && servers.get(0).closed() && layersEmpty();
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(invariants.violations());
            v.addAll(violations);
            if (crashes) {
                v.addAll(client.violations());
                for (TcpTransferEndpoint s : servers) {
                    v.addAll(s.violations());
                }
                if (connectError == null && client.connected() && !client.closed()) {
                    v.add("client: the connection never ended after a crash");
                }
                return v;
            }
            if (connectError != null) {
                v.add("client: connect failed: " + connectError);
                return v;
            }
            v.addAll(client.completionViolations());
            if (servers.size() != 1) {
                v.add("server: accepted " + servers.size() + " connections, expected 1");
            }
            for (TcpTransferEndpoint s : servers) {
                v.addAll(s.completionViolations());
            }
            if (!layersEmpty()) {
                v.add("a TCP layer still holds connections after both ends closed");
            }
            return v;
        }

        @Override
        public List<String[]> facts() {
            List<String[]> f = new ArrayList<>();
            f.add(new String[] {"bytes", Long.toString(bytes)});
            f.add(new String[] {"client-received", Long.toString(client.received())});
            long serverReceived = 0;
            for (TcpTransferEndpoint s : servers) {
                serverReceived += s.received();
            }
            f.add(new String[] {"server-received", Long.toString(serverReceived)});
            f.add(new String[] {"client-close", String.valueOf(client.reason())});
            int late = client.lateReset() ? 1 : 0;
            for (TcpTransferEndpoint s : servers) {
                late += s.lateReset() ? 1 : 0;
            }
            f.add(new String[] {"late-resets", Integer.toString(late)});
            counters(f, "client", client.status(), invariants.maxCwndSegments(topology.client()));
            counters(
                    f,
                    "server",
                    servers.isEmpty() ? null : servers.get(0).status(),
                    invariants.maxCwndSegments(topology.server()));
            return f;
        }

        private void counters(List<String[]> f, String who, TcpStatus st, double maxCwndSegments) {
            if (st != null) {
                TcpStatus.Counters c = st.counters();
                f.add(new String[] {who + "-retransmits", Long.toString(c.retransmittedSegments())});
                f.add(new String[] {who + "-rto-expiries", Long.toString(c.rtoExpiries())});
                f.add(new String[] {who + "-recoveries", Long.toString(c.fastRecoveries() + c.sackRecoveries())});
                f.add(new String[] {
                    who + "-max-cwnd-segments", String.format(java.util.Locale.ROOT, "%.1f", maxCwndSegments)
                });
            }
        }
    }
}
