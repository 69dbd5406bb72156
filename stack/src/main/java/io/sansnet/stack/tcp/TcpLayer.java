package io.sansnet.stack.tcp;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.host.IcmpError;
import io.sansnet.stack.host.TransportHandler;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IcmpQuote;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * TCP for a {@link io.sansnet.stack.host.Host}: the {@link TransportHandler} that owns every {@link TcpConnection} of
 * the host, attached with {@code host.attachTcp(layer)}. Sans-io like the host: no clock, threads or I/O.
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>Verifies each segment's checksum with the packet's pseudo-header and demultiplexes by 4-tuple (RFC 9293 §3.2);
 *       a SYN without a connection goes to the port's {@link TcpListener} (a new connection in SYN-RECEIVED, bounded
 *       by the backlog).
 *   <li>Defends against SYN floods (RFC 4987): once a listener's SYN queue is full it answers SYNs with SYN cookies
 *       ({@link SynCookies}, RFC 4987 §3.6) and keeps no state for them; an ACK returning a valid cookie creates the
 *       connection in ESTABLISHED ({@link Limits#synCookies()}, counted in {@link Counters#syncookiesSent()} and
 *       the two counters after it).
 *   <li>Answers segments for which no connection and no listener exists with a RST (RFC 9293 §3.10.7.1).
 *   <li>Chooses ephemeral ports by RFC 6056 §3.3.3 ({@link EphemeralPorts}) and ISNs by RFC 6528 ({@link Rfc6528Isn}),
 *       both keyed from the injected generator.
 *   <li>Clamps the MSS it announces to the link MTU (RFC 9293 §3.7.1) and sends IPv4 with DF set (RFC 1191 path MTU
 *       discovery); ICMP errors quoting a connection's segment are matched to it (RFC 5927 §4.1: only when the quoted
 *       sequence number lies in SND.UNA..SND.NXT): "destination unreachable" during connect fails the connect, and
 *       "fragmentation needed" / "packet too big" lowers the connection's MSS to the path MTU
 *       ({@link TcpConnection#handlePathMss}).
 *   <li>Bounds its memory: at most {@link Limits#maxConnections()} connections (SYNs beyond get SYN cookies, or are
 *       dropped when cookies are off; connects fail), at most {@link Limits#maxQueuedResets()} RSTs and cookie
 *       SYN-ACKs waiting to leave.
 *   <li>Delivers each connection's events to its {@link TcpSocket.Handler} after every call that may raise them, and
 *       removes a connection from its table once it is CLOSED and has nothing left to send.
 * </ul>
 *
 * <p>Not thread-safe: the host's owner calls it, and handlers run inside those calls.
 */
public final class TcpLayer implements TransportHandler {

    /**
     * When a listener answers a SYN with a SYN cookie (RFC 4987 §3.6) instead of queueing it; the values of Linux's
     * {@code net.ipv4.tcp_syncookies}.
     */
    public enum SynCookieMode {
        /** Never (0): a SYN that finds the SYN queue full is dropped. */
        OFF,
        /** When the listener's SYN queue is full (1, Linux's default). */
        ON,
        /** For every SYN (2): no SYN queue at all (for tests and for hosts under constant attack). */
        ALWAYS
    }

    /**
     * The layer's bounds.
     *
     * @param maxConnections connections of all states, TIME-WAIT included (Linux's {@code tcp_max_tw_buckets} and file
     *     limits play this role); default 4096
     * @param maxQueuedResets RSTs for closed ports waiting for {@code pollTransmit}; more are dropped (counted); default
     *     64
     * @param maxBacklog the largest backlog a listener may ask for (Linux's {@code net.core.somaxconn}, 4096)
     * @param maxSynBacklog the most connections in SYN-RECEIVED one listener holds, whatever its backlog (Linux's
     *     {@code net.ipv4.tcp_max_syn_backlog}); a listener's SYN queue is full when it holds this many, or when it
     *     and the accept queue together hold the listener's backlog; default 1024
     * @param synCookies when SYN cookies replace the SYN queue (RFC 4987 §3.6); default {@link SynCookieMode#ON}
     * @param synCookieValidityNanos the longest a cookie stays valid, and how long after a listener sent its last
     *     cookie ACKs are still checked for one; default 120 s (Linux: two ticks of 64 s)
     */
    public record Limits(
            int maxConnections,
            int maxQueuedResets,
            int maxBacklog,
            int maxSynBacklog,
            SynCookieMode synCookies,
            long synCookieValidityNanos) {

        /** Linux's {@code tcp_max_syn_backlog} on a host with some memory. */
        public static final int DEFAULT_MAX_SYN_BACKLOG = 1024;
        /** About Linux's {@code MAX_SYNCOOKIE_AGE} (2) ticks of 64 seconds. */
        public static final long DEFAULT_SYN_COOKIE_VALIDITY_NANOS = 120_000_000_000L;

        public static final Limits DEFAULT = new Limits(4096, 64, 4096);

        public Limits {
            if (maxConnections < 1 || maxQueuedResets < 0 || maxBacklog < 1 || maxSynBacklog < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (synCookies == null || synCookieValidityNanos < SynCookies.MAX_AGE_TICKS) {
                throw new IllegalArgumentException("syn cookies need a mode and a validity");
            }
        }

        /** The given bounds with the default SYN queue and SYN cookie settings. */
        public Limits(int maxConnections, int maxQueuedResets, int maxBacklog) {
            this(
                    maxConnections,
                    maxQueuedResets,
                    maxBacklog,
                    DEFAULT_MAX_SYN_BACKLOG,
                    SynCookieMode.ON,
                    DEFAULT_SYN_COOKIE_VALIDITY_NANOS);
        }

        public Limits withMaxSynBacklog(int v) {
            return new Limits(maxConnections, maxQueuedResets, maxBacklog, v, synCookies, synCookieValidityNanos);
        }

        public Limits withSynCookies(SynCookieMode v) {
            return new Limits(maxConnections, maxQueuedResets, maxBacklog, maxSynBacklog, v, synCookieValidityNanos);
        }

        public Limits withSynCookieValidityNanos(long v) {
            return new Limits(maxConnections, maxQueuedResets, maxBacklog, maxSynBacklog, synCookies, v);
        }
    }

    /**
     * What the layer counted.
     *
     * @param segmentsReceived segments that passed the checksum
     * @param badSegments segments that failed to parse or verify
     * @param resetsSent RSTs for segments without a connection
     * @param resetsDropped such RSTs dropped because the queue was full
     * @param listenOverflows SYNs dropped because the listener's backlog was full (SYN queue full without cookies, or
     *     accept queue full), and validated cookie ACKs dropped because the accept queue was full (Linux's
     *     {@code ListenOverflows})
     * @param tableFullDrops SYNs (without cookies) and validated cookie ACKs dropped because the connection table was
     *     full
     * @param icmpErrors ICMP errors matched to a connection
     * @param icmpIgnored ICMP errors that matched no connection or quoted a sequence number outside the window
     * @param syncookiesSent SYN-ACKs carrying a cookie (Linux's {@code TcpExtSyncookiesSent})
     * @param syncookiesValidated ACKs whose cookie was valid ({@code TcpExtSyncookiesRecv})
     * @param syncookiesFailed ACKs checked for a cookie that was forged, expired or for another 4-tuple
     *     ({@code TcpExtSyncookiesFailed})
     */
    public record Counters(
            long segmentsReceived,
            long badSegments,
            long resetsSent,
            long resetsDropped,
            long listenOverflows,
            long tableFullDrops,
            long icmpErrors,
            long icmpIgnored,
            long syncookiesSent,
            long syncookiesValidated,
            long syncookiesFailed) {}

    /** IPv4 header (20) plus TCP header (20): RFC 9293 §3.7.1 "MSS = MTU - 40" for IPv4. */
    static final int IPV4_TCP_HEADERS = 40;
    /** IPv6 header (40) plus TCP header (20). */
    static final int IPV6_TCP_HEADERS = 60;
    /** RFC 9293 §3.7.1: the default send MSS for IPv6 is 1220 (1280 minus 60). */
    static final int IPV6_DEFAULT_PEER_MSS = 1220;

    private final HostConfig hostConfig;
    private final TcpConfig config4;
    private final TcpConfig config6;
    private final Limits limits;
    private final IsnSource isn;
    private final EphemeralPorts ports;
    private final SynCookies cookies;
    /** Lookup by 4-tuple; iteration always goes through {@link #order}. */
    private final HashMap<FourTuple, TcpSocket> table = new HashMap<>();
    /** The same sockets in creation order: deterministic iteration. */
    private final LinkedHashMap<FourTuple, TcpSocket> order = new LinkedHashMap<>();

    private final TreeMap<Integer, TcpListener> listeners = new TreeMap<>();
    /** Sockets that may have something to send, round-robin. */
    private final LinkedHashSet<TcpSocket> ready = new LinkedHashSet<>();

    private final ArrayDeque<IpPacket> resets = new ArrayDeque<>();
    private int nextIpv4Id;
    private long lastNanos = Long.MIN_VALUE;

    private long segmentsReceived;
    private long badSegments;
    private long resetsSent;
    private long resetsDropped;
    private long listenOverflows;
    private long tableFullDrops;
    private long icmpErrors;
    private long icmpIgnored;
    private long syncookiesSent;
    private long syncookiesValidated;
    private long syncookiesFailed;

    /**
     * @param hostConfig the host's addresses, MTU, hop limit and ephemeral port range
     * @param config connection settings; the MSS is clamped to the MTU per address family
     * @param limits the layer's bounds
     * @param random the seed of ISNs, timestamp offsets, ephemeral ports and IPv4 identifications
     */
    public TcpLayer(HostConfig hostConfig, TcpConfig config, Limits limits, SplitMix64 random) {
        this.hostConfig = hostConfig;
        this.limits = limits;
        this.config4 = config.toBuilder()
                .maxSegmentSize(Math.min(config.maxSegmentSize(), hostConfig.mtu() - IPV4_TCP_HEADERS))
                .build();
        this.config6 = config.toBuilder()
                .maxSegmentSize(Math.min(config.maxSegmentSize(), hostConfig.mtu() - IPV6_TCP_HEADERS))
                .defaultPeerMss(Math.max(config.defaultPeerMss(), IPV6_DEFAULT_PEER_MSS))
                .build();
        this.isn = new Rfc6528Isn(random.fork("tcp.isn"));
        this.ports = new EphemeralPorts(
                hostConfig.ephemeralPortFirst(), hostConfig.ephemeralPortLast(), random.fork("tcp.ephemeral-ports"));
        this.nextIpv4Id = random.fork("tcp.ipv4-id").nextInt(0x10000);
        this.cookies = new SynCookies(random.fork("tcp.syncookies"), limits.synCookieValidityNanos());
    }

    /** A layer with default connection settings and limits. */
    public TcpLayer(HostConfig hostConfig, SplitMix64 random) {
        this(hostConfig, TcpConfig.DEFAULT, Limits.DEFAULT, random);
    }

    // ------------------------------------------------------------------------------------------------ user calls

    /**
     * Passive OPEN on {@code port} (1..65535) for all of the host's addresses. {@code onAccept}, if not null, receives
     * each connection once its handshake completed (it then calls {@link TcpSocket#setHandler}); without it,
     * connections wait in {@link TcpListener#accept()}. Fails with ADDRESS_IN_USE or INVALID_ARGUMENT.
     */
    public AppResult<TcpListener> listen(int port, int backlog, Consumer<TcpSocket> onAccept) {
        if (port < 1 || port > 0xFFFF || backlog < 1 || backlog > limits.maxBacklog()) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port " + port + " backlog " + backlog);
        }
        if (listeners.containsKey(port)) {
            return AppResult.err(AppError.Kind.ADDRESS_IN_USE, "tcp port " + port + " is listening");
        }
        TcpListener l = new TcpListener(this, port, backlog, onAccept);
        listeners.put(port, l);
        return AppResult.ok(l);
    }

    /**
     * Active OPEN (RFC 9293 §3.10.1) to {@code remote}:{@code remotePort} from the host's address of the same IP
     * version and an ephemeral port. The SYN leaves on the next {@code pollTransmit}; {@code handler} receives
     * Connected, or Closed(REFUSED / TIMED_OUT / ABORTED). Fails with NO_ROUTE (no address of that version),
     * INVALID_ARGUMENT, or WOULD_BLOCK (connection table full or no free port).
     */
    public AppResult<TcpSocket> connect(IpAddress remote, int remotePort, TcpSocket.Handler handler, long nowNanos) {
        long now = advance(nowNanos);
        if (remotePort < 1 || remotePort > 0xFFFF) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port " + remotePort);
        }
        IpAddress local = localAddress(remote.version());
        if (local == null) {
            return AppResult.err(AppError.Kind.NO_ROUTE, "no IPv" + remote.version() + " address");
        }
        if (table.size() >= limits.maxConnections()) {
            return AppResult.err(AppError.Kind.WOULD_BLOCK, "connection table full");
        }
        int port = ports.choose(
                local,
                remote,
                remotePort,
                p -> !listeners.containsKey(p) && !table.containsKey(new FourTuple(local, p, remote, remotePort)));
        if (port < 0) {
            return AppResult.err(AppError.Kind.WOULD_BLOCK, "no free ephemeral port");
        }
        FourTuple tuple = new FourTuple(local, port, remote, remotePort);
        TcpConnection c = TcpConnection.connect(configFor(remote.version()), tuple, isn, now);
        TcpSocket s = new TcpSocket(this, c, handler);
        add(s);
        ready.add(s);
        return AppResult.ok(s);
    }

    /** Aborts every connection and closes every listener ("closing a stack aborts and frees every connection"). */
    public void abortAll() {
        for (TcpListener l : new ArrayList<>(listeners.values())) {
            closeListener(l);
        }
        for (TcpSocket s : new ArrayList<>(order.values())) {
            s.connection.abort();
            process(s);
        }
    }

    /** Connections in the table, of all states. */
    public int connectionCount() {
        return table.size();
    }

    /** The connections in creation order (a snapshot). */
    public List<TcpSocket> connections() {
        return List.copyOf(order.values());
    }

    public Counters counters() {
        return new Counters(
                segmentsReceived,
                badSegments,
                resetsSent,
                resetsDropped,
                listenOverflows,
                tableFullDrops,
                icmpErrors,
                icmpIgnored,
                syncookiesSent,
                syncookiesValidated,
                syncookiesFailed);
    }

    /** The listener on {@code port}, or null (for counters: its SYN queue and accept queue lengths). */
    public TcpListener listener(int port) {
        return listeners.get(port);
    }

    /** The layer's bounds. */
    public Limits limits() {
        return limits;
    }

    // ------------------------------------------------------------------------------------------------ input

    @Override
    public void receive(IpPacket packet, long nowNanos) {
        long now = advance(nowNanos);
        Parsed<TcpSegment> parsed = TcpSegment.parse(packet.payload(), packet.pseudoHeader());
        if (!(parsed instanceof Parsed.Ok<TcpSegment> ok)) {
            badSegments++;
            return;
        }
        segmentsReceived++;
        TcpSegment seg = ok.value();
        TcpHeader h = seg.header();
        FourTuple tuple = new FourTuple(packet.dst(), h.dstPort(), packet.src(), h.srcPort());
        TcpSocket s = table.get(tuple);
        if (s != null) {
            s.connection.handleSegment(seg, now);
            process(s);
            return;
        }
        TcpListener l = listeners.get(h.dstPort());
        if (l == null || h.srcPort() == 0) {
            sendReset(packet, seg); // RFC 9293 §3.10.7.1: "If the state is CLOSED (i.e., TCB does not exist)"
            return;
        }
        // RFC 9293 §3.10.7.2, LISTEN: a RST is ignored, an ACK earns a RST (unless it returns a SYN cookie), a SYN
        // opens a connection.
        if (h.flags().rst()) {
            return;
        }
        if (h.flags().ack()) {
            if (!h.flags().syn() && cookieAck(l, packet, seg, tuple, now)) {
                return;
            }
            sendReset(packet, seg);
            return;
        }
        if (!h.flags().syn()) {
            return;
        }
        // Linux's tcp_conn_request: a cookie when the SYN queue is full (or always), a drop when the accept queue is
        // full; RFC 4987 §3.6 SYN cookies keep no state, so neither the SYN queue nor the connection table bounds them.
        boolean tableFull = table.size() >= limits.maxConnections();
        boolean wantCookie = limits.synCookies() == SynCookieMode.ALWAYS
                || (limits.synCookies() == SynCookieMode.ON && (l.synQueueFull() || tableFull));
        if (l.acceptQueueFull() || (!wantCookie && l.synQueueFull())) {
            listenOverflows++;
            return;
        }
        if (wantCookie) {
            sendCookie(l, packet, seg, tuple, now);
            return;
        }
        if (tableFull) {
            tableFullDrops++;
            return;
        }
        TcpConnection c = TcpConnection.listen(configFor(packet.version()), tuple, isn);
        TcpSocket child = new TcpSocket(this, c, null);
        child.listener = l;
        l.synQueue++;
        add(child);
        c.handleSegment(seg, now);
        process(child);
    }

    @Override
    public void receiveIcmpError(IcmpError error, long nowNanos) {
        long now = advance(nowNanos);
        Parsed<IcmpQuote> parsed = IcmpQuote.parse(error.quoted());
        if (!(parsed instanceof Parsed.Ok<IcmpQuote> ok) || ok.value().protocol() != IpProtocol.TCP) {
            icmpIgnored++;
            return;
        }
        IcmpQuote q = ok.value();
        TcpSocket s = table.get(new FourTuple(q.src(), q.srcPort(), q.dst(), q.dstPort()));
        if (s == null || !q.hasTcpSequenceNumber() || !quotesOutstanding(s, q.tcpSequenceNumber())) {
            icmpIgnored++; // RFC 5927 §4.1: the quoted segment must be one we may have sent and not yet had acked
            return;
        }
        icmpErrors++;
        boolean v4 = error.version() == 4;
        boolean tooBig = v4 ? error.type() == 3 && error.code() == 4 : error.type() == 2;
        boolean unreachable = v4 ? error.type() == 3 && error.code() != 4 : error.type() == 1;
        if (tooBig) {
            // RFC 1191 §4 (next-hop MTU in the low 16 bits) and RFC 8201 §4 (IPv6 never below 1280)
            int mtu = v4 ? error.restOfHeader() & 0xFFFF : Math.max(Ipv6Header.MIN_MTU, error.restOfHeader());
            if (mtu > 0 && (s.reportedPathMtu == 0 || mtu < s.reportedPathMtu)) {
                s.reportedPathMtu = mtu;
                s.connection.handlePathMss(mtu - (v4 ? IPV4_TCP_HEADERS : IPV6_TCP_HEADERS), now);
                process(s);
            }
        } else if (unreachable && s.connection.state() == TcpState.SYN_SENT) {
            // RFC 9293 §3.8.3/RFC 1122 §4.2.3.9: an unreachable during the handshake fails the connect
            s.failure = "ICMP destination unreachable from " + error.reporter() + " (type " + error.type() + " code "
                    + error.code() + ")";
            s.connection.abort();
            process(s);
        }
    }

    @Override
    public IpPacket pollTransmit(long nowNanos) {
        long now = advance(nowNanos);
        IpPacket r = resets.poll();
        if (r != null) {
            return r;
        }
        while (!ready.isEmpty()) {
            Iterator<TcpSocket> it = ready.iterator();
            TcpSocket s = it.next();
            it.remove();
            TcpSegment seg = s.connection.pollTransmit(now);
            if (seg != null) {
                ready.add(s); // round-robin: to the back of the line
                return wrap(s.connection.tuple(), seg);
            }
            deliver(s);
            releaseIfDone(s);
        }
        return null;
    }

    @Override
    public long pollTimeout() {
        long t = Long.MAX_VALUE;
        for (TcpSocket s : order.values()) {
            t = Math.min(t, s.connection.pollTimeout());
        }
        return t;
    }

    @Override
    public void handleTimeout(long nowNanos) {
        long now = advance(nowNanos);
        List<TcpSocket> due = new ArrayList<>();
        for (TcpSocket s : order.values()) {
            if (s.connection.pollTimeout() <= now) {
                due.add(s);
            }
        }
        for (TcpSocket s : due) {
            s.connection.handleTimeout(now);
            process(s);
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** After a user call on {@code s}: its events, its listener bookkeeping, and a chance to transmit. */
    void afterUserCall(TcpSocket s) {
        if (!s.released) {
            process(s);
        } else {
            deliver(s);
        }
    }

    /** After anything happened to {@code s}: listener bookkeeping, events, and a place in the transmit line. */
    private void process(TcpSocket s) {
        TcpListener l = s.listener;
        TcpState st = s.connection.state();
        if (l != null && !s.established && st.isSynchronized() && st != TcpState.SYN_RECEIVED) {
            s.established = true;
            l.synQueue--;
            if (l.onAccept != null) {
                s.listener = null;
                l.onAccept.accept(s);
            } else {
                l.acceptQueue.add(s);
            }
        }
        if (!s.released) {
            ready.add(s);
        }
        deliver(s);
    }

    /** Hands the connection's events to its handler (none until it has one), never re-entrantly. */
    private void deliver(TcpSocket s) {
        if (s.handler == null || s.delivering) {
            return;
        }
        s.delivering = true;
        try {
            for (TcpEvent e; (e = s.connection.pollEvent()) != null; ) {
                s.handler.onEvent(s, e);
            }
        } finally {
            s.delivering = false;
        }
    }

    /** Removes a connection that reached CLOSED (or a passive one that fell back to LISTEN) and has nothing to send. */
    private void releaseIfDone(TcpSocket s) {
        TcpState st = s.connection.state();
        if (s.released || (st != TcpState.CLOSED && st != TcpState.LISTEN)) {
            return;
        }
        s.released = true;
        FourTuple t = s.connection.tuple();
        table.remove(t, s);
        order.remove(t, s);
        ready.remove(s);
        TcpListener l = s.listener;
        if (l != null) {
            if (s.established) {
                l.acceptQueue.remove(s);
            } else {
                l.synQueue--;
            }
            s.listener = null;
        }
    }

    void closeListener(TcpListener l) {
        if (l.closed) {
            return;
        }
        l.closed = true;
        listeners.remove(l.port, l);
        for (TcpSocket s : new ArrayList<>(order.values())) {
            if (s.listener == l) {
                s.connection.abort();
                process(s);
            }
        }
    }

    private void add(TcpSocket s) {
        FourTuple t = s.connection.tuple();
        table.put(t, s);
        order.put(t, s);
    }

    /**
     * RFC 4987 §3.6: answers a SYN with a SYN-ACK whose ISS is a cookie, keeping no state. It offers our MSS only:
     * window scaling, SACK and timestamps cannot be recorded, so the connection goes without them; its window is the
     * unscaled one {@link TcpConnection#fromSynCookie} assumes.
     */
    private void sendCookie(TcpListener l, IpPacket packet, TcpSegment syn, FourTuple tuple, long now) {
        TcpHeader h = syn.header();
        TcpConfig cfg = configFor(packet.version());
        int peerMss = h.options().mss().orElse(cfg.defaultPeerMss());
        int iss = cookies.encode(tuple, h.seq(), SynCookies.mssIndex(packet.version(), peerMss), now);
        TcpSegment synAck = new TcpSegment(
                TcpHeader.builder(tuple.localPort(), tuple.remotePort())
                        .seq(iss)
                        .ack(SeqNum.add(h.seq(), 1))
                        .flags(TcpFlags.SYN | TcpFlags.ACK)
                        .window(cookieWindow(cfg))
                        .options(TcpOptions.NONE.withMss(cfg.maxSegmentSize()))
                        .build(),
                Bytes.EMPTY);
        l.lastCookieNanos = now;
        l.cookiesSent = true;
        if (resets.size() >= limits.maxQueuedResets()) {
            resetsDropped++; // stateless replies share the RST queue and its bound
            return;
        }
        syncookiesSent++;
        resets.add(wrap(tuple, synAck));
    }

    /** The receive window of a cookie SYN-ACK: never scaled (RFC 7323 §2.2), so at most 65535. */
    private static int cookieWindow(TcpConfig cfg) {
        return Math.min(cfg.receiveBufferBytes(), 0xFFFF);
    }

    /**
     * An ACK (without SYN or RST) for a listener and no connection: while the listener sends cookies (one within the
     * cookie validity, or always), checks whether it returns one (RFC 4987 §3.6; SEG.ACK - 1 is the cookie, SEG.SEQ -
     * 1 the SYN's sequence number). A valid cookie makes the connection in SYN-RECEIVED, hands it the ACK (which
     * enters ESTABLISHED and may carry data or a FIN) and queues it for accept, room permitting (Linux drops the ACK
     * when the accept queue is full). Returns false when the segment gets the LISTEN state's RST instead.
     *
     * <p>Note: a segment that fails the check while cookies are being sent is dropped, not reset: it can be a later
     * segment of a cookie connection whose ACK was lost or overtaken (a second data segment, the FIN, or an ACK the
     * peer sent on a duplicated SYN-ACK), and the peer's retransmission from SEG.SEQ = IRS + 1 will carry a valid
     * cookie. Linux answers it with a RST (RFC 9293 §3.10.7.2), which kills that connection. Forged, expired and
     * misdirected cookies are dropped alike (counted); without recent cookies an ACK gets the RST of LISTEN.
     */
    private boolean cookieAck(TcpListener l, IpPacket packet, TcpSegment seg, FourTuple tuple, long now) {
        boolean checking = limits.synCookies() == SynCookieMode.ALWAYS
                || (limits.synCookies() == SynCookieMode.ON
                        && l.cookiesSent
                        && now - l.lastCookieNanos <= limits.synCookieValidityNanos());
        if (!checking) {
            return false;
        }
        TcpHeader h = seg.header();
        int irs = SeqNum.add(h.seq(), -1);
        int iss = SeqNum.add(h.ack(), -1);
        int index = cookies.check(tuple, irs, iss, now);
        if (index < 0) {
            syncookiesFailed++;
            return true;
        }
        syncookiesValidated++;
        if (l.acceptQueueFull()) {
            listenOverflows++;
            return true;
        }
        if (table.size() >= limits.maxConnections()) {
            tableFullDrops++;
            return true;
        }
        TcpConfig cfg = configFor(packet.version());
        int peerMss = SynCookies.table(packet.version())[index];
        TcpConnection c = TcpConnection.fromSynCookie(cfg, tuple, isn, irs, iss, peerMss, cookieWindow(cfg));
        TcpSocket child = new TcpSocket(this, c, null);
        child.listener = l;
        l.synQueue++; // counted as if it had waited in the SYN queue; process() moves it on at once
        add(child);
        c.handleSegment(seg, now);
        process(child);
        return true;
    }

    private boolean quotesOutstanding(TcpSocket s, int seq) {
        TcpStatus st = s.connection.status();
        int una = (int) st.sndUna();
        int nxt = (int) st.sndNxt();
        return SeqNum.le(una, seq) && SeqNum.lt(seq, nxt) || (una == nxt && seq == una);
    }

    private TcpConfig configFor(int version) {
        return version == 4 ? config4 : config6;
    }

    private IpAddress localAddress(int version) {
        return version == 4 ? hostConfig.ipv4Address() : hostConfig.ipv6Address();
    }

    private void sendReset(IpPacket packet, TcpSegment seg) {
        TcpSegment rst = TcpConnection.resetFor(seg);
        if (rst == null) {
            return;
        }
        if (resets.size() >= limits.maxQueuedResets()) {
            resetsDropped++;
            return;
        }
        resetsSent++;
        resets.add(wrap(new FourTuple(packet.dst(), 0, packet.src(), 0), rst));
    }

    private IpPacket wrap(FourTuple t, TcpSegment seg) {
        PseudoHeader ph = new PseudoHeader(t.localAddress(), t.remoteAddress());
        Bytes bytes = Bytes.copyOf(seg.encode(ph));
        if (t.localAddress() instanceof Ipv4Address src) {
            Ipv4Header h = Ipv4Header.builder(src, (Ipv4Address) t.remoteAddress(), IpProtocol.TCP)
                    .payloadLength(bytes.length())
                    .identification(nextIpv4Id++ & 0xFFFF)
                    .dontFragment(true) // RFC 1191 path MTU discovery
                    .ttl(hostConfig.hopLimit())
                    .build();
            return Ipv4Packet.of(h, bytes);
        }
        Ipv6Header h = Ipv6Header.of(
                (Ipv6Address) t.localAddress(),
                (Ipv6Address) t.remoteAddress(),
                IpProtocol.TCP,
                hostConfig.hopLimit(),
                bytes.length());
        return Ipv6Packet.of(h, IpProtocol.TCP, bytes);
    }

    private long advance(long nowNanos) {
        lastNanos = Math.max(lastNanos, nowNanos);
        return lastNanos;
    }

    /** For tests: the listeners by port. */
    Map<Integer, TcpListener> listeners() {
        return listeners;
    }
}
