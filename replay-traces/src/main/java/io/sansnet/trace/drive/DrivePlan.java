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
 *
 * <h2>Bad TCP checksums</h2>
 *
 * Each endpoint's segments in the connection are judged separately:
 *
 * <ul>
 *   <li>An endpoint more than half of whose segments fail the TCP checksum is taken as <em>offloaded</em>: the capture
 *       point saw its packets before the NIC filled the checksum in (captures of {@code lo}, a veth, or packets a host
 *       sends through a NIC with checksum offload; the few that verify are those the kernel checksums itself, like
 *       its RSTs). Its segments are taken as sent and fed with a recomputed checksum.
 *   <li>Otherwise a segment that fails the checksum and whose whole sequence range (SYN and FIN included) later
 *       segments of the same endpoint retransmit was <em>corrupted on the network</em> before the capture point: the
 *       receiver dropped it. A peer's is fed with a checksum that fails for sansnet too (sansnet's TCP must drop it,
 *       see {@link DriveResult.DriveStats#corruptFed()}); a replaced endpoint's is ignored (its retransmission
 *       schedules the write). The bytes it put in the reassembled stream (the first copy wins there) are replaced by
 *       the retransmission's. A corrupt segment that occupies no sequence space (a pure ACK) is never retransmitted
 *       and is treated the same way.
 *   <li>Otherwise the capture's receiver evidently accepted the segment, so its bytes were <em>changed after
 *       capture</em> (a hex editor, editcap, a broken capture pipeline): the replay diverges at that packet with
 *       {@link Divergence.Kind#CORRUPT_CAPTURE}, whichever endpoint sent it.
 * </ul>
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
    /** The first segment whose bad checksum shows the capture was altered after it was taken, or null. */
    final Divergence corruptCapture;

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
        this.corruptCapture = b.corruptCapture;
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

        List<Seen> seen = collect(trace, connection, b.peer, b.replaced);
        for (Seen x : seen) {
            b.ipVersion = x.ipVersion();
        }
        Verdict[] verdicts = checksumVerdicts(seen);
        List<PeerPacket> peers = new ArrayList<>();
        boolean haveReplacedIsn = false;
        boolean havePeerIsn = false;
        boolean haveReplacedSyn = false;
        int peerAckOfSyn = 0;
        boolean havePeerAck = false;
        long scheduled = 0;
        boolean closeScheduled = false;
        for (int i = 0; i < seen.size(); i++) {
            Seen x = seen.get(i);
            Verdict v = verdicts[i];
            TcpSegment seg = x.segment();
            TcpHeader h = seg.header();
            long time = x.timeNanos();
            if (v == Verdict.ALTERED && b.corruptCapture == null) {
                b.corruptCapture = new Divergence(
                        x.frameNumber(),
                        time,
                        Divergence.Kind.CORRUPT_CAPTURE,
                        "the "
                                + (x.fromPeer() ? "replayed " + mode.peer() : "replaced " + mode.replaced())
                                        .toLowerCase(java.util.Locale.ROOT)
                                + "'s segment (seq " + Integer.toUnsignedString(h.seq()) + ", "
                                + seg.payload().length() + " payload bytes) fails its TCP checksum, although most"
                                + " of that endpoint's segments verify (no checksum offload) and no later segment"
                                + " retransmits it: its bytes were changed after capture");
            }
            if (x.fromPeer()) {
                if (v == Verdict.CORRUPTED) {
                    // Corrupted before the capture point: the receiver dropped it, sansnet must too.
                    peers.add(new PeerPacket(x.frameNumber(), time, seg, true));
                    continue;
                }
                if (h.flags().syn() && !havePeerIsn) {
                    havePeerIsn = true;
                    b.peerIsn = h.seq();
                    b.peerSynOptions = h.options();
                }
                if (h.flags().ack() && !havePeerAck) {
                    havePeerAck = true;
                    peerAckOfSyn = h.ack();
                }
                peers.add(new PeerPacket(x.frameNumber(), time, seg));
                continue;
            }
            if (v == Verdict.CORRUPTED) {
                continue; // the peer never received it; its retransmission carries the same bytes
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
                    b.actions.add(new Action(time, x.frameNumber(), ActionKind.CONNECT, 0));
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
                    b.actions.add(new Action(time, x.frameNumber(), ActionKind.WRITE, end));
                }
                if (start >= 0) {
                    b.replacedData.add(new CapturedData(
                            x.frameNumber(), start, seg.payload().toArray()));
                }
            }
            if (h.flags().fin() && !closeScheduled) {
                closeScheduled = true;
                b.actions.add(new Action(time, x.frameNumber(), ActionKind.CLOSE, 0));
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
        if (!b.expectedGiven) {
            b.peerStream = withoutCorrupted(b.peerStream, seen, verdicts, true, b.peerIsn);
            b.replacedStream = withoutCorrupted(b.replacedStream, seen, verdicts, false, b.replacedIsn);
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
        Divergence corruptCapture;
    }

    /** One captured segment of the connection, between its two endpoints. */
    private record Seen(
            long frameNumber,
            long timeNanos,
            int ipVersion,
            boolean fromPeer,
            TcpSegment segment,
            boolean checksumOk) {}

    /** What a segment's TCP checksum says (see the class comment). */
    enum Verdict {
        /** The checksum verifies. */
        OK,
        /** It does not, but its sender's checksums were offloaded: fed with a recomputed checksum. */
        OFFLOADED,
        /** It does not, and a later segment retransmits it: corrupted before the capture point, dropped. */
        CORRUPTED,
        /** It does not and nothing retransmits it: the capture was changed after it was taken. */
        ALTERED
    }

    /** The connection's segments between the two endpoints, in trace order, with their feed times. */
    private static List<Seen> collect(
            List<CapturedPacket> trace, TraceConnection connection, Endpoint peer, Endpoint replaced) {
        List<Seen> out = new ArrayList<>();
        long t0 = Long.MIN_VALUE;
        long lastTime = 0;
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
            boolean checksumOk = true;
            if (parsed instanceof Parsed.Err<TcpSegment> err && err.error().kind() == ParseError.Kind.BAD_CHECKSUM) {
                checksumOk = false;
                parsed = TcpSegment.parseUnverified(tcp, 0, tcp.length);
            }
            if (!(parsed instanceof Parsed.Ok<TcpSegment> okSeg)) {
                continue;
            }
            TcpSegment seg = okSeg.value();
            TcpHeader h = seg.header();
            Endpoint src = new Endpoint(packet.src(), h.srcPort());
            Endpoint dst = new Endpoint(packet.dst(), h.dstPort());
            boolean fromPeer = src.equals(peer) && dst.equals(replaced);
            boolean fromReplaced = src.equals(replaced) && dst.equals(peer);
            if (!fromPeer && !fromReplaced) {
                continue;
            }
            if (p.hasTimestamp()) {
                if (t0 == Long.MIN_VALUE) {
                    t0 = p.timestampNanos();
                }
                lastTime = Math.max(lastTime, p.timestampNanos() - t0);
            }
            out.add(new Seen(p.frameNumber(), lastTime, packet.version(), fromPeer, seg, checksumOk));
        }
        return out;
    }

    /**
     * Judges every bad TCP checksum (see the class comment): per sender, offloaded when more than half of its segments
     * fail; otherwise corrupted on the network when later segments of the same sender cover its whole sequence range,
     * altered after capture when they do not.
     */
    private static Verdict[] checksumVerdicts(List<Seen> seen) {
        Verdict[] v = new Verdict[seen.size()];
        for (boolean fromPeer : new boolean[] {true, false}) {
            int total = 0;
            int bad = 0;
            for (Seen x : seen) {
                if (x.fromPeer() == fromPeer) {
                    total++;
                    bad += x.checksumOk() ? 0 : 1;
                }
            }
            boolean offloaded = 2 * bad > total;
            for (int i = 0; i < seen.size(); i++) {
                Seen x = seen.get(i);
                if (x.fromPeer() != fromPeer) {
                    continue;
                }
                if (x.checksumOk()) {
                    v[i] = Verdict.OK;
                } else if (offloaded) {
                    v[i] = Verdict.OFFLOADED;
                } else {
                    v[i] = retransmittedLater(seen, i) ? Verdict.CORRUPTED : Verdict.ALTERED;
                }
            }
        }
        return v;
    }

    /**
     * Whether later segments of the same sender cover the whole sequence range of segment {@code i} (SYN and FIN
     * count, RFC 9293 §3.4). A segment that occupies no sequence space (a pure ACK) is never retransmitted: a corrupt
     * one counts as covered, the receiver simply dropped it.
     */
    private static boolean retransmittedLater(List<Seen> seen, int i) {
        Seen bad = seen.get(i);
        int seq = bad.segment().header().seq();
        long length = bad.segment().sequenceLength();
        List<long[]> covers = new ArrayList<>();
        for (int j = i + 1; j < seen.size(); j++) {
            Seen x = seen.get(j);
            if (x.fromPeer() != bad.fromPeer() || x.segment().sequenceLength() == 0) {
                continue;
            }
            long from = DriveMath.offset(x.segment().header().seq(), seq);
            long to = from + x.segment().sequenceLength();
            if (to > 0 && from < length) {
                covers.add(new long[] {from, to});
            }
        }
        covers.sort((a, c) -> Long.compare(a[0], c[0]));
        long covered = 0;
        for (long[] c : covers) {
            if (c[0] > covered) {
                break;
            }
            covered = Math.max(covered, c[1]);
        }
        return covered >= length;
    }

    /**
     * The sender's reassembled stream with the bytes a {@link Verdict#CORRUPTED} segment put there (the reassembler
     * keeps the first copy) replaced by those of the first other segment that carries them: what the receiver got.
     */
    private static byte[] withoutCorrupted(byte[] stream, List<Seen> seen, Verdict[] v, boolean fromPeer, int isn) {
        byte[] out = stream;
        for (int i = 0; i < seen.size(); i++) {
            Seen bad = seen.get(i);
            if (v[i] != Verdict.CORRUPTED
                    || bad.fromPeer() != fromPeer
                    || bad.segment().payload().length() == 0) {
                continue;
            }
            long from = payloadOffset(bad.segment(), isn);
            long to = Math.min(from + bad.segment().payload().length(), stream.length);
            from = Math.max(0, from);
            if (from >= to) {
                continue;
            }
            if (out == stream) {
                out = stream.clone();
            }
            boolean[] done = new boolean[(int) (to - from)];
            int left = done.length;
            for (int j = 0; j < seen.size() && left > 0; j++) {
                Seen x = seen.get(j);
                if (x.fromPeer() != fromPeer || v[j] == Verdict.CORRUPTED) {
                    continue;
                }
                long xFrom = payloadOffset(x.segment(), isn);
                int n = x.segment().payload().length();
                for (long off = Math.max(from, xFrom); off < Math.min(to, xFrom + n); off++) {
                    if (!done[(int) (off - from)]) {
                        done[(int) (off - from)] = true;
                        left--;
                        out[(int) off] = x.segment().payload().get((int) (off - xFrom));
                    }
                }
            }
        }
        return out;
    }

    /** The stream offset of a segment's first payload byte (RFC 9293 §3.4: the SYN occupies the ISN). */
    private static long payloadOffset(TcpSegment s, int isn) {
        return DriveMath.offset(s.header().seq(), isn) - 1 + (s.header().flags().syn() ? 1 : 0);
    }
}
