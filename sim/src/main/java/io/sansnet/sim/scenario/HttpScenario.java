package io.sansnet.sim.scenario;

import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.server.ServerCounters;
import io.sansnet.sim.Disruption;
import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.Simulation;
import io.sansnet.sim.http.SimHttpServer;
import io.sansnet.stack.rand.SplitMix64;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code http}: the server host runs the HTTP server ({@link SimHttpServer}, the standard routes) and the client host
 * sends {@link ScenarioOptions#messages()} requests over one to {@link #MAX_CONNECTIONS} connections at once: GET and
 * HEAD {@code /bytes/N}, GET {@code /plaintext} and {@code /json}, POST {@code /echo} with a Content-Length or a
 * chunked body, small (up to 4 KB) and large (hundreds of KB), each connection sequential, pipelined, or in pipelined
 * batches, all drawn from the seed. Each connection then ends one of three ways: the client closes, its last request
 * says {@code Connection: close}, or it stays idle until the server's idle timeout.
 *
 * <p>Invariants: every response matches its request, computed independently of the server (status 200, Content-Length
 * or chunked as the request implies, every body byte: byte i of {@code /bytes/N} is {@code i % 251}, {@code /echo}
 * returns the body), pipelined responses come in order; nothing waits longer than {@link #hangBoundNanos} (the
 * longest server timeout, plus the linger, plus {@link #TCP_SLACK_NANOS}), so every connection ends within that bound
 * after its last response; the server counts one response per request, no protocol or handler error, no header, body
 * handler or send-stall timeout, exactly one idle timeout per connection left idle, and has closed every connection it opened.
 * A connection is left idle by its {@code IDLE} ending, or by the keep-alive race (RFC 9112 §9.3.1): the server's idle
 * timeout runs from the moment a response is handed to TCP, and under heavy loss the client may read that response and
 * send its next request only after the timeout closed the connection. The client then sends the unanswered requests
 * again on a new connection, as real clients do, when the server closed after complete responses and before any byte
 * of the next one ({@code idle-retries}); the server must then have parsed exactly one request per request of the
 * workload (none of those sent again was processed on the closed connection), opened one more connection and counted
 * one more idle timeout per retry. A connection closed in the middle of a response is still a violation.
 * With a server crash in the plan, connections die: the client reconnects and sends the unanswered requests again,
 * every response that arrives must still be right, and every request must be answered in the end.
 */
public final class HttpScenario implements Scenario {

    /** The server's port. */
    public static final int PORT = 80;
    /** Most connections the client opens at once. */
    public static final int MAX_CONNECTIONS = 4;
    /** Most requests pipelined in one batch. */
    public static final int MAX_PIPELINE_DEPTH = 8;
    /** Latest start of a connection after the client boots. */
    public static final long MAX_START_DELAY_NANOS = 50_000_000L;

    /**
     * Every server timeout in this scenario (header, body, idle, handler, send stall): ten minutes, far above the longest stall the drawn faults cause (with
     * losses up to 20 % each way, a segment needs about one try in three; the RTO doubles to its 60 s ceiling, RFC
     * 6298 (2.5), so a ten-minute stall takes some fourteen failed tries in a row). A timeout that fires in a run is a
     * hang, not a slow network. The defaults of {@link HttpServerConfig} are for real clients.
     */
    public static final long SERVER_TIMEOUT_NANOS = 600_000_000_000L;

    /** After a server timeout, the time its FIN may take to get through the drawn faults (retransmissions). */
    public static final long TCP_SLACK_NANOS = 300_000_000_000L;

    /** The server's configuration in this scenario: the defaults with {@link #SERVER_TIMEOUT_NANOS} for every timeout. */
    public static final HttpServerConfig SERVER_CONFIG = HttpServerConfig.DEFAULT.toBuilder()
            .headerTimeoutNanos(SERVER_TIMEOUT_NANOS)
            .bodyTimeoutNanos(SERVER_TIMEOUT_NANOS)
            .idleTimeoutNanos(SERVER_TIMEOUT_NANOS)
            .handlerTimeoutNanos(SERVER_TIMEOUT_NANOS)
            .sendStallTimeoutNanos(SERVER_TIMEOUT_NANOS)
            .build();

    /** The longest a client may wait without anything happening: a hang beyond it is a violation. */
    public static long hangBoundNanos(HttpServerConfig c) {
        long longest = Math.max(
                Math.max(Math.max(c.headerTimeoutNanos(), c.bodyTimeoutNanos()), c.sendStallTimeoutNanos()),
                Math.max(c.idleTimeoutNanos(), c.handlerTimeoutNanos()));
        return longest + c.lingerNanos() + TCP_SLACK_NANOS;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "an HTTP client sends a seeded mix of sequential and pipelined GET, HEAD and POST requests (small and"
                + " large bodies) over one to " + MAX_CONNECTIONS + " connections to the HTTP server";
    }

    /** Six hours of virtual time: idle connections wait out the ten-minute timeouts, crashes add reconnections. */
    @Override
    public long deadlineNanos() {
        return 6 * 3_600_000_000_000L;
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        SplitMix64 rng = sim.rng("scenario:http");
        boolean crashes = plan.schedule().stream().anyMatch(d -> d instanceof Disruption.Crash);
        SimHttpServer server =
                SimHttpServer.install(t.server(), SimHttpServer.standardServer(t.server(), SERVER_CONFIG), PORT);
        List<HttpScenarioClient> clients = workload(t, rng, options.messages(), crashes);
        t.client().install(h -> {
            for (HttpScenarioClient c : clients) {
                c.start();
            }
        });
        return new Judge(server, clients, crashes);
    }

    /** The client connections: requests assigned to connections, batches, endings, all drawn from {@code rng}. */
    private static List<HttpScenarioClient> workload(Topology t, SplitMix64 rng, int total, boolean crashes) {
        int conns = 1 + rng.nextInt(Math.min(MAX_CONNECTIONS, total));
        List<List<Integer>> assigned = new ArrayList<>();
        for (int c = 0; c < conns; c++) {
            assigned.add(new ArrayList<>());
        }
        for (int i = 0; i < total; i++) {
            assigned.get(i < conns ? i : rng.nextInt(conns)).add(i);
        }
        long bound = hangBoundNanos(SERVER_CONFIG);
        List<HttpScenarioClient> clients = new ArrayList<>();
        for (int c = 0; c < conns; c++) {
            List<Integer> mine = assigned.get(c);
            HttpScenarioClient.Ending ending =
                    HttpScenarioClient.Ending.values()[rng.nextInt(HttpScenarioClient.Ending.values().length)];
            List<HttpScenarioRequest> requests = new ArrayList<>();
            for (int k = 0; k < mine.size(); k++) {
                boolean last = k == mine.size() - 1;
                requests.add(HttpScenarioRequest.draw(
                        mine.get(k), rng, last && ending == HttpScenarioClient.Ending.CONNECTION_CLOSE));
            }
            int[] batchEnds = batches(mine.size(), rng);
            int version = rng.nextBoolean() ? 4 : 6;
            long delay = rng.nextLong(MAX_START_DELAY_NANOS + 1);
            clients.add(new HttpScenarioClient(
                    "connection " + c,
                    t.client(),
                    t.client(),
                    t.server().address(version),
                    PORT,
                    requests,
                    batchEnds,
                    ending,
                    delay,
                    crashes,
                    bound));
        }
        return clients;
    }

    /** Where the batches of {@code n} requests end: all sequential, all pipelined, or batches of 1..depth. */
    private static int[] batches(int n, SplitMix64 rng) {
        int mode = rng.nextInt(3);
        List<Integer> ends = new ArrayList<>();
        int at = 0;
        while (at < n) {
            int size = switch (mode) {
                case 0 -> 1;
                case 1 -> n;
                default -> 1 + rng.nextInt(MAX_PIPELINE_DEPTH);
            };
            at = Math.min(n, at + size);
            ends.add(at);
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Watches the clients and the server. */
    private static final class Judge implements Run {
        private final SimHttpServer server;
        private final List<HttpScenarioClient> clients;
        private final boolean crashes;

        Judge(SimHttpServer server, List<HttpScenarioClient> clients, boolean crashes) {
            this.server = server;
            this.clients = clients;
            this.crashes = crashes;
        }

        private boolean clientsDone() {
            for (HttpScenarioClient c : clients) {
                if (!c.done()) {
                    return false;
                }
            }
            return true;
        }

        private boolean anyViolation() {
            for (HttpScenarioClient c : clients) {
                if (!c.violations().isEmpty()) {
                    return true;
                }
            }
            return !server.listenErrors().isEmpty();
        }

        @Override
        public boolean finished() {
            if (anyViolation()) {
                return true;
            }
            if (!clientsDone()) {
                return false;
            }
            ServerCounters sc = server.server().counters();
            return crashes || sc.connectionsClosed() == sc.connectionsOpened();
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(server.listenErrors());
            int requests = 0;
            int idle = 0;
            int idleRetries = 0;
            for (HttpScenarioClient c : clients) {
                v.addAll(c.violations());
                requests += c.total();
                idleRetries += c.idleRetries();
                if (c.ending() == HttpScenarioClient.Ending.IDLE) {
                    idle++;
                }
                if (c.done() && c.violations().isEmpty() && c.answered() != c.total()) {
                    v.add("client: " + (c.total() - c.answered()) + " request(s) never answered");
                }
            }
            if (!v.isEmpty() || !clientsDone() || crashes) {
                return v;
            }
            ServerCounters sc = server.server().counters();
            // One request parsed and one response per request: a request sent again after an idle close was never
            // processed on the closed connection (RFC 9112 §9.3.1).
            expect(v, "requests", sc.requests(), requests);
            expect(v, "responses", sc.responses(), requests);
            expect(v, "protocol errors", sc.protocolErrors(), 0);
            expect(v, "handler errors", sc.handlerErrors(), 0);
            expect(v, "header timeouts", sc.headerTimeouts(), 0);
            expect(v, "body timeouts", sc.bodyTimeouts(), 0);
            expect(v, "handler timeouts", sc.handlerTimeouts(), 0);
            expect(v, "send-stall timeouts", sc.sendStallTimeouts(), 0);
            expect(
                    v,
                    "idle timeouts (one per connection left idle: idle endings plus idle retries)",
                    sc.idleTimeouts(),
                    idle + idleRetries);
            expect(
                    v,
                    "connections opened (one per client connection plus idle retries)",
                    sc.connectionsOpened(),
                    clients.size() + idleRetries);
            expect(v, "connections closed", sc.connectionsClosed(), sc.connectionsOpened());
            return v;
        }

        private static void expect(List<String> v, String what, long got, long want) {
            if (got != want) {
                v.add("server: " + what + ": " + got + ", expected " + want);
            }
        }

        @Override
        public List<String[]> facts() {
            int answered = 0;
            int total = 0;
            long bytes = 0;
            int reconnects = 0;
            int idleRetries = 0;
            int depth = 0;
            long longestCloseWait = 0;
            for (HttpScenarioClient c : clients) {
                answered += c.answered();
                total += c.total();
                bytes += c.bodyBytes();
                reconnects += c.reconnects();
                idleRetries += c.idleRetries();
                depth = Math.max(depth, c.maxDepth());
                longestCloseWait = Math.max(longestCloseWait, c.closeWaitNanos());
            }
            ServerCounters sc = server.server().counters();
            List<String[]> f = new ArrayList<>();
            f.add(new String[] {"connections", Integer.toString(clients.size())});
            f.add(new String[] {"requests", Integer.toString(total)});
            f.add(new String[] {"answered", Integer.toString(answered)});
            f.add(new String[] {"response-body-bytes", Long.toString(bytes)});
            f.add(new String[] {"max-pipeline-depth", Integer.toString(depth)});
            f.add(new String[] {"reconnects", Integer.toString(reconnects)});
            f.add(new String[] {"idle-retries", Integer.toString(idleRetries)});
            f.add(new String[] {"longest-close-wait", ScenarioResult.formatNanos(longestCloseWait)});
            f.add(new String[] {"server-accepted", Long.toString(server.acceptedConnections())});
            f.add(new String[] {"server-idle-timeouts", Long.toString(sc.idleTimeouts())});
            f.add(new String[] {"server-counters", sc.format()});
            return f;
        }
    }
}
