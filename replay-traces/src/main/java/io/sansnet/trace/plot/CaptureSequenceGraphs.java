package io.sansnet.trace.plot;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.ParseError;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.tcp.Endpoint;
import io.sansnet.trace.tcp.ReassemblyLimits;
import io.sansnet.trace.tcp.Side;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.List;
import java.util.Objects;

/**
 * The time-sequence graph of one TCP connection of a capture, fed packet by packet in file order. Connections are
 * numbered as {@link TcpStreamReassembler} numbers them (from 1, in the order of their first SYN; {@code sansnet
 * replay --extract} uses the same numbers): a reassembler runs alongside, keeping no stream data, and a packet belongs
 * to connection N when the reassembler counted it there.
 *
 * <p>Both directions are collected; {@link #result} draws the one asked for, or the one that carried more data. A
 * capture knows neither the sender's cwnd nor what the network dropped: the graph shows the bytes in flight and the
 * advertised receive window instead, and no loss marks. Packets without a timestamp (pcapng simple packet blocks)
 * take the previous packet's time.
 */
public final class CaptureSequenceGraphs {

    /** What {@link #result} found. */
    public sealed interface Result {
        /**
         * The graph of connection {@code connection} in direction {@code direction} (its data sender).
         *
         * @param dataSegments data segments in that direction
         * @param retransmissions of them, retransmissions
         * @param sackBlocks SACK blocks in the other direction's ACKs
         */
        record Found(
                SequenceGraph graph,
                TraceConnection connection,
                Side direction,
                long dataSegments,
                long retransmissions,
                long sackBlocks)
                implements Result {}

        /** The capture has only {@code found} connections. */
        record NoSuchConnection(int requested, int found) implements Result {}
    }

    private final int connection;
    private final PlotLimits limits;
    private final TcpStreamReassembler reassembler;
    private final SequenceGraphBuilder fromClient;
    private final SequenceGraphBuilder fromServer;
    private long lastTime;

    /**
     * @param connection the connection to draw, from 1
     * @param limits memory and drawing bounds
     */
    public CaptureSequenceGraphs(int connection, PlotLimits limits) {
        if (connection < 1) {
            throw new IllegalArgumentException("connections are numbered from 1: " + connection);
        }
        this.connection = connection;
        this.limits = Objects.requireNonNull(limits, "limits");
        // Only the numbering is needed: keep no stream bytes, hold no out-of-order data, list no anomalies.
        this.reassembler =
                new TcpStreamReassembler(new ReassemblyLimits(ReassemblyLimits.DEFAULT_MAX_CONNECTIONS, 0, 0, 0));
        this.fromClient = new SequenceGraphBuilder(limits);
        this.fromServer = new SequenceGraphBuilder(limits);
    }

    /** Feeds the next packet of the capture. */
    public void accept(CapturedPacket p) {
        if (p.hasTimestamp()) {
            lastTime = p.timestampNanos();
        }
        reassembler.accept(p);
        List<TraceConnection> all = reassembler.connections();
        if (all.size() < connection || all.get(connection - 1).lastFrame() != p.frameNumber()) {
            return;
        }
        TraceConnection c = all.get(connection - 1);
        if (!(p.decodeIp() instanceof LinkLayer.Decoded.Ip ip)) {
            return;
        }
        byte[] bytes = ip.bytes();
        if (!(IpPacket.parse(bytes, 0, bytes.length) instanceof Parsed.Ok<IpPacket> okIp)
                || okIp.value().protocol() != IpProtocol.TCP) {
            return;
        }
        IpPacket packet = okIp.value();
        byte[] tcp = packet.payload().toArray();
        Parsed<TcpSegment> parsed = TcpSegment.parse(tcp, 0, tcp.length, packet.pseudoHeader());
        if (parsed instanceof Parsed.Err<TcpSegment> err && err.error().kind() == ParseError.Kind.BAD_CHECKSUM) {
            parsed = TcpSegment.parseUnverified(tcp, 0, tcp.length); // as the reassembler does: offloaded checksums
        }
        if (!(parsed instanceof Parsed.Ok<TcpSegment> ok)) {
            return;
        }
        TcpSegment seg = ok.value();
        int length = seg.payload().length();
        if (new Endpoint(packet.src(), seg.header().srcPort()).equals(c.client())) {
            fromClient.fromSender(lastTime, seg.header(), length);
            fromServer.fromReceiver(lastTime, seg.header(), length);
        } else {
            fromServer.fromSender(lastTime, seg.header(), length);
            fromClient.fromReceiver(lastTime, seg.header(), length);
        }
    }

    /** Connections seen so far. */
    public int connections() {
        return reassembler.connections().size();
    }

    /**
     * The graph of the connection in {@code direction} (null: the direction that carried more data, the client's on a
     * tie), titled with {@code name} (the capture's name).
     */
    public Result result(Side direction, String name) {
        List<TraceConnection> all = reassembler.connections();
        if (all.size() < connection) {
            return new Result.NoSuchConnection(connection, all.size());
        }
        TraceConnection c = all.get(connection - 1);
        Side side =
                direction != null ? direction : fromServer.sndNxt() > fromClient.sndNxt() ? Side.SERVER : Side.CLIENT;
        SequenceGraphBuilder b = side == Side.CLIENT ? fromClient : fromServer;
        Endpoint sender = side == Side.CLIENT ? c.client() : c.server();
        Endpoint receiver = side == Side.CLIENT ? c.server() : c.client();
        String title = name + ": connection " + connection + ", data " + sender + " -> " + receiver + " ("
                + (side == Side.CLIENT ? "client to server" : "server to client") + ")";
        return new Result.Found(b.build(title), c, side, b.dataSegments(), b.retransmissions(), b.sackBlocks());
    }

    public PlotLimits limits() {
        return limits;
    }
}
