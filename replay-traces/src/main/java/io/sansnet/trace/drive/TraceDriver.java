package io.sansnet.trace.drive;

import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpConfig;
import io.sansnet.stack.tcp.TcpEvent;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpListener;
import io.sansnet.stack.tcp.TcpSocket;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Drives sansnet's TCP ({@link Host} with a {@link TcpLayer}) from a captured connection: sansnet takes the place of
 * one endpoint ({@link DriveMode}), the other endpoint's packets are fed to it in trace order at trace times on a
 * virtual clock, and sansnet's application writes what the replaced endpoint's application wrote, when the capture
 * shows it. Sans-io: no clock, threads or files; the caller reads the capture.
 *
 * <h2>Rewriting the replayed packets</h2>
 *
 * <ul>
 *   <li>Addresses: sansnet is 198.18.0.1 (fd00:5a::1), the peer 198.18.0.2 (fd00:5a::2); the peer keeps its port,
 *       sansnet listens on the captured server port (server mode) or uses the ephemeral port it chose (client mode).
 *       Checksums are recomputed (so captures with offloaded checksums replay too), except for a packet that was
 *       corrupted on the network before the capture point: its checksum is made to fail, and sansnet must drop it
 *       as the captured receiver did. How a bad captured checksum is told apart (offload, network corruption, an
 *       altered capture, which diverges at once) is described in {@link DrivePlan}.
 *   <li>The peer's sequence numbers are kept. Its ACK numbers and SACK blocks, which count in the replaced
 *       endpoint's sequence space, are moved to sansnet's (sansnet's ISN is read from its SYN or SYN-ACK); sansnet's
 *       application writes the same bytes, so stream offsets correspond one to one.
 *   <li>An ACK or SACK edge beyond what sansnet has sent makes the packet wait, for at most
 *       {@link DriveConfig#maxAckWaitNanos()} of virtual time, for the application's next write (the capture may
 *       stamp the replaced endpoint's segment after the peer's answer to it). If that does not cover it, sansnet is
 *       slower than the captured endpoint (a smaller congestion window after the capture's losses, Nagle): the packet
 *       is fed with its ACK and SACK numbers clamped to what sansnet sent (the window's right edge stays where the
 *       capture put it), and the rest of its acknowledgment is owed: each time sansnet then sends more of those
 *       bytes, a pure ACK from the peer (its newest TSval, no SACK) acknowledges them, as the captured peer did.
 *       SACK blocks that end up empty or at or below the acknowledgment (D-SACK, RFC 2883, about the captured
 *       endpoint's duplicates) are dropped.
 *   <li>The window field keeps its meaning: sansnet offers the options the replaced endpoint offered, so the peer's
 *       window scale applies exactly when it did in the capture.
 *   <li>TSval is the peer's, as captured; TSecr echoes the latest TSval sansnet had sent when the packet is fed
 *       (0 stays 0).
 *   <li>A packet whose trace time has passed while earlier ones waited is fed at once: virtual time never goes back.
 *       Every peer packet is fed as captured otherwise, retransmissions, reordering and the final RST included.
 * </ul>
 *
 * <h2>Checks</h2>
 *
 * Every segment sansnet sends: IP and TCP checksums, addresses and ports; SYN only in the handshake at its ISN, ACK on
 * every other segment (RST aside); ACK numbers within what the peer sent and never going back; payload equal to what
 * the application wrote, within the peer's window and MSS; FIN only after the application closed, at the stream's
 * end; options as negotiated (RFC 7323 timestamps on every segment, TSecr a TSval the peer sent, TSval monotone; SACK
 * blocks within what the peer sent); no URG, ECE or CWR. The bytes sansnet's application receives are compared with
 * the peer's captured stream as they arrive, and at the end their length and the end of stream. By the end sansnet
 * must have sent every byte the capture's peer acknowledged. Before anything is fed, a segment of either endpoint with
 * a bad TCP checksum that neither checksum offload nor a later retransmission explains is reported as
 * {@link Divergence.Kind#CORRUPT_CAPTURE} at its packet. With {@link ExpectedStreams}, the replaced endpoint's
 * captured payloads are compared with its expected stream first. The first divergence ends the replay.
 */
public final class TraceDriver {

    static final Ipv4Address SANSNET_V4 = Ipv4Address.of(198, 18, 0, 1);
    static final Ipv4Address PEER_V4 = Ipv4Address.of(198, 18, 0, 2);
    static final Ipv6Address SANSNET_V6 = Ipv6Address.of("fd00:5a::1");
    static final Ipv6Address PEER_V6 = Ipv6Address.of("fd00:5a::2");
    /** The listener's backlog in server mode: one connection is replayed. */
    private static final int BACKLOG = 8;
    /** The low byte of the TCP header's checksum field. */
    private static final int CHECKSUM_LOW_BYTE = 17;
    /** Bytes read from the socket per receive call. */
    private static final int READ_CHUNK = 64 * 1024;

    private TraceDriver() {}

    /** Replays every connection of a trace (or only number {@code only}) in {@code mode}. */
    public static List<DriveResult> drive(
            List<CapturedPacket> trace,
            DriveMode mode,
            OptionalInt only,
            DriveConfig config,
            Optional<ExpectedStreams> expected) {
        TcpStreamReassembler r = TcpStreamReassembler.of(trace);
        List<DriveResult> results = new ArrayList<>();
        for (TraceConnection c : r.connections()) {
            if (only.isPresent() && c.number() != only.getAsInt()) {
                continue;
            }
            results.add(drive(trace, c, mode, config, expected));
        }
        return results;
    }

    /** Replays one connection of a trace. */
    public static DriveResult drive(
            List<CapturedPacket> trace,
            TraceConnection connection,
            DriveMode mode,
            DriveConfig config,
            Optional<ExpectedStreams> expected) {
        DrivePlan.Planned planned = DrivePlan.of(trace, connection, mode, expected);
        if (planned instanceof DrivePlan.Planned.Refused refused) {
            return new DriveResult.NotDrivable(connection.number(), refused.reason());
        }
        return run(((DrivePlan.Planned.Ready) planned).plan(), config);
    }

    /** Replays a plan (possibly perturbed with {@link DrivePlan#withPeerPackets}). */
    public static DriveResult run(DrivePlan plan, DriveConfig config) {
        return new Run(plan, config, UnaryOperator.identity()).run();
    }

    /** For tests of the checks: {@code tap} may alter each packet sansnet sent before it is checked. */
    static DriveResult run(DrivePlan plan, DriveConfig config, UnaryOperator<byte[]> tap) {
        return new Run(plan, config, tap).run();
    }

    /** One replay: sansnet's host, its application, and the checker of its output. */
    private static final class Run implements TcpSocket.Handler {
        private final DrivePlan plan;
        private final DriveConfig config;
        private final Host host;
        private final TcpLayer layer;
        private final IpAddress sansnetAddress;
        private final IpAddress peerAddress;
        private final TcpConfig tcp;

        private long now;
        private long steps;
        private Divergence divergence;
        private long lastFedFrame;

        // --- sansnet's connection as seen on the wire ---
        private TcpSocket socket;
        private boolean issKnown;
        private int iss;
        private int sansnetPort;
        /** Highest sequence offset (from the ISS) sansnet sent, exclusive: SYN is 1, FIN counts. */
        private long sentMax;

        private boolean sansnetOfferedTimestamps;
        private boolean sansnetOfferedSack;
        private boolean sansnetOfferedWindowScale;
        private boolean sawTsval;
        private int lastTsval;
        private boolean sentAck;
        private boolean sentNonSyn;
        private long lastAckOffset;
        private long resetsSent;
        private long segmentsChecked;

        // --- the peer as fed ---
        private final int peerShift;
        private final int peerMss;
        /** Highest offset (from the peer's ISN) of what the peer sent, exclusive. */
        private long peerMaxEnd;
        /** The peer's right window edge as fed, offset in sansnet's sequence space; -1 before the first ACK. */
        private long peerEdge = -1;

        private final Set<Integer> peerTsvals = new HashSet<>();
        /** Payload ranges of fed packets, in feed order: {frame, start, end} stream offsets. */
        private final List<long[]> fedData = new ArrayList<>();
        /** Fed packets whose acknowledgment was clamped: {frame, needed offset}. */
        private final List<long[]> clampedNeeds = new ArrayList<>();

        private long fed;
        private long waits;
        private long clamped;
        private long deferredAcks;
        private long corruptFed;
        private long waitingSince = -1;
        /** The highest offset a clamped packet acknowledged in the capture: owed to sansnet once it sends it. */
        private long owedAck;
        /** The highest acknowledgment fed, offset in sansnet's sequence space. */
        private long fedAckMax;

        private boolean peerReset;
        private boolean peerTimestamps;
        private int lastPeerTsval;

        // --- the application ---
        private boolean connected;
        private long target;
        private long written;
        private boolean closeRequested;
        private boolean closed;
        private long delivered;
        private boolean peerFinished;
        private CloseReason closeReason;

        private final UnaryOperator<byte[]> tap;

        Run(DrivePlan plan, DriveConfig config, UnaryOperator<byte[]> tap) {
            this.tap = tap;
            this.plan = plan;
            this.config = config;
            boolean v4 = plan.ipVersion == 4;
            this.sansnetAddress = v4 ? SANSNET_V4 : SANSNET_V6;
            this.peerAddress = v4 ? PEER_V4 : PEER_V6;
            HostConfig hc = HostConfig.builder()
                    .ipv4(SANSNET_V4, 15)
                    .ipv6(SANSNET_V6, 64)
                    .build();
            SplitMix64 random = new SplitMix64(config.seed());
            this.host = new Host(hc, random.fork("host"));
            this.tcp = config.tcp().toBuilder()
                    .windowScaling(plan.replacedWindowScale)
                    .sack(plan.replacedSack)
                    .timestamps(plan.replacedTimestamps)
                    .build();
            this.layer = new TcpLayer(hc, tcp, TcpLayer.Limits.DEFAULT, random.fork("tcp"));
            host.attachTcp(layer);
            TcpOptions po = plan.peerSynOptions;
            this.peerShift =
                    po.windowScale().isPresent() ? Math.min(14, po.windowScale().getAsInt()) : 0;
            // RFC 9293 §3.7.1 defaults without the option; sansnet never goes below TcpConfig.MIN_PEER_MSS
            int announced = po.mss().isPresent() ? po.mss().getAsInt() : (v4 ? 536 : 1220);
            this.peerMss = Math.max(announced, TcpConfig.MIN_PEER_MSS);
        }

        DriveResult run() {
            if (plan.mode == DriveMode.SERVER) {
                AppResult<TcpListener> l = layer.listen(plan.replaced.port(), BACKLOG, s -> {
                    if (socket == null) {
                        socket = s;
                        s.setHandler(this);
                    } else {
                        s.abort();
                    }
                });
                if (!(l instanceof AppResult.Ok<TcpListener>)) {
                    return new DriveResult.NotDrivable(plan.connection, "cannot listen on " + plan.replaced.port());
                }
            }
            checkTrace();
            List<PeerPacket> packets = plan.peerPackets;
            List<DrivePlan.Action> actions = plan.actions;
            int nextPacket = 0;
            int nextAction = 0;
            long lastEvent = 0;
            while (divergence == null) {
                if (++steps > config.maxSteps()) {
                    diverge(lastFedFrame, Divergence.Kind.NO_PROGRESS, "more than " + config.maxSteps() + " steps");
                    break;
                }
                long tAction = nextAction < actions.size()
                        ? Math.max(now, actions.get(nextAction).timeNanos())
                        : Long.MAX_VALUE;
                long tPacket = nextPacket < packets.size()
                        ? Math.max(now, packets.get(nextPacket).timeNanos())
                        : Long.MAX_VALUE;
                long tTimer = Math.max(now, host.pollTimeout());
                if (tAction == Long.MAX_VALUE && tPacket == Long.MAX_VALUE) {
                    if (host.pollTimeout() == Host.NO_DEADLINE || tTimer > lastEvent + config.settleNanos()) {
                        break;
                    }
                }
                if (tAction <= tTimer && tAction <= tPacket) {
                    now = tAction;
                    act(actions.get(nextAction++));
                    lastEvent = now;
                } else if (tTimer <= tPacket) {
                    now = tTimer;
                    host.handleTimeout(now);
                } else {
                    PeerPacket p = packets.get(nextPacket);
                    long needed = needed(p);
                    boolean ahead = needed > sentMax || (!issKnown && needed > 0);
                    if (ahead) {
                        if (waitingSince < 0) {
                            waitingSince = tPacket;
                            waits++;
                        }
                        if (tAction <= waitingSince + config.maxAckWaitNanos()) {
                            // The packet waits for the application's next write (the capture may have stamped the
                            // replaced endpoint's segment after the peer's answer to it).
                            if (tTimer < tAction) { // sansnet's timers due meanwhile fire first
                                now = tTimer;
                                host.handleTimeout(now);
                            } else {
                                now = tAction;
                                act(actions.get(nextAction++));
                                lastEvent = now;
                            }
                            drain();
                            payOwedAcks();
                            continue;
                        }
                        if (!issKnown) {
                            diverge(
                                    p.frameNumber(),
                                    Divergence.Kind.MISSING_OUTPUT,
                                    "the packet acknowledges sansnet's "
                                            + (plan.mode == DriveMode.SERVER ? "SYN-ACK" : "SYN")
                                            + ", which sansnet never sent");
                            break;
                        }
                        clamped++;
                        clampedNeeds.add(new long[] {p.frameNumber(), needed});
                        owedAck = Math.max(owedAck, needed);
                    }
                    waitingSince = -1;
                    now = tPacket;
                    feed(p);
                    nextPacket++;
                    lastEvent = now;
                }
                drain();
                payOwedAcks();
            }
            if (divergence == null) {
                finish();
            }
            DriveResult.DriveStats stats = new DriveResult.DriveStats(
                    fed,
                    segmentsChecked,
                    Math.max(0, Math.min(written, sentMax - 1)),
                    delivered,
                    waits,
                    clamped,
                    deferredAcks,
                    resetsSent,
                    corruptFed,
                    layer.counters().badSegments(),
                    now);
            return divergence == null
                    ? new DriveResult.Matched(plan.connection, stats)
                    : new DriveResult.Diverged(plan.connection, divergence, stats);
        }

        // ------------------------------------------------------------------------------------------ the application

        private void act(DrivePlan.Action a) {
            switch (a.kind()) {
                case CONNECT -> {
                    AppResult<TcpSocket> r = layer.connect(peerAddress, plan.peer.port(), this, now);
                    if (r instanceof AppResult.Ok<TcpSocket> ok) {
                        socket = ok.value();
                    } else {
                        diverge(a.frameNumber(), Divergence.Kind.MISSING_OUTPUT, "sansnet cannot connect: " + r);
                    }
                }
                case WRITE -> {
                    target = Math.max(target, a.upTo());
                    flush();
                }
                case CLOSE -> {
                    closeRequested = true;
                    flush();
                }
            }
        }

        /** Writes what the schedule allows and the send buffer takes; closes once everything was written. */
        private void flush() {
            if (socket == null || !connected || closed) {
                return;
            }
            while (written < target) {
                int n = socket.send(ByteBuffer.wrap(plan.replacedStream, (int) written, (int) (target - written)));
                if (n <= 0) {
                    break;
                }
                written += n;
            }
            if (closeRequested && written == target) {
                closed = true;
                socket.close();
            }
        }

        @Override
        public void onEvent(TcpSocket s, TcpEvent event) {
            if (event instanceof TcpEvent.Connected) {
                connected = true;
                flush();
            } else if (event instanceof TcpEvent.Readable) {
                read(s);
            } else if (event instanceof TcpEvent.Writable) {
                flush();
            } else if (event instanceof TcpEvent.PeerFinished) {
                read(s);
                peerFinished = true;
            } else if (event instanceof TcpEvent.Closed c) {
                read(s);
                closeReason = c.reason();
            }
        }

        private void read(TcpSocket s) {
            ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
            while (divergence == null) {
                buf.clear();
                int n = s.receive(buf);
                if (n <= 0) {
                    return;
                }
                byte[] got = buf.array();
                byte[] want = plan.peerStream;
                for (int i = 0; i < n; i++) {
                    long off = delivered + i;
                    if (off >= want.length) {
                        diverge(
                                frameCarrying(off),
                                Divergence.Kind.STREAM_MISMATCH,
                                "sansnet's application received more than the " + want.length
                                        + " bytes of the captured stream");
                        return;
                    }
                    if (got[i] != want[(int) off]) {
                        diverge(
                                frameCarrying(off),
                                Divergence.Kind.STREAM_MISMATCH,
                                String.format(
                                        "sansnet's application received 0x%02x at stream offset %d, the expected"
                                                + " stream has 0x%02x",
                                        got[i] & 0xFF, off, want[(int) off] & 0xFF));
                        return;
                    }
                }
                delivered += n;
            }
        }

        /** The first fed packet whose payload covered stream offset {@code off}, or the last one fed. */
        private long frameCarrying(long off) {
            for (long[] d : fedData) {
                if (d[1] <= off && off < d[2]) {
                    return d[0];
                }
            }
            return lastFedFrame;
        }

        // ------------------------------------------------------------------------------------------ feeding

        /** The highest offset in the replaced endpoint's sequence space that the packet acknowledges or SACKs. */
        private long needed(PeerPacket p) {
            TcpHeader h = p.segment().header();
            if (!h.flags().ack() || p.corrupted()) {
                return 0;
            }
            long n = DriveMath.offset(h.ack(), plan.replacedIsn);
            for (TcpOptions.SackBlock b : h.options().sackBlocks()) {
                n = Math.max(n, DriveMath.offset(b.right(), plan.replacedIsn));
            }
            return n;
        }

        private void feed(PeerPacket p) {
            TcpSegment c = p.segment();
            TcpHeader h = c.header();
            if (p.corrupted()) {
                // Corrupted before the capture point: fed as captured with a failing checksum; its header is not
                // trusted, so nothing of it is recorded.
                lastFedFrame = p.frameNumber();
                fed++;
                corruptFed++;
                send(h.seq(), h.ack(), h.flags(), h.window(), h.urgentPointer(), h.options(), c.payload(), true);
                return;
            }
            TcpOptions o = h.options();
            int ack = h.ack();
            int window = h.window();
            List<TcpOptions.SackBlock> blocks = o.sackBlocks();
            if (h.flags().ack() && issKnown) {
                long capturedAck = DriveMath.offset(h.ack(), plan.replacedIsn);
                long fedAck = Math.min(capturedAck, sentMax);
                fedAckMax = Math.max(fedAckMax, fedAck);
                ack = iss + (int) fedAck;
                if (!h.flags().syn()) {
                    int shift = windowShift();
                    long edge = capturedAck + ((long) h.window() << shift);
                    window = (int) Math.min(0xFFFF, Math.max(0, edge - fedAck) >> shift);
                    peerEdge = Math.max(peerEdge, fedAck + ((long) window << shift));
                } else {
                    peerEdge = Math.max(peerEdge, fedAck + h.window());
                }
                List<TcpOptions.SackBlock> moved = new ArrayList<>();
                for (TcpOptions.SackBlock b : blocks) {
                    long left = DriveMath.offset(b.left(), plan.replacedIsn);
                    long right = Math.min(DriveMath.offset(b.right(), plan.replacedIsn), sentMax);
                    if (right > left && right > fedAck) {
                        moved.add(new TcpOptions.SackBlock(iss + (int) Math.max(left, fedAck), iss + (int) right));
                    }
                }
                blocks = moved;
            }
            Optional<TcpOptions.Timestamps> ts = o.timestamps();
            if (ts.isPresent()) {
                TcpOptions.Timestamps t = ts.get();
                int ecr = t.tsEcr() == 0 || !sawTsval ? 0 : lastTsval;
                ts = Optional.of(new TcpOptions.Timestamps(t.tsVal(), ecr));
                peerTsvals.add(t.tsVal());
                if (!peerTimestamps || t.tsVal() - lastPeerTsval > 0) {
                    lastPeerTsval = t.tsVal(); // the newest, so a deferred ACK passes PAWS (RFC 7323 §5.3)
                }
                peerTimestamps = true;
            }
            peerReset |= h.flags().rst();
            TcpOptions options = new TcpOptions(o.mss(), o.windowScale(), o.sackPermitted(), ts, blocks, o.unknown());
            long start = DriveMath.offset(h.seq(), plan.peerIsn);
            peerMaxEnd = Math.max(peerMaxEnd, start + c.sequenceLength());
            int payload = c.payload().length();
            if (payload > 0) {
                long from = start - 1 + (h.flags().syn() ? 1 : 0);
                fedData.add(new long[] {p.frameNumber(), from, from + payload});
            }
            lastFedFrame = p.frameNumber();
            fed++;
            send(h.seq(), ack, h.flags(), window, h.urgentPointer(), options, c.payload(), false);
        }

        /**
         * Pays what clamped packets owe: the capture's peer acknowledged bytes sansnet had not sent yet when they were
         * fed; once sansnet has sent (some of) them, a pure ACK from the peer acknowledges them, as the peer did.
         */
        private void payOwedAcks() {
            while (divergence == null && !peerReset && owedAck > fedAckMax && sentMax > fedAckMax) {
                if (++steps > config.maxSteps()) {
                    return;
                }
                long ackOffset = Math.min(owedAck, sentMax);
                int shift = windowShift();
                long window = Math.min(0xFFFF, Math.max(0, peerEdge - ackOffset) >> shift);
                fedAckMax = ackOffset;
                Optional<TcpOptions.Timestamps> ts = peerTimestamps
                        ? Optional.of(new TcpOptions.Timestamps(lastPeerTsval, sawTsval ? lastTsval : 0))
                        : Optional.empty();
                TcpOptions options =
                        new TcpOptions(OptionalInt.empty(), OptionalInt.empty(), false, ts, List.of(), List.of());
                deferredAcks++;
                send(
                        plan.peerIsn + (int) peerMaxEnd,
                        iss + (int) ackOffset,
                        TcpFlags.ACK_ONLY,
                        (int) window,
                        0,
                        options,
                        Bytes.EMPTY,
                        false);
                drain();
            }
        }

        /** Hands sansnet a segment from the peer; with {@code badChecksum} its TCP checksum fails. */
        private void send(
                int seq,
                int ack,
                TcpFlags flags,
                int window,
                int urgent,
                TcpOptions options,
                Bytes payload,
                boolean badChecksum) {
            int dstPort = plan.mode == DriveMode.SERVER ? plan.replaced.port() : sansnetPort;
            TcpHeader header = TcpHeader.builder(plan.peer.port(), dstPort)
                    .seq(seq)
                    .ack(ack)
                    .flags(flags)
                    .window(window)
                    .urgentPointer(urgent)
                    .options(options)
                    .build();
            TcpSegment seg = new TcpSegment(header, payload);
            byte[] encoded = seg.encode(new PseudoHeader(peerAddress, sansnetAddress));
            if (badChecksum) {
                // One bit of the checksum field (RFC 9293 §3.1, bytes 16-17): the sum is off by one, never valid.
                encoded[CHECKSUM_LOW_BYTE] ^= 1;
            }
            Bytes tcpBytes = Bytes.copyOf(encoded);
            IpPacket ip;
            if (peerAddress instanceof Ipv4Address p4) {
                ip = Ipv4Packet.of(
                        Ipv4Header.builder(p4, (Ipv4Address) sansnetAddress, IpProtocol.TCP)
                                .payloadLength(tcpBytes.length())
                                .ttl(64)
                                .build(),
                        tcpBytes);
            } else {
                ip = Ipv6Packet.of(
                        Ipv6Header.of(
                                (Ipv6Address) peerAddress,
                                (Ipv6Address) sansnetAddress,
                                IpProtocol.TCP,
                                64,
                                tcpBytes.length()),
                        IpProtocol.TCP,
                        tcpBytes);
            }
            host.receive(ip.encode(), now);
        }

        /** The peer's window shift as sansnet applies it: both SYNs carried a window scale. */
        private int windowShift() {
            return sansnetOfferedWindowScale
                            && plan.peerSynOptions.windowScale().isPresent()
                    ? peerShift
                    : 0;
        }

        // ------------------------------------------------------------------------------------------ checking

        private void drain() {
            for (byte[] b; divergence == null && (b = host.pollTransmit(now)) != null; ) {
                check(tap.apply(b));
            }
        }

        private void check(byte[] bytes) {
            segmentsChecked++;
            Parsed<IpPacket> parsedIp = IpPacket.parse(bytes, 0, bytes.length);
            if (!(parsedIp instanceof Parsed.Ok<IpPacket> okIp)) {
                invalid("its IP header does not parse: " + parsedIp.error());
                return;
            }
            IpPacket ip = okIp.value();
            if (ip.protocol() != IpProtocol.TCP || ip.isFragment()) {
                invalid("not an unfragmented TCP packet (protocol " + ip.protocol() + ")");
                return;
            }
            if (!ip.src().equals(sansnetAddress) || !ip.dst().equals(peerAddress)) {
                invalid("addressed " + ip.src() + " -> " + ip.dst());
                return;
            }
            Parsed<TcpSegment> parsed = TcpSegment.parse(ip.payload(), ip.pseudoHeader());
            if (!(parsed instanceof Parsed.Ok<TcpSegment> ok)) {
                invalid("its TCP segment does not verify: " + parsed.error());
                return;
            }
            TcpSegment seg = ok.value();
            TcpHeader h = seg.header();
            TcpFlags f = h.flags();
            String problem = checkSegment(seg, h, f);
            if (problem != null) {
                invalid(problem + ": " + h);
            }
        }

        private String checkSegment(TcpSegment seg, TcpHeader h, TcpFlags f) {
            if (h.dstPort() != plan.peer.port()) {
                return "sent to port " + h.dstPort() + ", the peer's is " + plan.peer.port();
            }
            if (f.urg() || f.ece() || f.cwr()) {
                return "URG, ECE or CWR set (no urgent data was written, ECN was not negotiated)";
            }
            if (f.rst()) {
                // sansnet's own TCP decides to reset (a segment for a closed connection, as the capture's final RST).
                resetsSent++;
                return issKnown && h.srcPort() != sansnetPort ? "RST from port " + h.srcPort() : null;
            }
            TcpOptions o = h.options();
            if (f.syn()) {
                String s = checkSyn(seg, h, f, o);
                if (s != null) {
                    return s;
                }
            } else {
                if (!issKnown) {
                    return "a segment before sansnet's SYN";
                }
                sentNonSyn = true;
                if (!f.ack()) {
                    return "no ACK flag after the handshake (RFC 9293 §3.10.7.4: every synchronized segment acks)";
                }
                if (o.mss().isPresent() || o.windowScale().isPresent() || o.sackPermitted()) {
                    return "MSS, window scale or SACK-permitted outside a SYN (RFC 9293 §3.2, RFC 7323 §2.2,"
                            + " RFC 2018 §2)";
                }
            }
            if (h.srcPort() != sansnetPort) {
                return "sent from port " + h.srcPort() + ", sansnet's is " + sansnetPort;
            }
            String s = checkSequence(seg, h, f);
            if (s == null) {
                s = checkAck(h, f, o);
            }
            if (s == null) {
                s = checkTimestamps(f, o);
            }
            return s;
        }

        private String checkSyn(TcpSegment seg, TcpHeader h, TcpFlags f, TcpOptions o) {
            boolean server = plan.mode == DriveMode.SERVER;
            if (f.fin() || seg.payload().length() > 0) {
                return "a SYN with FIN or data";
            }
            if (server != f.ack()) {
                return server ? "a SYN without ACK from the listening side" : "a SYN-ACK from the connecting side";
            }
            if (issKnown) {
                if (h.seq() != iss) {
                    return "a second SYN with another ISN";
                }
                if (sentNonSyn) {
                    return "a SYN after the handshake";
                }
                return null;
            }
            issKnown = true;
            iss = h.seq();
            sansnetPort = h.srcPort();
            sentMax = 1;
            sansnetOfferedTimestamps = o.timestamps().isPresent();
            sansnetOfferedSack = o.sackPermitted();
            sansnetOfferedWindowScale = o.windowScale().isPresent();
            TcpOptions peer = plan.peerSynOptions;
            if (server) {
                // RFC 7323 §2.2, §3.2 and RFC 2018 §2: a SYN-ACK carries an option only if the SYN did.
                if (sansnetOfferedTimestamps && peer.timestamps().isEmpty()) {
                    return "timestamps in the SYN-ACK although the SYN had none";
                }
                if (sansnetOfferedSack && !peer.sackPermitted()) {
                    return "SACK-permitted in the SYN-ACK although the SYN had none";
                }
                if (sansnetOfferedWindowScale && peer.windowScale().isEmpty()) {
                    return "window scale in the SYN-ACK although the SYN had none";
                }
            }
            return null;
        }

        private String checkSequence(TcpSegment seg, TcpHeader h, TcpFlags f) {
            long off = DriveMath.offset(h.seq(), iss);
            int len = seg.payload().length();
            if (!f.syn() && off < 1) {
                return "sequence number before the ISN + 1";
            }
            long streamFrom = off - 1;
            if (len > 0) {
                // RFC 9293 §3.8.6.1: a zero-window probe may carry one byte beyond the window.
                if (peerEdge >= 0 && off + len > peerEdge && !(len == 1 && off == peerEdge)) {
                    return "bytes up to sequence offset " + (off + len) + " beyond the peer's window edge " + peerEdge;
                }
                if (streamFrom + len > written) {
                    return "bytes " + streamFrom + ".." + (streamFrom + len) + " but the application wrote only "
                            + written;
                }
                byte[] want = plan.replacedStream;
                for (int i = 0; i < len; i++) {
                    if (seg.payload().get(i) != want[(int) streamFrom + i]) {
                        return "payload differs from what the application wrote at stream offset " + (streamFrom + i);
                    }
                }
                if (len > peerMss) {
                    return len + " payload bytes, over the peer's MSS " + peerMss;
                }
            }
            if (f.fin()) {
                if (!closed) {
                    return "FIN although the application did not close";
                }
                if (streamFrom + len != written) {
                    return "FIN at stream offset " + (streamFrom + len) + ", the application wrote " + written;
                }
            }
            sentMax = Math.max(sentMax, off + seg.sequenceLength());
            return null;
        }

        private String checkAck(TcpHeader h, TcpFlags f, TcpOptions o) {
            if (!f.ack()) {
                return null;
            }
            long ackOff = DriveMath.offset(h.ack(), plan.peerIsn);
            if (ackOff < 1 || ackOff > peerMaxEnd) {
                return "ACK " + Integer.toUnsignedString(h.ack()) + " acknowledges offset " + ackOff
                        + " of the peer's sequence space, which the peer sent up to " + peerMaxEnd;
            }
            if (sentAck && ackOff < lastAckOffset) {
                return "ACK went back from offset " + lastAckOffset + " to " + ackOff;
            }
            sentAck = true;
            lastAckOffset = ackOff;
            if (!o.sackBlocks().isEmpty() && !(sansnetOfferedSack && plan.peerSynOptions.sackPermitted())) {
                return "SACK blocks although SACK was not negotiated (RFC 2018 §2)";
            }
            for (TcpOptions.SackBlock b : o.sackBlocks()) {
                long left = DriveMath.offset(b.left(), plan.peerIsn);
                long right = DriveMath.offset(b.right(), plan.peerIsn);
                if (left >= right || left < 1 || right > peerMaxEnd) {
                    return "SACK block " + b + " outside what the peer sent";
                }
            }
            return null;
        }

        private String checkTimestamps(TcpFlags f, TcpOptions o) {
            boolean negotiated =
                    sansnetOfferedTimestamps && plan.peerSynOptions.timestamps().isPresent();
            Optional<TcpOptions.Timestamps> ts = o.timestamps();
            if (f.syn() && plan.mode == DriveMode.CLIENT) {
                if (ts.isPresent()) {
                    sawTsval = true;
                    lastTsval = ts.get().tsVal();
                }
                return null;
            }
            if (!negotiated) {
                return ts.isPresent() ? "timestamps although they were not negotiated (RFC 7323 §3.2)" : null;
            }
            if (ts.isEmpty()) {
                return "no timestamps although they were negotiated (RFC 7323 §3.2: MUST be sent in every non-RST"
                        + " segment)";
            }
            TcpOptions.Timestamps t = ts.get();
            if (sawTsval && t.tsVal() - lastTsval < 0) {
                return "TSval went back (RFC 7323 §5.4: monotone non-decreasing)";
            }
            if (f.ack() && !peerTsvals.contains(t.tsEcr())) {
                return "TSecr " + Integer.toUnsignedString(t.tsEcr()) + " echoes no TSval the peer sent";
            }
            sawTsval = true;
            lastTsval = t.tsVal();
            return null;
        }

        private void invalid(String what) {
            diverge(lastFedFrame, Divergence.Kind.INVALID_SEGMENT, "sansnet sent an invalid segment: " + what);
        }

        private void diverge(long frame, Divergence.Kind kind, String detail) {
            if (divergence == null) {
                divergence = new Divergence(frame, now, kind, detail);
            }
        }

        // ------------------------------------------------------------------------------------------ the end

        /**
         * Before anything is fed: a segment whose bad checksum shows the capture was altered ({@link DrivePlan}), and,
         * with expected streams, every captured payload of the replaced endpoint must be part of its stream. The
         * earlier packet of the two is reported.
         */
        private void checkTrace() {
            if (plan.corruptCapture != null) {
                divergence = plan.corruptCapture;
            }
            if (!plan.expectedGiven) {
                return;
            }
            byte[] want = plan.replacedStream;
            for (DrivePlan.CapturedData d : plan.replacedData) {
                for (int i = 0; i < d.payload().length; i++) {
                    long off = d.streamOffset() + i;
                    if (off >= want.length || d.payload()[i] != want[(int) off]) {
                        if (divergence != null && divergence.frameNumber() <= d.frameNumber()) {
                            return; // the altered checksum comes first
                        }
                        divergence = new Divergence(
                                d.frameNumber(),
                                0,
                                Divergence.Kind.TRACE_MISMATCH,
                                off >= want.length
                                        ? "the captured segment carries bytes past the expected stream's " + want.length
                                        : String.format(
                                                "the captured segment has 0x%02x at stream offset %d, the expected"
                                                        + " stream 0x%02x",
                                                d.payload()[i] & 0xFF, off, want[(int) off] & 0xFF));
                        return;
                    }
                }
            }
        }

        private void finish() {
            for (long[] c : clampedNeeds) {
                if (c[1] > sentMax) {
                    diverge(
                            c[0],
                            Divergence.Kind.MISSING_OUTPUT,
                            "the peer acknowledged sequence offset " + c[1] + " but sansnet sent only up to " + sentMax
                                    + " by the end");
                    return;
                }
            }
            if (delivered < plan.peerStream.length && closeReason != CloseReason.RESET) {
                diverge(
                        frameCarrying(delivered),
                        Divergence.Kind.STREAM_INCOMPLETE,
                        "sansnet's application received " + delivered + " of the " + plan.peerStream.length
                                + " bytes the peer sent");
                return;
            }
            if (plan.peerFinished && !peerFinished && closeReason != CloseReason.RESET) {
                diverge(
                        lastFedFrame,
                        Divergence.Kind.STREAM_INCOMPLETE,
                        "the capture shows the peer's FIN, sansnet's application never saw the end of the stream");
            }
        }
    }
}
