package io.sansnet.trace.tcp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One TCP connection found in a trace, with both reassembled byte streams and what went wrong in them. */
public final class TraceConnection {
    private final int number;
    private final Endpoint client;
    private final Endpoint server;
    private final long firstFrame;
    private final ReassemblyLimits limits;
    private final HalfStream fromClient;
    private final HalfStream fromServer;
    private final List<StreamAnomaly> anomalies = new ArrayList<>();
    private long anomalyCount;
    private long lastFrame;
    private boolean reset;

    TraceConnection(int number, Endpoint client, Endpoint server, long firstFrame, ReassemblyLimits limits) {
        this.number = number;
        this.client = client;
        this.server = server;
        this.firstFrame = firstFrame;
        this.lastFrame = firstFrame;
        this.limits = limits;
        this.fromClient = new HalfStream(Side.CLIENT, this, limits);
        this.fromServer = new HalfStream(Side.SERVER, this, limits);
    }

    /** 1, 2, ... in the order of each connection's first packet (its SYN when the capture saw the handshake). */
    public int number() {
        return number;
    }

    /** The endpoint that sent the first SYN (or, for a connection already open when capture began, the first packet). */
    public Endpoint client() {
        return client;
    }

    public Endpoint server() {
        return server;
    }

    /** Whether the client's SYN was captured. */
    public boolean sawSyn() {
        return fromClient.sawSyn();
    }

    public long firstFrame() {
        return firstFrame;
    }

    public long lastFrame() {
        return lastFrame;
    }

    /** Whether either side sent a RST. */
    public boolean reset() {
        return reset;
    }

    /** The bytes the client sent, in order, up to the first gap (and the keep limit). */
    public byte[] clientData() {
        return fromClient.data();
    }

    /** The bytes the server sent, in order, up to the first gap (and the keep limit). */
    public byte[] serverData() {
        return fromServer.data();
    }

    /** In-order bytes delivered from {@code side}, including any past the keep limit. */
    public long deliveredBytes(Side side) {
        return stream(side).deliveredBytes();
    }

    /** Whether {@code side}'s FIN was captured and every byte before it delivered. */
    public boolean finished(Side side) {
        return stream(side).finished();
    }

    /** The anomalies listed (at most {@link ReassemblyLimits#maxAnomaliesPerConnection()}), in trace order. */
    public List<StreamAnomaly> anomalies() {
        return Collections.unmodifiableList(anomalies);
    }

    /** All anomalies, listed or not. */
    public long anomalyCount() {
        return anomalyCount;
    }

    HalfStream stream(Side side) {
        return side == Side.CLIENT ? fromClient : fromServer;
    }

    void anomaly(StreamAnomaly a) {
        anomalyCount++;
        if (anomalies.size() < limits.maxAnomaliesPerConnection()) {
            anomalies.add(a);
        }
    }

    void seen(long frame, boolean rst) {
        lastFrame = frame;
        reset |= rst;
    }

    void finish() {
        fromClient.finish();
        fromServer.finish();
    }

    @Override
    public String toString() {
        return "connection " + number + " " + client + " -> " + server;
    }
}
