package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.sim.TcpInvariants;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code handshake-storm}: the client opens {@link #connections()} TCP connections to the server at once (IPv4 and
 * IPv6 alternately); on each both ends send a few seeded octets (0..{@link #MAX_EXCHANGE}), then close.
 *
 * <p>Invariants per connection, as in {@code bulk}: every octet exactly once and in order, a GRACEFUL end with exactly
 * one Closed event; the server accepts exactly one connection per connect; both TCP layers end empty. With a host crash
 * in the plan only the exact-prefix rule holds, and every connect must end one way or the other. In every run
 * {@link TcpInvariants} checks every connection's buffers, windows and timeouts, as in {@code bulk}.
 */
public final class HandshakeStormScenario implements Scenario {

    /** The server's port. */
    public static final int PORT = 80;
    /** Connections opened by default. */
    public static final int DEFAULT_CONNECTIONS = 200;
    /** The server's listen backlog: room for the whole storm. */
    public static final int BACKLOG = 1024;
    /** Most octets each end sends on one connection. */
    public static final int MAX_EXCHANGE = 2000;

    private final int connections;

    /** A storm of {@code connections} (1..{@link #BACKLOG}) connections. */
    public HandshakeStormScenario(int connections) {
        this.connections = (int) TcpTransferScenario.checkRange("connections", connections, BACKLOG);
    }

    public HandshakeStormScenario() {
        this(DEFAULT_CONNECTIONS);
    }

    public int connections() {
        return connections;
    }

    @Override
    public String name() {
        return "handshake-storm";
    }

    @Override
    public String description() {
        return connections + " TCP connections open at once, exchange a few bytes each way, and close";
    }

    /** An hour of virtual time, as {@code bulk}. */
    @Override
    public long deadlineNanos() {
        return 3_600_000_000_000L;
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        long base = sim.rng("scenario:handshake-storm").nextLong();
        boolean crashes = TcpTransferScenario.crashes(plan);
        Judge j =
                new Judge(t, crashes, base, TcpInvariants.attach(sim, t.client().tcpConfig()));
        t.server().install(j::startServer);
        t.client().install(j::startClient);
        return j;
    }

    /** The applications of both hosts and the judge of the run. */
    private final class Judge implements Run {
        private final Topology topology;
        private final boolean crashes;
        private final long base;
        private final TcpInvariants invariants;
        private final TcpTransferEndpoint[] clients;
        private final String[] connectErrors;
        private final List<TcpTransferEndpoint> servers = new ArrayList<>();
        private final List<String> violations = new ArrayList<>();
        private int connectsDone;
        private boolean clientStarted;

        Judge(Topology topology, boolean crashes, long base, TcpInvariants invariants) {
            this.topology = topology;
            this.crashes = crashes;
            this.base = base;
            this.invariants = invariants;
            this.clients = new TcpTransferEndpoint[connections];
            this.connectErrors = new String[connections];
        }

        /**
         * A connection's workload, drawn from the client's ephemeral port, which both ends know (unique while the
         * connections live): the seeds and lengths of the client's stream ({@code dir} 0) and the server's (1).
         */
        private long seed(int clientPort, int dir) {
            return SplitMix64.mix(base + 4L * clientPort + dir);
        }

        private int length(int clientPort, int dir) {
            return (int) Long.remainderUnsigned(SplitMix64.mix(base + 4L * clientPort + 2 + dir), MAX_EXCHANGE + 1);
        }

        private TcpTransferEndpoint endpoint(String label, int clientPort, boolean client) {
            int me = client ? 0 : 1;
            return new TcpTransferEndpoint(
                            label,
                            seed(clientPort, me),
                            length(clientPort, me),
                            seed(clientPort, 1 - me),
                            length(clientPort, 1 - me))
                    .onClosed(invariants::connectionClosed);
        }

        void startServer(AppHost h) {
            AppResult<?> r = ((TcpTransport) h).listen(PORT, BACKLOG, (TcpStream s) -> {
                TcpTransferEndpoint e = endpoint("server:" + s.remotePort(), s.remotePort(), false);
                servers.add(e);
                e.attach(s);
            });
            if (!r.isOk()) {
                violations.add("server: listen failed: " + r);
            }
        }

        void startClient(AppHost h) {
            if (clientStarted) {
                return; // the client's state survives its crash; it does not reconnect
            }
            clientStarted = true;
            TcpTransport tcp = (TcpTransport) h;
            SimHost server = topology.server();
            for (int k = 0; k < connections; k++) {
                int i = k;
                IpAddress dst = server.address(i % 2 == 0 ? 4 : 6);
                tcp.connect(dst, PORT).onComplete(r -> {
                    connectsDone++;
                    if (r.isOk()) {
                        TcpStream s = r.value();
                        clients[i] = endpoint("client#" + i + ":" + s.localPort(), s.localPort(), true);
                        clients[i].attach(s);
                    } else {
                        connectErrors[i] = r.error().toString();
                    }
                });
            }
        }

        private boolean layersEmpty() {
            return empty(topology.client()) && empty(topology.server());
        }

        private boolean empty(SimHost h) {
            return h.tcp() == null || h.tcp().connectionCount() == 0;
        }

        @Override
        public boolean finished() {
            if (!violations.isEmpty() || invariants.failed()) {
                return true;
            }
            if (connectsDone < connections) {
                return false;
            }
            for (int i = 0; i < connections; i++) {
                if (connectErrors[i] == null && (clients[i] == null || !clients[i].closed())) {
                    return false;
                }
                if (!crashes && connectErrors[i] != null) {
                    return true; // a failed connect is a violation
                }
            }
            if (!crashes) {
                if (servers.size() < connections) {
                    return false;
                }
                for (TcpTransferEndpoint s : servers) {
                    if (!s.closed()) {
                        return false;
                    }
                }
            }
            return layersEmpty();
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(invariants.violations());
            v.addAll(violations);
            int failedConnects = 0;
            for (int i = 0; i < connections; i++) {
                if (connectErrors[i] != null) {
                    failedConnects++;
                    if (!crashes && failedConnects == 1) {
                        v.add("client#" + i + ": connect failed: " + connectErrors[i]);
                    }
                } else if (clients[i] != null) {
                    v.addAll(crashes ? clients[i].violations() : clients[i].completionViolations());
                }
            }
            for (TcpTransferEndpoint s : servers) {
                v.addAll(crashes ? s.violations() : s.completionViolations());
            }
            if (!crashes) {
                if (failedConnects > 1) {
                    v.add(failedConnects + " connects failed in all");
                }
                if (servers.size() != connections - failedConnects) {
                    v.add("server: accepted " + servers.size() + " connections for " + connections + " connects");
                }
                if (!layersEmpty()) {
                    v.add("a TCP layer still holds connections after every connection closed");
                }
            }
            return v;
        }

        @Override
        public List<String[]> facts() {
            int established = 0;
            int late = 0;
            long octets = 0;
            for (TcpTransferEndpoint c : clients) {
                if (c != null && c.connected()) {
                    established++;
                    octets += c.received();
                    late += c.lateReset() ? 1 : 0;
                }
            }
            for (TcpTransferEndpoint s : servers) {
                octets += s.received();
                late += s.lateReset() ? 1 : 0;
            }
            return List.of(
                    new String[] {"connections", Integer.toString(connections)},
                    new String[] {"established", Integer.toString(established)},
                    new String[] {"accepted", Integer.toString(servers.size())},
                    new String[] {"octets-received", Long.toString(octets)},
                    new String[] {"late-resets", Integer.toString(late)});
        }
    }
}
