package io.sansnet.trace.tcp;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.ParseError;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the two byte streams of every TCP connection in a trace, fed packet by packet in trace order, with the
 * {@code stack} codecs. Retransmissions, overlaps (first copy wins), out-of-order and missing data are handled and
 * listed per connection as {@link StreamAnomaly anomalies}. A connection starts at a SYN without ACK (a new SYN with
 * another ISN on the same ports starts a new one) or, for connections already open when the capture began, at their
 * first packet.
 *
 * <p>Pure and bounded ({@link ReassemblyLimits}); {@link #extractTo} is the only method that touches files. Not
 * thread-safe.
 */
public final class TcpStreamReassembler {
    /** Packets seen and why those not reassembled were skipped. */
    public record Counters(
            long packets, long tcpSegments, long notIp, long notTcp, long malformed, long fragments, long untracked) {}

    private record FlowKey(Endpoint src, Endpoint dst) {}

    private final ReassemblyLimits limits;
    private final Map<FlowKey, TraceConnection> active = new LinkedHashMap<>();
    private final List<TraceConnection> connections = new ArrayList<>();
    private long packets, tcpSegments, notIp, notTcp, malformed, fragments, untracked;
    private boolean finished;

    public TcpStreamReassembler(ReassemblyLimits limits) {
        this.limits = limits;
    }

    public TcpStreamReassembler() {
        this(ReassemblyLimits.DEFAULT);
    }

    /** Reassembles a whole trace. */
    public static TcpStreamReassembler of(Iterable<CapturedPacket> trace) {
        TcpStreamReassembler r = new TcpStreamReassembler();
        for (CapturedPacket p : trace) {
            r.accept(p);
        }
        r.finish();
        return r;
    }

    /** Feeds the next packet of the trace. */
    public void accept(CapturedPacket p) {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        packets++;
        if (!(p.decodeIp() instanceof LinkLayer.Decoded.Ip ip)) {
            notIp++;
            return;
        }
        byte[] bytes = ip.bytes();
        Parsed<IpPacket> parsed = IpPacket.parse(bytes, 0, bytes.length);
        if (!(parsed instanceof Parsed.Ok<IpPacket> okIp)) {
            malformed++;
            return;
        }
        IpPacket packet = okIp.value();
        if (packet.protocol() != IpProtocol.TCP) {
            notTcp++;
            return;
        }
        if (packet.isFragment()) {
            fragments++;
            return;
        }
        byte[] tcp = packet.payload().toArray();
        Parsed<TcpSegment> seg = TcpSegment.parse(tcp, 0, tcp.length, packet.pseudoHeader());
        boolean badChecksum = false;
        if (seg instanceof Parsed.Err<TcpSegment> err && err.error().kind() == ParseError.Kind.BAD_CHECKSUM) {
            badChecksum = true;
            seg = TcpSegment.parseUnverified(tcp, 0, tcp.length);
        }
        if (!(seg instanceof Parsed.Ok<TcpSegment> okSeg)) {
            malformed++;
            return;
        }
        tcpSegments++;
        segment(p.frameNumber(), packet, okSeg.value(), badChecksum);
    }

    private void segment(long frame, IpPacket packet, TcpSegment seg, boolean badChecksum) {
        TcpHeader h = seg.header();
        Endpoint src = new Endpoint(packet.src(), h.srcPort());
        Endpoint dst = new Endpoint(packet.dst(), h.dstPort());
        boolean syn = h.flags().syn();
        TraceConnection c = active.get(new FlowKey(src, dst));
        if (c == null) {
            c = active.get(new FlowKey(dst, src));
        }
        boolean opening = syn && !h.flags().ack();
        if (opening
                && c != null
                && !(c.client().equals(src)
                        && c.stream(Side.CLIENT).sawSyn()
                        && c.stream(Side.CLIENT).isn() == h.seq())) {
            c = null; // the ports were reused: a new connection
        }
        if (c == null) {
            if (connections.size() >= limits.maxConnections()) {
                untracked++;
                return;
            }
            c = new TraceConnection(connections.size() + 1, src, dst, frame, limits);
            connections.add(c);
            active.remove(new FlowKey(dst, src));
            active.put(new FlowKey(src, dst), c);
        }
        Side side = src.equals(c.client()) ? Side.CLIENT : Side.SERVER;
        HalfStream stream = c.stream(side);
        if (syn) {
            stream.syn(h.seq());
        }
        if (badChecksum) {
            c.anomaly(new StreamAnomaly.BadChecksum(frame, side));
        }
        int payloadSeq = h.seq() + (syn ? 1 : 0); // RFC 9293 §3.4: the SYN occupies the first sequence number
        stream.segment(frame, payloadSeq, seg.payload().toArray(), h.flags().fin());
        if (h.flags().ack()) {
            c.stream(side.other()).acked(h.ack());
        }
        c.seen(frame, h.flags().rst());
    }

    /** Ends the trace: reports data that never arrived. Idempotent. */
    public void finish() {
        if (!finished) {
            finished = true;
            for (TraceConnection c : connections) {
                c.finish();
            }
        }
    }

    /** The connections found, numbered from 1 in order. */
    public List<TraceConnection> connections() {
        return Collections.unmodifiableList(connections);
    }

    public Counters counters() {
        return new Counters(packets, tcpSegments, notIp, notTcp, malformed, fragments, untracked);
    }

    /**
     * Writes each connection's streams as {@code DIR/N.client.bin} and {@code DIR/N.server.bin} (the {@code replay
     * --extract} layout). Calls {@link #finish()} first.
     */
    public void extractTo(Path dir) throws IOException {
        finish();
        Files.createDirectories(dir);
        for (TraceConnection c : connections) {
            Files.write(dir.resolve(c.number() + ".client.bin"), c.clientData());
            Files.write(dir.resolve(c.number() + ".server.bin"), c.serverData());
        }
    }
}
