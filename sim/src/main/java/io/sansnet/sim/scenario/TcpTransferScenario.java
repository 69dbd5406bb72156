package io.sansnet.sim.scenario;

import io.sansnet.sim.Disruption;
import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.SimHost;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the scenarios in which one client connection transfers {@link #bytes()} octets each way share ({@code bulk},
 * {@code syn-flood}, {@code rst-attack}): the transfer's size and its replay flag, the run's deadline, and in
 * {@link Transfer} the two applications and the checks of the transfer after the run.
 */
abstract class TcpTransferScenario implements Scenario {

    private final long bytes;
    private final long defaultBytes;

    /** A transfer of {@code bytes} octets each way (1..{@code maxBytes}); {@code defaultBytes} needs no replay flag. */
    TcpTransferScenario(long bytes, long defaultBytes, long maxBytes) {
        this.bytes = checkRange("bytes", bytes, maxBytes);
        this.defaultBytes = defaultBytes;
    }

    /** {@code value} when it is 1..{@code max}, else an {@link IllegalArgumentException} naming {@code what}. */
    static long checkRange(String what, long value, long max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(what + " must be 1.." + max + ": " + value);
        }
        return value;
    }

    /** True when the fault plan crashes a host: then only the exact-prefix rule holds. */
    static boolean crashes(FaultPlan plan) {
        return plan.schedule().stream().anyMatch(d -> d instanceof Disruption.Crash);
    }

    /** Octets sent each way. */
    public long bytes() {
        return bytes;
    }

    @Override
    public String replayFlags() {
        return bytes == defaultBytes ? "" : "--bytes " + bytes;
    }

    /**
     * An hour of virtual time: under heavy loss a retransmission backs off to 60 s (RFC 6298 (2.5)), a flood's
     * half-open connections retransmit their SYN-ACKs for about two minutes, and a FIN may wait in TIME-WAIT for 2*MSL
     * = 240 s (RFC 9293 §3.4.2) before the tables are empty.
     */
    @Override
    public long deadlineNanos() {
        return 3_600_000_000_000L;
    }

    /**
     * The client's and the server's applications of one transfer, and the checks after the run: the client connects
     * once (its state survives its crash; it does not reconnect), the server attaches an endpoint to each accepted
     * stream.
     */
    final class Transfer {
        final Topology topology;
        final TcpTransferEndpoint client;
        final List<TcpTransferEndpoint> servers = new ArrayList<>();
        /** The applications' own violations (a failed listen). */
        final List<String> violations = new ArrayList<>();

        private final long clientSeed;
        private final long serverSeed;
        private final UnaryOperator<TcpTransferEndpoint> endpoints;
        private boolean clientStarted;
        private String connectError;

        /**
         * A transfer over {@code topology}: the client sends the stream of {@code clientSeed}, the server that of
         * {@code serverSeed}; {@code endpoints} completes each endpoint as it is made (a close listener).
         */
        Transfer(Topology topology, long clientSeed, long serverSeed, UnaryOperator<TcpTransferEndpoint> endpoints) {
            this.topology = topology;
            this.clientSeed = clientSeed;
            this.serverSeed = serverSeed;
            this.endpoints = endpoints;
            this.client = endpoints.apply(new TcpTransferEndpoint("client", clientSeed, bytes, serverSeed, bytes));
        }

        /** The server's application: listens on {@code port}; {@code onAccept} sees each stream before it attaches. */
        void startServer(AppHost h, int port, int backlog, Consumer<TcpStream> onAccept) {
            AppResult<?> r = ((TcpTransport) h).listen(port, backlog, (TcpStream s) -> {
                TcpTransferEndpoint e = endpoints.apply(
                        new TcpTransferEndpoint("server#" + servers.size(), serverSeed, bytes, clientSeed, bytes));
                servers.add(e);
                onAccept.accept(s);
                e.attach(s);
            });
            if (!r.isOk()) {
                violations.add("server: listen failed: " + r);
            }
        }

        /** The client's application: connects once; {@code onConnected} sees the stream after it attached. */
        void startClient(AppHost h, IpAddress server, int port, Consumer<TcpStream> onConnected) {
            if (clientStarted) {
                return; // the client's state survives its crash; it does not reconnect
            }
            clientStarted = true;
            ((TcpTransport) h).connect(server, port).onComplete(r -> {
                if (r.isOk()) {
                    client.attach(r.value());
                    onConnected.accept(r.value());
                } else {
                    connectError = r.error().toString();
                }
            });
        }

        /** Why the client's connect failed, or null. */
        String connectError() {
            return connectError;
        }

        /** True once an application or an endpoint found a violation. */
        boolean failed() {
            if (!violations.isEmpty() || !client.violations().isEmpty()) {
                return true;
            }
            for (TcpTransferEndpoint s : servers) {
                if (!s.violations().isEmpty()) {
                    return true;
                }
            }
            return false;
        }

        /** Without a crash: both ends of the one connection closed; with one, the client's; and the tables empty. */
        boolean done(boolean crashes) {
            if (crashes) {
                return client.closed() && layersEmpty();
            }
            return client.closed() && !servers.isEmpty() && servers.get(0).closed() && layersEmpty();
        }

        boolean layersEmpty() {
            return empty(topology.client()) && empty(topology.server());
        }

        private boolean empty(SimHost h) {
            return h.tcp() == null || h.tcp().connectionCount() == 0;
        }

        boolean serversClosed() {
            for (TcpTransferEndpoint s : servers) {
                if (!s.closed()) {
                    return false;
                }
            }
            return true;
        }

        /** The exact-prefix rule: the endpoints' violations, and {@code neverEnded} if the client's connection lives. */
        void addPrefixViolations(List<String> v, String neverEnded) {
            v.addAll(client.violations());
            for (TcpTransferEndpoint s : servers) {
                v.addAll(s.violations());
            }
            if (connectError == null && client.connected() && !client.closed()) {
                v.add(neverEnded);
            }
        }

        /** A complete transfer: every octet both ways, one accepted connection ({@code expected}), empty tables. */
        void addCompletionViolations(List<String> v, String expected) {
            v.addAll(client.completionViolations());
            if (servers.size() != 1) {
                v.add("server: accepted " + servers.size() + " connections, expected " + expected);
            }
            for (TcpTransferEndpoint s : servers) {
                v.addAll(s.completionViolations());
            }
            if (!layersEmpty()) {
                v.add("a TCP layer still holds connections after both ends closed");
            }
        }

        /** The transfer's facts: its size, the octets each end received, how the client's connection ended. */
        void addFacts(List<String[]> f) {
            f.add(new String[] {"bytes", Long.toString(bytes)});
            f.add(new String[] {"client-received", Long.toString(client.received())});
            long serverReceived = 0;
            for (TcpTransferEndpoint s : servers) {
                serverReceived += s.received();
            }
            f.add(new String[] {"server-received", Long.toString(serverReceived)});
            f.add(new String[] {"client-close", String.valueOf(client.reason())});
        }
    }
}
