package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.Simulation;
import io.sansnet.sim.TcpInvariants;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpStatus;
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
public final class BulkScenario extends TcpTransferScenario {

    /** The port the server listens on (the discard port, RFC 863; here it answers with its own stream). */
    public static final int PORT = 9;
    /** Octets each way by default: 1 MiB. */
    public static final long DEFAULT_BYTES = 1L << 20;
    /** Largest transfer per direction: keeps a run's wall time bounded. */
    public static final long MAX_BYTES = 1L << 34;

    /** A transfer of {@code bytes} octets each way (1..{@link #MAX_BYTES}). */
    public BulkScenario(long bytes) {
        super(bytes, DEFAULT_BYTES, MAX_BYTES);
    }

    /** The default transfer: {@link #DEFAULT_BYTES} each way. */
    public BulkScenario() {
        this(DEFAULT_BYTES);
    }

    @Override
    public String name() {
        return "bulk";
    }

    @Override
    public String description() {
        return "one TCP connection transfers " + bytes() + " bytes each way concurrently, then both ends close";
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        SplitMix64 rng = sim.rng("scenario:bulk");
        long c2s = rng.nextLong();
        long s2c = rng.nextLong();
        int version = rng.nextBoolean() ? 4 : 6;
        boolean crashes = crashes(plan);
        TcpInvariants invariants = TcpInvariants.attach(sim, t.client().tcpConfig());
        Judge j = new Judge(
                t, crashes, invariants, new Transfer(t, c2s, s2c, e -> e.onClosed(invariants::connectionClosed)));
        t.server().install(h -> j.transfer.startServer(h, PORT, 16, s -> {}));
        t.client().install(h -> j.transfer.startClient(h, t.server().address(version), PORT, s -> {}));
        return j;
    }

    /** The applications of both hosts and the judge of the run. */
    private final class Judge implements Run {
        private final Topology topology;
        private final boolean crashes;
        private final TcpInvariants invariants;
        private final Transfer transfer;

        Judge(Topology topology, boolean crashes, TcpInvariants invariants, Transfer transfer) {
            this.topology = topology;
            this.crashes = crashes;
            this.invariants = invariants;
            this.transfer = transfer;
        }

        @Override
        public boolean finished() {
            if (transfer.failed() || invariants.failed() || transfer.connectError() != null) {
                return true;
            }
            return transfer.done(crashes);
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(invariants.violations());
            v.addAll(transfer.violations);
            if (crashes) {
                transfer.addPrefixViolations(v, "client: the connection never ended after a crash");
                return v;
            }
            if (transfer.connectError() != null) {
                v.add("client: connect failed: " + transfer.connectError());
                return v;
            }
            transfer.addCompletionViolations(v, "1");
            return v;
        }

        @Override
        public List<String[]> facts() {
            List<String[]> f = new ArrayList<>();
            transfer.addFacts(f);
            TcpTransferEndpoint client = transfer.client;
            List<TcpTransferEndpoint> servers = transfer.servers;
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
