package io.sansnet.sim;

import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.FourTuple;
import io.sansnet.stack.tcp.TcpConfig;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpSocket;
import io.sansnet.stack.tcp.TcpState;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.TcpOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The TCP invariants of the TCP issue that hold for every connection of a run, checked by watching the simulated wire
 * (every packet's fate, {@link PacketFateObserver}) and sampling every simulated host's connections after every event:
 *
 * <ol>
 *   <li><b>Memory within the configured buffers.</b> After every event, each connection's send queue (octets queued
 *       and not yet acknowledged) is at most {@link TcpConfig#sendBufferBytes} and its receive queue (in order, not yet
 *       read) at most {@link TcpConfig#receiveBufferBytes}: every connection of a host with at most
 *       {@link #SAMPLE_ALL_UP_TO} of them, and on a busier host each connection that sent or received a segment in
 *       that event. The out-of-order reassembly store is checked through the
 *       SACK blocks each host sends (RFC 2018 §4: they report what it holds): the octets from RCV.NXT (the segment's
 *       ACK) to a block's right edge, plus the receive queue, fit in {@code receiveBufferBytes}. {@link TcpStatus} has no
 *       count of out-of-order octets, so reassembly that is never reported in a SACK block is not seen.
 *   <li><b>No data beyond the peer's window.</b> When a host emits a segment, its last data octet must lie within the
 *       right window edge it knows: the largest SEG.ACK + SEG.WND (scaled per RFC 7323 §2.3 when both SYNs carried a
 *       window scale option, unscaled in SYNs) among the peer's segments that reached this host intact so far (so
 *       reordering cannot make an edge the sender never saw count). The one exception is the persist timer's probe
 *       (RFC 9293 §3.8.6.1): one octet, the first one beyond the edge.
 *   <li><b>TIMED_OUT only when the network dropped it.</b> Let U be SND.UNA when the connection timed out (the octet,
 *       SYN or FIN it was retransmitting). The timeout is legitimate only when every transmission of U was dropped by
 *       the network (lost, partitioned, queue or MTU drop, corrupted, or arrived at a crashed host), or every segment the
 *       peer sent after the first intact arrival of U (the ACKs answering it) was dropped. It is a violation when some
 *       transmission of U reached the peer intact and some segment the peer emitted after that reached this host
 *       intact; in particular, when an ACK above U reached it. Connections that time out in SYN-SENT are recognised
 *       as those that leave the connection table in SYN-SENT without an intact RST having reached them (the
 *       simulator sends no ICMP unreachable); established ones are reported by the application ({@link
 *       #connectionClosed}).
 * </ol>
 *
 * <p>Every node's own TCP output is judged (a {@link RawHost} speaking TCP from its own address too, so tests can show
 * a rule failing); packets a node sends with a source address it does not own are nobody's output and ignored. A
 * connection's records start with the SYN that opens it; a new SYN with another ISN on the same four-tuple starts
 * a new incarnation, and packets offered before that are ignored. Memory is bounded by the connections of the run and
 * by the octets in flight (arrivals below the sender's cumulative ACK are forgotten). At most {@link #MAX_VIOLATIONS}
 * violations are kept, then a count.
 */
public final class TcpInvariants implements PacketFateObserver {

    /** Violations kept with their text; later ones are only counted. */
    public static final int MAX_VIOLATIONS = 10;

    /**
     * A host with at most this many connections has every one sampled after every event; above it, after each event
     * the connections that sent or received a segment in it are ({@link TcpStatus} is too dear to take 200 times an
     * event in a handshake storm).
     */
    public static final int SAMPLE_ALL_UP_TO = 16;

    /** RFC 7323 §2.3: a shift above 14 is used as 14. */
    private static final int MAX_WINDOW_SHIFT = 14;

    private final Simulation sim;
    private final TcpConfig config;
    private final List<String> violations = new ArrayList<>();
    private long moreViolations;
    /** Both orientations of each four-tuple point at its connection (lookups only; never iterated). */
    private final Map<Pair, Conn> conns = new HashMap<>();
    /** For each timed-out-looking exit from a connection table: the verdict, by (local, remote), latest wins. */
    private final Map<Pair, String> exitVerdicts = new HashMap<>();

    private final List<HostTrack> hosts = new ArrayList<>();
    private int nodesSeen = -1;
    /** The (host, local endpoint, remote endpoint) of every segment sent or received in the current event. */
    private final List<Touch> touched = new ArrayList<>();

    private TcpInvariants(Simulation sim, TcpConfig config) {
        this.sim = sim;
        this.config = config;
    }

    /**
     * Starts checking every TCP connection of {@code sim}'s hosts, whose TCP layers use {@code config} (the bounds of
     * the memory invariant). Attach before the run starts.
     */
    public static TcpInvariants attach(Simulation sim, TcpConfig config) {
        TcpInvariants t = new TcpInvariants(sim, config);
        sim.addFateObserver(t);
        sim.afterEachEvent(t::sample);
        return t;
    }

    /** The violations found so far, each one line (the first {@link #MAX_VIOLATIONS}, then a count). */
    public List<String> violations() {
        List<String> v = new ArrayList<>(violations);
        if (moreViolations > 0) {
            v.add(moreViolations + " more TCP invariant violations");
        }
        return v;
    }

    /** True once any invariant failed. */
    public boolean failed() {
        return !violations.isEmpty();
    }

    /**
     * The largest congestion window a connection of {@code host} had, in segments of its send MSS at that moment,
     * sampled after every event; 0 when it had none.
     */
    public double maxCwndSegments(SimHost host) {
        double max = 0;
        for (HostTrack h : hosts) {
            if (h.host == host) {
                max = Math.max(max, h.maxCwndSegments);
            }
        }
        return max;
    }

    /**
     * The application saw a connection end (its Closed event). For {@link CloseReason#TIMED_OUT} this checks the third
     * invariant against what the network did up to the moment the connection left its host's table.
     */
    public void connectionClosed(TcpStream stream, CloseReason reason) {
        if (reason != CloseReason.TIMED_OUT) {
            return;
        }
        Pair key = new Pair(
                new Endpoint(stream.localAddress(), stream.localPort()),
                new Endpoint(stream.remoteAddress(), stream.remotePort()));
        String verdict = exitVerdicts.get(key);
        if (verdict != null && !verdict.isEmpty()) {
            violation(verdict);
        }
    }

    private void violation(String text) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(text);
        } else {
            moreViolations++;
        }
    }

    // ---------------------------------------------------------------------------------------------- the wire

    @Override
    public void offered(long timeNanos, Channel channel, long packetId, byte[] bytes) {
        Node from = channel.from();
        WireTcp seg = WireTcp.parse(bytes);
        if (seg == null || !from.owns(seg.src())) {
            return; // not TCP, or not the node's own (a raw host's spoofed packets are nobody's TCP output)
        }
        Endpoint me = new Endpoint(seg.src(), seg.header().srcPort());
        Endpoint peer = new Endpoint(seg.dst(), seg.header().dstPort());
        Conn c = conns.get(new Pair(me, peer));
        boolean syn = seg.header().flags().syn();
        boolean ack = seg.header().flags().ack();
        int seq = seg.header().seq();
        if (syn && !ack && (c == null || c.half(me).synSent && c.half(me).isn != seq)) {
            c = new Conn(me, peer); // an active open: a new incarnation of this four-tuple
            conns.put(new Pair(me, peer), c);
            conns.put(new Pair(peer, me), c);
        }
        if (c == null) {
            return; // a segment of a connection whose opening SYN was not sent on a watched link
        }
        touched.add(new Touch(from, me, peer));
        Half x = c.half(me);
        Half y = c.other(x);
        if (syn) {
            if (x.synSent && x.isn != seq) {
                // a SYN-ACK with a new ISN (the peer's stack restarted): this end starts over
                c.replace(x, new Half(me));
                x = c.half(me);
                y.forgetPeer();
            }
            if (!x.synSent) {
                x.synSent = true;
                x.isn = seq;
                x.firstId = packetId;
                x.sndMax = Integer.toUnsignedLong(seq);
                x.shiftSent = seg.header().options().windowScale().orElse(-1);
            }
        }
        if (!x.synSent) {
            return;
        }
        if (!syn) {
            x.sentAfterSyn = true;
        }
        long start = x.abs(seq);
        if (seg.payloadLength() > 0) {
            checkWindow(c, x, seg, start + (syn ? 1 : 0));
        }
        x.sndMax = Math.max(x.sndMax, start + seg.sequenceLength());
        if (!seg.header().options().sackBlocks().isEmpty() && ack && y.synSent && from instanceof SimHost host) {
            checkReassembly(host, c, y, seg);
        }
    }

    /** Invariant 2 at the moment the segment leaves its sender. */
    private void checkWindow(Conn c, Half x, WireTcp seg, long dataStart) {
        long dataEnd = dataStart + seg.payloadLength();
        if (!x.edgeKnown) {
            violation(where(x, c) + ": sent " + seg.payloadLength() + " data octets at seq "
                    + Integer.toUnsignedString(seg.header().seq()) + " before any window of the peer reached it");
            return;
        }
        if (dataEnd <= x.edge) {
            return;
        }
        if (seg.payloadLength() == 1 && dataStart == x.edge) {
            return; // RFC 9293 §3.8.6.1: the zero-window probe
        }
        violation(where(x, c) + ": a segment with " + seg.payloadLength() + " data octets at seq "
                + Integer.toUnsignedString(seg.header().seq()) + " ends " + (dataEnd - x.edge)
                + " octets beyond the peer's right window edge " + Long.toUnsignedString(x.edge & 0xFFFFFFFFL)
                + " (the largest SEG.ACK+SEG.WND that reached the sender)");
    }

    /** Invariant 1 for the reassembly store: what the SACK blocks of a host's segment say it holds. */
    private void checkReassembly(SimHost host, Conn c, Half peerSender, WireTcp seg) {
        long rcvNxt = peerSender.abs(seg.header().ack());
        int queued = receiveQueued(host, seg);
        for (TcpOptions.SackBlock b : seg.header().options().sackBlocks()) {
            long right = peerSender.abs(b.right());
            long span = right - rcvNxt;
            if (span + queued > config.receiveBufferBytes()) {
                violation(where(c.other(peerSender), c) + ": holds out-of-order data up to "
                        + Integer.toUnsignedString(b.right()) + ", " + span + " octets past RCV.NXT "
                        + Integer.toUnsignedString(seg.header().ack()) + " with " + queued
                        + " octets unread: more than the receive buffer of " + config.receiveBufferBytes());
                return;
            }
        }
    }

    private int receiveQueued(SimHost host, WireTcp seg) {
        TcpLayer layer = host.tcp();
        if (layer == null) {
            return 0;
        }
        for (TcpSocket s : layer.connections()) {
            FourTuple t = s.tuple();
            if (t.localPort() == seg.header().srcPort()
                    && t.remotePort() == seg.header().dstPort()
                    && t.localAddress().equals(seg.src())
                    && t.remoteAddress().equals(seg.dst())) {
                return s.status().receiveQueued();
            }
        }
        return 0;
    }

    @Override
    public void delivered(long timeNanos, Channel channel, long packetId, boolean corrupted, byte[] bytes) {
        Node to = channel.to();
        if (corrupted || (to instanceof SimHost h && !h.isUp())) {
            return; // the receiver's checksum check, or a crashed host, drops it
        }
        WireTcp seg = WireTcp.parse(bytes);
        if (seg == null || !to.owns(seg.dst())) {
            return;
        }
        Endpoint src = new Endpoint(seg.src(), seg.header().srcPort());
        Endpoint dst = new Endpoint(seg.dst(), seg.header().dstPort());
        touched.add(new Touch(to, dst, src));
        Conn c = conns.get(new Pair(dst, src));
        if (c == null) {
            return;
        }
        Half s = c.half(src);
        Half r = c.half(dst);
        if (s.synSent ? packetId < s.firstId : !r.synSent || packetId < r.firstId) {
            return; // from an older incarnation
        }
        boolean syn = seg.header().flags().syn();
        r.maxPeerIdReceived = Math.max(r.maxPeerIdReceived, packetId);
        if (seg.header().flags().rst()) {
            r.rstReceived = true;
            return;
        }
        if (syn) {
            r.peerShift = Math.min(seg.header().options().windowScale().orElse(-1), MAX_WINDOW_SHIFT);
        }
        int len = seg.sequenceLength();
        if (len > 0 && s.synSent) {
            long start = s.abs(seg.header().seq());
            s.received(start, start + len, sim.lastPacketId());
        }
        if (seg.header().flags().ack() && r.synSent) {
            long ack = r.abs(seg.header().ack());
            if (ack <= r.sndMax && ack > r.sndMax - (1L << 31)) {
                r.acked(ack);
                int shift = !syn && r.shiftSent >= 0 && r.peerShift >= 0 ? r.peerShift : 0;
                long edge = ack + ((long) seg.header().window() << shift);
                if (!r.edgeKnown || edge > r.edge) {
                    r.edge = edge;
                    r.edgeKnown = true;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- sampling

    /** After every event: the buffer bounds, the largest cwnd, and connections that left a table. */
    private void sample() {
        if (sim.nodeCount() != nodesSeen) {
            refreshHosts();
        }
        for (HostTrack h : hosts) {
            h.sample();
        }
        touched.clear();
    }

    private boolean touchedHost(SimHost host) {
        for (int i = 0; i < touched.size(); i++) {
            if (touched.get(i).host == host) {
                return true;
            }
        }
        return false;
    }

    private void refreshHosts() {
        List<Node> nodes = sim.nodes();
        nodesSeen = sim.nodeCount();
        for (Node n : nodes) {
            if (n instanceof SimHost sh && hosts.stream().noneMatch(h -> h.host == sh)) {
                hosts.add(new HostTrack(sh));
            }
        }
    }

    /** The verdict of invariant 3 for a connection that left {@code host}'s table with SND.UNA {@code sndUna}. */
    private String timeoutVerdict(SimHost host, FourTuple t, long sndUna, String state) {
        Endpoint me = new Endpoint(t.localAddress(), t.localPort());
        Endpoint peer = new Endpoint(t.remoteAddress(), t.remotePort());
        Conn c = conns.get(new Pair(me, peer));
        if (c == null || !c.half(me).synSent) {
            return "";
        }
        Half x = c.half(me);
        long u = x.abs((int) sndUna);
        String what = host.name() + " " + me + "->" + peer + " timed out in " + state + " at SND.UNA "
                + Long.toUnsignedString(sndUna) + " (virtual " + sim.nowNanos() + " ns)";
        if (x.ackKnown && x.maxAck > u) {
            return what + ", yet an ACK of " + Long.toUnsignedString(x.maxAck & 0xFFFFFFFFL)
                    + " (covering it) had reached it intact";
        }
        long arrived = x.firstArrivalMarker(u);
        if (arrived >= 0 && x.maxPeerIdReceived > arrived) {
            return what + ", yet a transmission of that sequence number reached the peer intact and packet #"
                    + x.maxPeerIdReceived + ", which the peer sent after that, reached this end intact";
        }
        return "";
    }

    /** One simulated host's TCP layer as last sampled. */
    private final class HostTrack {
        final SimHost host;
        TcpLayer layer;
        List<TcpSocket> last = List.of();
        /** The sockets of {@link #last} by four-tuple (lookups only). */
        final Map<FourTuple, TcpSocket> byTuple = new HashMap<>();

        double maxCwndSegments;

        HostTrack(SimHost host) {
            this.host = host;
        }

        void sample() {
            TcpLayer now = host.tcp();
            if (now != layer) {
                layer = now; // booted or crashed: the old connections are gone with their stack
                last = List.of();
                byTuple.clear();
            }
            if (now == null) {
                return;
            }
            boolean small = now.connectionCount() <= SAMPLE_ALL_UP_TO;
            boolean hit = touchedHost(host);
            // A connection left the table, or one came and one went in the same event (then a touched tuple is new,
            // or its socket closed): compare the table with the last one.
            if (now.connectionCount() != last.size() || small || (hit && touchedChanged())) {
                List<TcpSocket> cur = now.connections();
                // the table keeps creation order: a connection missing from cur left it, the rest are new
                int j = 0;
                for (int i = 0; i < last.size(); i++) {
                    if (j < cur.size() && cur.get(j) == last.get(i)) {
                        j++;
                    } else {
                        TcpSocket gone = last.get(i);
                        byTuple.remove(gone.tuple(), gone);
                        left(gone);
                    }
                }
                for (int i = j; i < cur.size(); i++) {
                    byTuple.put(cur.get(i).tuple(), cur.get(i));
                }
                last = cur;
            }
            if (small) {
                for (TcpSocket s : last) {
                    check(s, s.status());
                }
            } else if (hit) {
                for (int i = 0; i < touched.size(); i++) {
                    Touch x = touched.get(i);
                    if (x.host == host) {
                        TcpSocket s = byTuple.get(
                                new FourTuple(x.local.address, x.local.port, x.remote.address, x.remote.port));
                        if (s != null) {
                            check(s, s.status());
                        }
                    }
                }
            }
        }

        private void check(TcpSocket s, TcpStatus st) {
            if (st.sendQueued() > config.sendBufferBytes()) {
                violation(host.name() + " " + s + ": " + st.sendQueued() + " octets in the send buffer, more than "
                        + config.sendBufferBytes() + " (virtual " + sim.nowNanos() + " ns)");
            }
            if (st.receiveQueued() > config.receiveBufferBytes()) {
                violation(
                        host.name() + " " + s + ": " + st.receiveQueued() + " octets in the receive buffer, more than "
                                + config.receiveBufferBytes() + " (virtual " + sim.nowNanos() + " ns)");
            }
            if (st.sendMss() > 0 && st.state().isSynchronized()) {
                maxCwndSegments = Math.max(maxCwndSegments, (double) st.cwnd() / st.sendMss());
            }
        }

        private boolean touchedChanged() {
            for (int i = 0; i < touched.size(); i++) {
                Touch x = touched.get(i);
                if (x.host == host) {
                    TcpSocket s =
                            byTuple.get(new FourTuple(x.local.address, x.local.port, x.remote.address, x.remote.port));
                    if (s == null || s.state() == TcpState.CLOSED) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * A connection left the table. An active open that never sent anything but its SYN, and that no intact RST
         * reached, was in SYN-SENT and timed out (see the class comment).
         */
        private void left(TcpSocket s) {
            FourTuple t = s.tuple();
            Pair key = new Pair(
                    new Endpoint(t.localAddress(), t.localPort()), new Endpoint(t.remoteAddress(), t.remotePort()));
            Conn c = conns.get(key);
            Half x = c == null ? null : c.half(key.a);
            boolean connecting = x != null && c.first == x && !x.sentAfterSyn && !x.rstReceived;
            String verdict = timeoutVerdict(host, t, s.status().sndUna(), connecting ? "SYN-SENT" : "its state");
            exitVerdicts.put(key, verdict);
            if (connecting && !verdict.isEmpty()) {
                violation(verdict);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- records

    /** An address and port. */
    private record Endpoint(IpAddress address, int port) {
        @Override
        public String toString() {
            return (address.version() == 6 ? "[" + address + "]" : address.toString()) + ":" + port;
        }
    }

    /** A segment {@code host} sent or received on the connection {@code local}-{@code remote}. */
    private record Touch(Node host, Endpoint local, Endpoint remote) {}

    /** An ordered pair of endpoints. */
    private record Pair(Endpoint a, Endpoint b) {}

    /** One incarnation of a connection: the two ends. */
    private static final class Conn {
        private Half first;
        private Half second;

        Conn(Endpoint opener, Endpoint other) {
            first = new Half(opener);
            second = new Half(other);
        }

        Half half(Endpoint e) {
            return first.endpoint.equals(e) ? first : second;
        }

        Half other(Half h) {
            return h == first ? second : first;
        }

        void replace(Half old, Half fresh) {
            if (old == first) {
                first = fresh;
            } else {
                second = fresh;
            }
        }
    }

    /**
     * One end as a sender (its sequence space, unwrapped to longs near SND.MAX) and what reached it from the peer.
     */
    private static final class Half {
        final Endpoint endpoint;
        boolean synSent;
        int isn;
        /** Packet number of this end's first SYN: anything it received from the peer before is older. */
        long firstId;
        /** The highest sequence number this end sent, plus one. */
        long sndMax;
        /** The window scale this end's SYN offered, or -1. */
        int shiftSent = -1;
        /** The window scale of the peer's SYN that reached this end, or -1. */
        int peerShift = -1;
        /** The largest acceptable SEG.ACK and SEG.ACK + SEG.WND that reached this end intact. */
        boolean ackKnown;

        long maxAck;
        boolean edgeKnown;
        long edge;
        /** The largest packet number of the peer's segments that reached this end intact. */
        long maxPeerIdReceived;

        boolean rstReceived;
        /** True once this end sent a segment without SYN (it left SYN-SENT / SYN-RECEIVED). */
        boolean sentAfterSyn;
        /**
         * This end's sequence ranges that reached the peer intact, disjoint, from their start: {end, the simulation's
         * last packet number when the range first arrived}.
         */
        final TreeMap<Long, long[]> arrivals = new TreeMap<>();

        Half(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        /** {@code seq} unwrapped to the long nearest this end's SND.MAX. */
        long abs(int seq) {
            return sndMax + (seq - (int) sndMax);
        }

        void forgetPeer() {
            peerShift = -1;
            maxPeerIdReceived = 0;
        }

        void acked(long ack) {
            if (!ackKnown || ack > maxAck) {
                maxAck = ack;
                ackKnown = true;
                while (!arrivals.isEmpty() && arrivals.firstEntry().getValue()[0] <= ack) {
                    arrivals.pollFirstEntry();
                }
            }
        }

        /** The peer got {@code [start, end)} intact; earlier arrivals of the same octets keep their marker. */
        void received(long start, long end, long marker) {
            long pos = ackKnown ? Math.max(start, maxAck) : start;
            Map.Entry<Long, long[]> before = arrivals.floorEntry(pos);
            if (before != null && before.getValue()[0] > pos) {
                pos = before.getValue()[0];
            }
            while (pos < end) {
                Map.Entry<Long, long[]> next = arrivals.ceilingEntry(pos);
                long gapEnd = next == null ? end : Math.min(end, next.getKey());
                if (gapEnd > pos) {
                    arrivals.put(pos, new long[] {gapEnd, marker});
                }
                if (next == null || next.getKey() >= end) {
                    return;
                }
                pos = next.getValue()[0];
            }
        }

        /** The marker of the first intact arrival of sequence number {@code u} at the peer, or -1. */
        long firstArrivalMarker(long u) {
            Map.Entry<Long, long[]> e = arrivals.floorEntry(u);
            return e != null && e.getValue()[0] > u ? e.getValue()[1] : -1;
        }
    }

    private static String where(Half x, Conn c) {
        return x.endpoint + "->" + c.other(x).endpoint;
    }
}
