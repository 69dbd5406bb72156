package io.sansnet.trace.drive;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.ParseError;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.tcp.Endpoint;
import io.sansnet.trace.tcp.Side;
import io.sansnet.trace.tcp.StreamAnomaly;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What replaying one captured connection needs, taken from the capture: the replayed peer's segments with their feed
 * times, the replaced endpoint's application actions (connect, writes, close) with theirs, both streams, and the
 * initial sequence numbers and options of the handshake. Immutable; {@link #withPeerPackets} makes a perturbed copy.
 *
 * <p>The replaced endpoint's application is reconstructed from its captured segments: it writes the bytes up to the
 * end of each segment that carries new stream bytes at that segment's time, connects at its SYN (client mode) and
 * closes at its first FIN. Its RSTs are not replayed: sansnet's own TCP decides whether to reset.
 */
public final class DrivePlan {

    /** What the replaced endpoint's application does. */
    enum ActionKind {
        CONNECT,
        WRITE,
        CLOSE
    }

    /**
     * One application action.
     *
     * @param upTo for WRITE, the stream length written once it is done
     */
    record Action(long timeNanos, long frameNumber, ActionKind kind, long upTo) {}

    /** A captured payload of the replaced endpoint, at its stream offset. */
    record CapturedData(long frameNumber, long streamOffset, byte[] payload) {}

    /** The plan, or why the connection cannot be replayed. */
    public sealed interface Planned {
        record Ready(DrivePlan plan) implements Planned {}

        record Refused(String reason) implements Planned {}
    }

    final int connection;
    final DriveMode mode;
    final int ipVersion;
    final Endpoint replaced;
    final Endpoint peer;
    final int replacedIsn;
    final int peerIsn;
    /** Options the replaced endpoint offered in its SYN or SYN-ACK (what sansnet then offers). */
    final boolean replacedWindowScale;

    final boolean replacedSack;
    final boolean replacedTimestamps;
    /** Options the peer offered in its SYN or SYN-ACK. */
    final TcpOptions peerSynOptions;

    final byte[] replacedStream;
    final byte[] peerStream;
    /** Whether the capture shows the peer's FIN after all of its stream. */
    final boolean peerFinished;

    final List<PeerPacket> peerPackets;
    final List<Action> actions;
    /** The replaced endpoint's captured payloads, checked against {@link ExpectedStreams} when some were given. */
    final List<CapturedData> replacedData;

    final boolean expectedGiven;

    private DrivePlan(Builder b, List<PeerPacket> peerPackets) {
        this.connection = b.connection;
        this.mode = b.mode;
        this.ipVersion = b.ipVersion;
        this.replaced = b.replaced;
        this.peer = b.peer;
        this.replacedIsn = b.replacedIsn;
        this.peerIsn = b.peerIsn;
        this.replacedWindowScale = b.replacedWindowScale;
        this.replacedSack = b.replacedSack;
        this.replacedTimestamps = b.replacedTimestamps;
        this.peerSynOptions = b.peerSynOptions;
        this.replacedStream = b.replacedStream;
        this.peerStream = b.peerStream;
        this.peerFinished = b.peerFinished;
        this.actions = List.copyOf(b.actions);
        this.replacedData = List.copyOf(b.replacedData);
        this.expectedGiven = b.expectedGiven;
        this.peerPackets = List.copyOf(peerPackets);
        this.builder = b;
    }

    private final Builder builder;

    /** The connection's number in the trace. */
    public int connection() {
        return connection;
    }

    public DriveMode mode() {
        return mode;
    }

    /** The replayed peer's packets in feed order. */
    public List<PeerPacket> peerPackets() {
        return peerPackets;
    }

    /** The bytes sansnet's application should receive. */
    public byte[] peerStream() {
        return peerStream.clone();
    }

    /** The bytes sansnet's application writes. */
    public byte[] replacedStream() {
        return replacedStream.clone();
    }

    /**
     * The same plan with the peer's packets replaced, e.g. duplicated or reordered by a test. Times must not decrease
     * along the list.
     */
    public DrivePlan withPeerPackets(List<PeerPacket> packets) {
        long t = Long.MIN_VALUE;
        for (PeerPacket p : packets) {
            if (p.timeNanos() < t) {
                throw new IllegalArgumentException("feed times decrease at packet " + p.frameNumber());
            }
            t = p.timeNanos();
        }
        return new DrivePlan(builder, packets);
    }

    /**
     * Plans the replay of {@code connection}, found by a {@link io.sansnet.trace.tcp.TcpStreamReassembler} in
     * {@code trace}. Refused when the capture lacks the handshake or lost bytes of the replaced endpoint.
     */
    public static Planned of(
            List<CapturedPacket> trace,
            TraceConnection connection,
            DriveMode mode,
            Optional<ExpectedStreams> expected) {
        if (!connection.sawSyn()) {
            return new Planned.Refused("the capture began after the connection's SYN");
        }
        Side replacedSide = mode.replaced();
        for (StreamAnomaly a : connection.anomalies()) {
            if (a instanceof StreamAnomaly.Gap g && g.from() == replacedSide && !expected.isPresent()) {
                return new Planned.Refused("the capture lost " + g.missingBytes() + " bytes the "
                        + replacedSide.name().toLowerCase(java.util.Locale.ROOT) + " sent (at stream offset "
                        + g.offset() + "), which sansnet's application would have to write");
            }
        }
        Builder b = new Builder();
        b.connection = connection.number();
        b.mode = mode;
        b.replaced = replacedSide == Side.CLIENT ? connection.client() : connection.server();
        b.peer = replacedSide == Side.CLIENT ? connection.server() : connection.client();
        b.expectedGiven = expected.isPresent();
        byte[] clientBytes = expected.map(ExpectedStreams::client).orElseGet(connection::clientData);
        byte[] serverBytes = expected.map(ExpectedStreams::server).orElseGet(connection::serverData);
        b.replacedStream = replacedSide == Side.CLIENT ? clientBytes : serverBytes;
        b.peerStream = replacedSide == Side.CLIENT ? serverBytes : clientBytes;
        b.peerFinished = connection.finished(mode.peer());

        List<PeerPacket> peers = new ArrayList<>();
        boolean haveReplacedIsn = false;
        boolean havePeerIsn = false;
        boolean haveReplacedSyn = false;
        int peerAckOfSyn = 0;
        boolean havePeerAck = false;
        long t0 = Long.MIN_VALUE;
        long lastTime = 0;
        long scheduled = 0;
        boolean closeScheduled = false;
        for (CapturedPacket p : trace) {
            if (p.frameNumber() < connection.firstFrame() || p.frameNumber() > connection.lastFrame()) {
                continue;
            }
            if (!(p.decodeIp() instanceof LinkLayer.Decoded.Ip ip)) {
                continue;
            }
            byte[] bytes = ip.bytes();
            if (!(IpPacket.parse(bytes, 0, bytes.length) instanceof Parsed.Ok<IpPacket> okIp)) {
                continue;
            }
            IpPacket packet = okIp.value();
            if (packet.protocol() != IpProtocol.TCP || packet.isFragment()) {
                continue;
            }
            byte[] tcp = packet.payload().toArray();
            Parsed<TcpSegment> parsed = TcpSegment.parse(tcp, 0, tcp.length, packet.pseudoHeader());
            if (parsed instanceof Parsed.Err<TcpSegment> err && err.error().kind() == ParseError.Kind.BAD_CHECKSUM) {
                // Checksum offload at the capture point: the endpoint received it intact. Fed with a real checksum.
                parsed = TcpSegment.parseUnverified(tcp, 0, tcp.length);
            }
            if (!(parsed instanceof Parsed.Ok<TcpSegment> okSeg)) {
                continue;
            }
            TcpSegment seg = okSeg.value();
            TcpHeader h = seg.header();
            Endpoint src = new Endpoint(packet.src(), h.srcPort());
            Endpoint dst = new Endpoint(packet.dst(), h.dstPort());
            boolean fromPeer = src.equals(b.peer) && dst.equals(b.replaced);
            boolean fromReplaced = src.equals(b.replaced) && dst.equals(b.peer);
            if (!fromPeer && !fromReplaced) {
                continue;
            }
            b.ipVersion = packet.version();
            if (p.hasTimestamp()) {
                if (t0 == Long.MIN_VALUE) {
                    t0 = p.timestampNanos();
                }
                lastTime = Math.max(lastTime, p.timestampNanos() - t0);
            }
            long time = lastTime;
            if (fromPeer) {
                if (h.flags().syn() && !havePeerIsn) {
                    havePeerIsn = true;
                    b.peerIsn = h.seq();
                    b.peerSynOptions = h.options();
                }
                if (h.flags().ack() && !havePeerAck) {
                    havePeerAck = true;
                    peerAckOfSyn = h.ack();
                }
                peers.add(new PeerPacket(p.frameNumber(), time, seg));
                continue;
            }
            if (h.flags().syn()) {
                if (!haveReplacedIsn) {
                    haveReplacedIsn = true;
                    b.replacedIsn = h.seq();
                    TcpOptions o = h.options();
                    b.replacedWindowScale = o.windowScale().isPresent();
                    b.replacedSack = o.sackPermitted();
                    b.replacedTimestamps = o.timestamps().isPresent();
                }
                if (mode == DriveMode.CLIENT && !haveReplacedSyn && !h.flags().ack()) {
                    haveReplacedSyn = true;
                    b.actions.add(new Action(time, p.frameNumber(), ActionKind.CONNECT, 0));
                }
            }
            if (!haveReplacedIsn) {
                continue;
            }
            int payloadLength = seg.payload().length();
            if (payloadLength > 0) {
                long start = DriveMath.offset(h.seq(), b.replacedIsn)
                        - 1
                        + (h.flags().syn() ? 1 : 0);
                long end = Math.min(start + payloadLength, b.replacedStream.length);
                if (end > scheduled) {
                    scheduled = end;
                    b.actions.add(new Action(time, p.frameNumber(), ActionKind.WRITE, end));
                }
                if (start >= 0) {
                    b.replacedData.add(new CapturedData(
                            p.frameNumber(), start, seg.payload().toArray()));
                }
            }
            if (h.flags().fin() && !closeScheduled) {
                closeScheduled = true;
                b.actions.add(new Action(time, p.frameNumber(), ActionKind.CLOSE, 0));
            }
        }
        if (!havePeerIsn) {
            return new Planned.Refused("the capture has no SYN of the replayed "
                    + mode.peer().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!haveReplacedIsn) {
            if (mode == DriveMode.CLIENT || !havePeerAck) {
                return new Planned.Refused("the capture has no SYN of the "
                        + mode.replaced().name().toLowerCase(java.util.Locale.ROOT));
            }
            // The server's SYN-ACK was not captured: its ISN is what the client acknowledged, minus one.
            b.replacedIsn = peerAckOfSyn - 1;
            b.replacedWindowScale = b.peerSynOptions.windowScale().isPresent();
            b.replacedSack = b.peerSynOptions.sackPermitted();
            b.replacedTimestamps = b.peerSynOptions.timestamps().isPresent();
        }
        return new Planned.Ready(new DrivePlan(b, peers));
    }

    private static final class Builder {
        int connection;
        DriveMode mode;
        int ipVersion = 4;
        Endpoint replaced;
        Endpoint peer;
        int replacedIsn;
        int peerIsn;
        boolean replacedWindowScale;
        boolean replacedSack;
        boolean replacedTimestamps;
        TcpOptions peerSynOptions = TcpOptions.NONE;
        byte[] replacedStream;
        byte[] peerStream;
        boolean peerFinished;
        boolean expectedGiven;
        final List<Action> actions = new ArrayList<>();
        final List<CapturedData> replacedData = new ArrayList<>();
    }
}
