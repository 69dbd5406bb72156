package io.sansnet.stack.host;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.UdpHandler;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6ExtensionHeader;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.ParseError;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.UdpDatagram;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sans-io IPv4/IPv6 host: the IP layer, ICMP and ICMPv6, UDP sockets, fragment reassembly and fragmentation. It does
 * no I/O, reads no clock and starts no thread: packets come in through {@link #receive}, leave through
 * {@link #pollTransmit}, and time comes in as arguments. Read first: RFC 791, RFC 1122 §3 (host requirements), RFC 8200,
 * RFC 792, RFC 4443, RFC 768, RFC 815, RFC 5722.
 *
 * <h2>Contract</h2>
 *
 * Methods come in four kinds, as in quinn-proto's {@code Connection}:
 *
 * <ul>
 *   <li>getters ({@link #config()}, {@link #counters()}, {@link #reassemblyMemoryBytes()}, ...) change nothing;
 *   <li>{@code handle} calls feed it input: {@link #receive} a packet from the link, {@link #handleTimeout} the passing
 *       of time;
 *   <li>mutators act for the application: {@link #bind} and {@link UdpSocket#send}, {@link #attachTcp},
 *       {@link #sendIp};
 *   <li>{@code poll} calls give output: {@link #pollTransmit} the packets to write to the link, {@link #pollTimeout}
 *       when {@link #handleTimeout} is next due.
 * </ul>
 *
 * After any {@code handle} call or mutator, the owner drains {@link #pollTransmit} until it returns {@code null} and
 * then reads {@link #pollTimeout}; both answers can change only after such a call. Times are nanoseconds on one
 * monotonic clock chosen by the owner (virtual time in a simulation, {@code System.nanoTime()} in a driver) and must
 * never go backwards: a time before an earlier one is treated as the earlier one. UDP handlers are called synchronously
 * inside {@link #receive}, on the owner's thread. Not thread-safe.
 *
 * <h2>What it does with a packet</h2>
 *
 * IP checks (version, lengths, header checksum, source and destination address), then reassembly if the packet is a
 * fragment, then the protocol dispatch in {@link #deliver}: ICMP echo is answered, ICMPv6 neighbor discovery and
 * multicast listener discovery are ignored (a point-to-point TUN link needs neither), UDP goes to the bound socket or
 * earns an ICMP port unreachable, TCP goes to the attached {@link TransportHandler} (without one it is dropped and
 * counted as {@code tcp.noHandler}: no RST is sent). Every packet that is dropped is counted under one reason in
 * {@link #counters()}.
 *
 * <p>Addresses accepted: IPv4 to this host's address, to 255.255.255.255 and to the subnet's directed broadcast (a
 * prefix shorter than 31); IPv6 to this host's address and to any multicast address. Broadcast echo requests are
 * ignored; multicast echo requests are answered from the unicast address (RFC 4443 §4.2).
 */
public final class Host {

    /** {@link #pollTimeout()} when nothing is due. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * RFC 1812 §4.3.2.3 and Linux: an ICMPv4 error carries as much of the invoking datagram as fits in 576 octets
     * (which includes RFC 792's minimum, the IP header and 64 bits of data).
     */
    static final int ICMPV4_MAX_QUOTE = Icmpv4Message.MAX_ERROR_LENGTH - Icmpv4Message.HEADER_LENGTH;
    /** RFC 4443 §2.4 (c): as much as fits without the error exceeding the minimum IPv6 MTU of 1280 octets. */
    static final int ICMPV6_MAX_QUOTE = Icmpv6Message.MAX_ERROR_LENGTH - Icmpv6Message.HEADER_LENGTH;

    private static final int MAX_UDP_PAYLOAD_V4 = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH - 8;
    private static final int MAX_UDP_PAYLOAD_V6 = 0xFFFF - 8;

    /**
     * An ICMP or ICMPv6 echo reply addressed to this host (RFC 792, RFC 4443 §4.2), as {@link #onEchoReply} reports it:
     * after reassembly, with the IP and ICMP checksums verified.
     *
     * @param source who answered
     * @param destination the address of ours it was sent to
     * @param identifier the echo identifier, 0..65535
     * @param sequence the echo sequence number, 0..65535
     * @param data the echoed data
     */
    public record EchoReply(IpAddress source, IpAddress destination, int identifier, int sequence, Bytes data) {
        public EchoReply {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(data, "data");
        }
    }

    /** Receives the echo replies this host gets; called synchronously inside {@link #receive}, on the owner's thread. */
    @FunctionalInterface
    public interface EchoReplyListener {
        void onEchoReply(EchoReply reply);
    }

    /** How a packet was addressed to this host. */
    private enum Cast {
        UNICAST,
        BROADCAST,
        MULTICAST
    }

    private final HostConfig config;
    private final Ipv4Address address4;
    private final Ipv6Address address6;
    private final Ipv4Address directedBroadcast4;
    private final SplitMix64 portRandom;
    private final SplitMix64 fragmentIdRandom;
    private final Counters counters = new Counters();
    private final Reassembler reassembler;
    private final TokenBucket icmpErrorBucket;
    private final TreeMap<Integer, UdpSocket> udpSockets = new TreeMap<>();
    private final ArrayDeque<byte[]> transmitQueue = new ArrayDeque<>();
    private int nextIpv4Id;
    private TransportHandler tcp;
    private EchoReplyListener echoReplyListener;
    private long lastNanos = Long.MIN_VALUE;

    /**
     * A host with {@code config}'s addresses and limits. {@code rng} seeds the random choices (IPv4 identification
     * start, IPv6 fragment identifications, ephemeral ports): each draws from its own fork, so the same seed gives the
     * same packets.
     */
    public Host(HostConfig config, SplitMix64 rng) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(rng, "rng");
        this.address4 = config.ipv4Address();
        this.address6 = config.ipv6Address();
        int prefix = config.ipv4PrefixLength();
        this.directedBroadcast4 =
                prefix < 31 ? new Ipv4Address(address4.bits() | (-1 >>> prefix)) : null; // RFC 919, RFC 3021
        this.portRandom = rng.fork("host.udp-ephemeral-ports");
        this.fragmentIdRandom = rng.fork("host.ipv6-fragment-id");
        // RFC 6864 §4.1: identifications unique per source, destination and protocol for the datagram's lifetime
        this.nextIpv4Id = rng.fork("host.ipv4-id").nextInt(0x10000);
        this.reassembler = new Reassembler(
                config.reassemblyBudgetBytes(), config.reassemblyTimeout().toNanos(), counters);
        this.icmpErrorBucket = new TokenBucket(config.icmpErrorsPerSecond(), config.icmpErrorBurst());
    }

    // ------------------------------------------------------------------------------------------------ getters

    public HostConfig config() {
        return config;
    }

    /** A snapshot of every counter; it does not change afterwards. */
    public HostCounters counters() {
        return counters.snapshot();
    }

    /** Bytes held for fragments awaiting reassembly; never more than {@link HostConfig#reassemblyBudgetBytes()}. */
    public long reassemblyMemoryBytes() {
        return reassembler.memoryBytes();
    }

    /** Datagrams awaiting reassembly. */
    public int reassemblyInProgress() {
        return reassembler.inProgress();
    }

    /** The bound UDP ports in ascending order. */
    public List<Integer> boundUdpPorts() {
        return List.copyOf(udpSockets.keySet());
    }

    /** Packets waiting in the transmit queue. */
    public int transmitQueueLength() {
        return transmitQueue.size();
    }

    // ------------------------------------------------------------------------------------------------ handle

    /** A packet from the link (one whole IP packet, no link-layer header). Any bytes are accepted. */
    public void receive(byte[] packet, long nowNanos) {
        receive(packet, 0, packet.length, nowNanos);
    }

    /** A packet from the link in {@code buf[off, off+len)}; the bytes are not kept after the call. */
    public void receive(byte[] buf, int off, int len, long nowNanos) {
        Objects.checkFromIndexSize(off, len, buf.length);
        long now = advance(nowNanos);
        if (len < 1) {
            counters.increment(HostCounter.LINK_BAD_VERSION);
            return;
        }
        int version = (buf[off] & 0xFF) >>> 4;
        if (version == 4) {
            receiveIpv4(buf, off, len, now);
        } else if (version == 6) {
            receiveIpv6(buf, off, len, now);
        } else {
            counters.increment(HostCounter.LINK_BAD_VERSION);
        }
    }

    /**
     * Fires what is due at {@code nowNanos}: abandons datagrams whose reassembly timed out (sending ICMP time exceeded
     * code 1 when the first fragment had arrived, RFC 1122 §3.3.2, RFC 8200 §4.5) and runs the TCP handler's timers.
     * Early or repeated calls are harmless.
     */
    public void handleTimeout(long nowNanos) {
        long now = advance(nowNanos);
        for (Reassembler.Expired e : reassembler.expire(now)) {
            if (e.firstFragmentQuote() != null) {
                sendReassemblyTimeExceeded(e, now);
            }
        }
        if (tcp != null) {
            tcp.handleTimeout(now);
        }
    }

    // ------------------------------------------------------------------------------------------------ mutators

    /**
     * Binds UDP {@code port} on all of the host's addresses. Port 0 picks a free ephemeral port (RFC 6056 §3.3.1,
     * Algorithm 1: a random start, then the next free one). With a {@code handler} every datagram goes to it; with
     * {@code null} datagrams are queued for {@link UdpSocket#poll()}. Fails with {@link AppError.Kind#ADDRESS_IN_USE}
     * or {@link AppError.Kind#INVALID_ARGUMENT}.
     */
    public AppResult<UdpSocket> bind(int port, UdpHandler handler) {
        if (port < 0 || port > 0xFFFF) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port outside 0..65535: " + port);
        }
        int chosen = port;
        if (port == 0) {
            int first = config.ephemeralPortFirst();
            int count = config.ephemeralPortLast() - first + 1;
            int next = first + portRandom.nextInt(count);
            chosen = -1;
            for (int i = 0; i < count; i++) {
                if (!udpSockets.containsKey(next)) {
                    chosen = next;
                    break;
                }
                next = next == config.ephemeralPortLast() ? first : next + 1;
            }
            if (chosen < 0) {
                return AppResult.err(AppError.Kind.ADDRESS_IN_USE, "no free ephemeral UDP port");
            }
        } else if (udpSockets.containsKey(port)) {
            return AppResult.err(AppError.Kind.ADDRESS_IN_USE, "UDP port " + port + " is bound");
        }
        UdpSocket s = new UdpSocket(this, chosen, handler, config.udpReceiveQueueDatagrams());
        udpSockets.put(chosen, s);
        return AppResult.ok(s);
    }

    /**
     * Plugs in the TCP implementation: from now on packets of protocol 6 go to {@code handler} instead of being
     * counted as {@code tcp.noHandler}. {@code null} detaches it.
     */
    public void attachTcp(TransportHandler handler) {
        this.tcp = handler;
    }

    /**
     * Reports every echo reply this host receives to {@code listener} (whoever sent the requests: a ping built by the
     * owner and sent with {@link #sendIp}); {@code null} removes it. A reply that arrived in fragments is reported once,
     * after reassembly. The host keeps nothing for the listener (no queue, no memory per reply), and it still counts the
     * reply under {@code icmp.otherIgnored} or {@code icmp6.otherIgnored}: the host itself does nothing with it.
     */
    public void onEchoReply(EchoReplyListener listener) {
        this.echoReplyListener = listener;
    }

    /**
     * Sends a packet built elsewhere (by a {@link TransportHandler}, or a test): fragmented if it exceeds the MTU,
     * unless IPv4's DF flag is set (then dropped and counted as {@code ip.cannotFragment}). Returns false when it was
     * dropped.
     */
    public boolean sendIp(IpPacket packet) {
        if (packet instanceof Ipv4Packet p4) {
            return transmitIpv4(p4.encode());
        }
        Ipv6Packet p6 = (Ipv6Packet) packet;
        if (p6.isFragment()) {
            return enqueue(p6.encode(), HostCounter.IP6_SENT);
        }
        // RFC 8200 §4.5: the unfragmentable part is the IPv6 header, Hop-by-Hop Options, and any headers up to and
        // including the last Routing header (Destination Options before a Routing header among them)
        List<Ipv6ExtensionHeader> exts = p6.extensionHeaders();
        int lastUnfragmentable = -1;
        for (int i = 0; i < exts.size(); i++) {
            int t = exts.get(i).type();
            if (t == IpProtocol.HOPOPT || t == IpProtocol.IPV6_ROUTE) {
                lastUnfragmentable = i;
            }
        }
        int unfragmentableLength = Ipv6Header.LENGTH;
        int nextHeaderAt = 6;
        for (int i = 0; i <= lastUnfragmentable; i++) {
            nextHeaderAt = unfragmentableLength;
            unfragmentableLength += exts.get(i).length();
        }
        return transmitIpv6(p6.encode(), unfragmentableLength, nextHeaderAt);
    }

    // ------------------------------------------------------------------------------------------------ poll

    /**
     * The next packet to write to the link, or {@code null} when there is none. Changes after any {@code handle} call
     * or mutator.
     */
    public byte[] pollTransmit(long nowNanos) {
        long now = advance(nowNanos);
        byte[] b = transmitQueue.poll();
        if (b != null || tcp == null) {
            return b;
        }
        for (IpPacket p; (p = tcp.pollTransmit(now)) != null; ) {
            sendIp(p);
            b = transmitQueue.poll();
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    /**
     * When {@link #handleTimeout} is next due, in absolute nanoseconds, or {@link #NO_DEADLINE}. Changes after any
     * {@code handle} call or mutator.
     */
    public long pollTimeout() {
        long t = reassembler.nextDeadline();
        if (tcp != null) {
            t = Math.min(t, tcp.pollTimeout());
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------ IPv4 in

    private void receiveIpv4(byte[] buf, int off, int len, long now) {
        counters.increment(HostCounter.IP_RECEIVED);
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(buf, off, len);
        if (!(parsed instanceof Parsed.Ok<Ipv4Packet> ok)) {
            counters.increment(ipv4DropReason(parsed.error()));
            return;
        }
        Ipv4Packet p = ok.value();
        Ipv4Address src = p.src();
        // RFC 1122 §3.2.1.3: a datagram whose source is a broadcast or multicast address MUST be silently discarded
        if (src.isBroadcast() || src.isMulticast() || src.equals(directedBroadcast4) || src.isUnspecified()) {
            counters.increment(HostCounter.IP_BAD_SOURCE);
            return;
        }
        Cast cast = castIpv4(p.dst());
        if (cast == null) {
            counters.increment(HostCounter.IP_WRONG_DESTINATION);
            return;
        }
        if (p.isFragment()) {
            counters.increment(HostCounter.IP_FRAGMENTS_RECEIVED);
            reassembleIpv4(p, buf, off, cast, now);
            return;
        }
        deliver(p, cast, now);
    }

    private static HostCounter ipv4DropReason(ParseError e) {
        return switch (e.kind()) {
            case BAD_CHECKSUM -> HostCounter.IP_BAD_CHECKSUM;
            case TRUNCATED, BAD_LENGTH -> HostCounter.IP_BAD_LENGTH;
            default -> HostCounter.IP_BAD_HEADER;
        };
    }

    private Cast castIpv4(Ipv4Address dst) {
        if (dst.equals(address4)) {
            return Cast.UNICAST;
        }
        if (dst.isBroadcast() || dst.equals(directedBroadcast4)) {
            return Cast.BROADCAST;
        }
        return null; // this host joins no multicast group
    }

    /** RFC 791 §3.2 and RFC 815: one fragment into the shared reassembly table. */
    private void reassembleIpv4(Ipv4Packet p, byte[] buf, int off, Cast cast, long now) {
        Ipv4Header h = p.header();
        int dataOffset = h.fragmentOffsetBytes();
        int dataLength = h.payloadLength();
        // RFC 791: every fragment but the last carries a multiple of 8 octets; no datagram exceeds 65,535 octets
        if (dataLength == 0
                || (h.moreFragments() && dataLength % 8 != 0)
                || h.length() + dataOffset + dataLength > Ipv4Header.MAX_TOTAL_LENGTH) {
            counters.increment(HostCounter.IP_BAD_LENGTH);
            return;
        }
        FragmentKey key = FragmentKey.ipv4(p.src().bits(), p.dst().bits(), h.protocol(), h.identification());
        IpPacket firstHeader = null;
        byte[] quote = null;
        if (dataOffset == 0) {
            firstHeader = Ipv4Packet.of(h, Bytes.EMPTY);
            if (mayReportError(p, cast)) {
                quote = copyPrefix(buf, off, h.totalLength(), ICMPV4_MAX_QUOTE);
            }
        }
        Reassembler.Outcome outcome = reassembler.add(
                key, dataOffset, buf, off + h.length(), dataLength, h.moreFragments(), firstHeader, quote, now);
        if (!(outcome instanceof Reassembler.Outcome.Complete c)) {
            return; // incomplete, or dropped and counted by the reassembler
        }
        Ipv4Header first = ((Ipv4Packet) c.firstHeader()).header();
        int total = first.length() + c.data().length;
        if (total > Ipv4Header.MAX_TOTAL_LENGTH) {
            counters.increment(HostCounter.IP_REASSEMBLY_INVALID);
            return;
        }
        counters.increment(HostCounter.IP_REASSEMBLED);
        Ipv4Packet whole = new Ipv4Packet(first.withFragment(0, false, total), Bytes.copyOf(c.data()));
        deliver(whole, cast, now);
    }

    // ------------------------------------------------------------------------------------------------ IPv6 in

    private void receiveIpv6(byte[] buf, int off, int len, long now) {
        counters.increment(HostCounter.IP6_RECEIVED);
        Parsed<Ipv6Packet> parsed = Ipv6Packet.parse(buf, off, len);
        if (!(parsed instanceof Parsed.Ok<Ipv6Packet> ok)) {
            ParseError.Kind k = parsed.error().kind();
            counters.increment(
                    k == ParseError.Kind.TRUNCATED || k == ParseError.Kind.BAD_LENGTH
                            ? HostCounter.IP6_BAD_LENGTH
                            : HostCounter.IP6_BAD_HEADER);
            return;
        }
        Ipv6Packet p = ok.value();
        // RFC 4291 §2.7: "Multicast addresses must not be used as source addresses in IPv6 packets"
        if (p.src().isMulticast()) {
            counters.increment(HostCounter.IP6_BAD_SOURCE);
            return;
        }
        Cast cast = castIpv6(p.dst());
        if (cast == null) {
            counters.increment(HostCounter.IP6_WRONG_DESTINATION);
            return;
        }
        Optional<Ipv6ExtensionHeader.Fragment> fragment = p.fragment();
        if (fragment.isEmpty()) {
            deliver(p, cast, now);
            return;
        }
        counters.increment(HostCounter.IP6_FRAGMENTS_RECEIVED);
        Ipv6ExtensionHeader.Fragment f = fragment.get();
        if (f.isAtomic()) {
            // RFC 6946 §4: an atomic fragment is processed on its own, never mixed with other fragments
            counters.increment(HostCounter.IP6_ATOMIC_FRAGMENTS);
            Parsed<Ipv6Packet> whole = Ipv6Packet.reassemble(p, p.payload());
            if (whole instanceof Parsed.Ok<Ipv6Packet> w) {
                deliver(w.value(), cast, now);
            } else {
                counters.increment(HostCounter.IP6_BAD_HEADER);
            }
            return;
        }
        reassembleIpv6(p, f, buf, off, cast, now);
    }

    private Cast castIpv6(Ipv6Address dst) {
        if (address6 == null) {
            return null;
        }
        if (dst.equals(address6)) {
            return Cast.UNICAST;
        }
        return dst.isMulticast() ? Cast.MULTICAST : null;
    }

    /** RFC 8200 §4.5 with RFC 5722: one fragment into the shared reassembly table. */
    private void reassembleIpv6(
            Ipv6Packet p, Ipv6ExtensionHeader.Fragment f, byte[] buf, int off, Cast cast, long now) {
        int dataOffset = f.fragmentOffsetBytes();
        int dataLength = p.payload().length();
        int unfragmentableLength = p.payloadOffset() - Ipv6ExtensionHeader.Fragment.LENGTH - Ipv6Header.LENGTH;
        // RFC 8200 §4.5: a fragment with M set whose length is not a multiple of 8 octets, or whose offset and
        // length would make the reassembled payload exceed 65,535 octets, is discarded. Note: the Parameter Problem
        // that RFC 8200 says "should" be sent is not: the drop is counted instead.
        if (dataLength == 0
                || (f.moreFragments() && dataLength % 8 != 0)
                || unfragmentableLength + dataOffset + dataLength > 0xFFFF) {
            counters.increment(HostCounter.IP6_BAD_LENGTH);
            return;
        }
        FragmentKey key = FragmentKey.ipv6(
                p.src().hi(), p.src().lo(), p.dst().hi(), p.dst().lo(), f.identification());
        IpPacket firstHeader = null;
        byte[] quote = null;
        if (dataOffset == 0) {
            firstHeader = Ipv6Packet.of(p.header(), p.extensionHeaders(), p.protocol(), Bytes.EMPTY);
            if (mayReportError(p, cast)) {
                quote = copyPrefix(buf, off, p.length(), ICMPV6_MAX_QUOTE);
            }
        }
        Reassembler.Outcome outcome = reassembler.add(
                key, dataOffset, buf, off + p.payloadOffset(), dataLength, f.moreFragments(), firstHeader, quote, now);
        if (!(outcome instanceof Reassembler.Outcome.Complete c)) {
            return; // incomplete, or dropped and counted by the reassembler
        }
        Parsed<Ipv6Packet> whole = Ipv6Packet.reassemble((Ipv6Packet) c.firstHeader(), Bytes.copyOf(c.data()));
        if (!(whole instanceof Parsed.Ok<Ipv6Packet> w)) {
            counters.increment(HostCounter.IP6_REASSEMBLY_INVALID);
            return;
        }
        counters.increment(HostCounter.IP6_REASSEMBLED);
        deliver(w.value(), cast, now);
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    /**
     * The protocol dispatch: every complete, valid packet for this host passes here exactly once (RFC 1122 §3.2.1,
     * RFC 8200 §4). A new transport plugs in as one more case.
     */
    private void deliver(IpPacket p, Cast cast, long now) {
        boolean v4 = p.version() == 4;
        int protocol = p.protocol();
        if (v4 && protocol == IpProtocol.ICMP) {
            counters.increment(HostCounter.IP_DELIVERED);
            receiveIcmpv4((Ipv4Packet) p, cast, now);
        } else if (!v4 && protocol == IpProtocol.ICMPV6) {
            counters.increment(HostCounter.IP6_DELIVERED);
            receiveIcmpv6((Ipv6Packet) p, cast, now);
        } else if (protocol == IpProtocol.UDP) {
            counters.increment(v4 ? HostCounter.IP_DELIVERED : HostCounter.IP6_DELIVERED);
            receiveUdp(p, cast, now);
        } else if (protocol == IpProtocol.TCP) {
            counters.increment(v4 ? HostCounter.IP_DELIVERED : HostCounter.IP6_DELIVERED);
            receiveTcp(p, now);
        } else {
            unknownProtocol(p, cast, now);
        }
    }

    private void receiveTcp(IpPacket p, long now) {
        if (tcp == null) {
            counters.increment(HostCounter.TCP_NO_HANDLER); // Note: no RST until TCP is attached
            return;
        }
        counters.increment(HostCounter.TCP_DELIVERED);
        tcp.receive(p, now);
    }

    private void unknownProtocol(IpPacket p, Cast cast, long now) {
        if (p instanceof Ipv4Packet p4) {
            counters.increment(HostCounter.IP_UNKNOWN_PROTOCOL);
            // RFC 1122 §3.2.2.1: a host SHOULD generate Destination Unreachable with code 2 (Protocol Unreachable)
            sendIcmpv4Error(
                    p4, cast, Icmpv4Message.TYPE_DESTINATION_UNREACHABLE, Icmpv4Message.CODE_PROTOCOL_UNREACHABLE, now);
            return;
        }
        Ipv6Packet p6 = (Ipv6Packet) p;
        counters.increment(HostCounter.IP6_UNKNOWN_PROTOCOL);
        if (p6.protocol() == IpProtocol.IPV6_NONXT) {
            return; // RFC 8200 §4.7: nothing follows, nothing to report
        }
        // RFC 8200 §4: Parameter Problem code 1, the pointer at the unrecognized Next Header value
        int pointer = 6;
        List<Ipv6ExtensionHeader> exts = p6.extensionHeaders();
        if (!exts.isEmpty()) {
            pointer = Ipv6Header.LENGTH;
            for (int i = 0; i < exts.size() - 1; i++) {
                pointer += exts.get(i).length();
            }
        }
        sendIcmpv6Error(
                p6,
                cast,
                Icmpv6Message.TYPE_PARAMETER_PROBLEM,
                Icmpv6Message.CODE_UNRECOGNIZED_NEXT_HEADER,
                pointer,
                now);
    }

    // ------------------------------------------------------------------------------------------------ ICMP

    private void receiveIcmpv4(Ipv4Packet p, Cast cast, long now) {
        counters.increment(HostCounter.ICMP_RECEIVED);
        Parsed<Icmpv4Message> parsed = Icmpv4Message.parse(p.payload());
        if (!(parsed instanceof Parsed.Ok<Icmpv4Message> ok)) {
            counters.increment(
                    parsed.error().kind() == ParseError.Kind.BAD_CHECKSUM
                            ? HostCounter.ICMP_BAD_CHECKSUM
                            : HostCounter.ICMP_BAD_LENGTH);
            return;
        }
        Icmpv4Message m = ok.value();
        if (m.type() == Icmpv4Message.TYPE_ECHO_REQUEST) {
            counters.increment(HostCounter.ICMP_ECHO_REQUESTS);
            if (cast != Cast.UNICAST) {
                counters.increment(HostCounter.ICMP_BROADCAST_ECHO_IGNORED);
                return;
            }
            // RFC 792 and RFC 1122 §3.2.2.6: same identifier, sequence number and data, from the address the request
            // was sent to
            byte[] reply = m.toEchoReply().encode();
            if (transmitIpv4(buildIpv4(address4, p.src(), IpProtocol.ICMP, reply))) {
                counters.increment(HostCounter.ICMP_ECHO_REPLIES);
            }
        } else if (m.isError()) {
            counters.increment(HostCounter.ICMP_ERRORS_RECEIVED);
            reportIcmpError(new IcmpError(p.src(), 4, m.type(), m.code(), m.restOfHeader(), m.data()), now);
        } else {
            counters.increment(HostCounter.ICMP_OTHER_IGNORED);
            if (m.type() == Icmpv4Message.TYPE_ECHO_REPLY && m.code() == 0 && echoReplyListener != null) {
                echoReplyListener.onEchoReply(
                        new EchoReply(p.src(), p.dst(), m.echoIdentifier(), m.echoSequence(), m.data()));
            }
        }
    }

    private void receiveIcmpv6(Ipv6Packet p, Cast cast, long now) {
        counters.increment(HostCounter.ICMP6_RECEIVED);
        Parsed<Icmpv6Message> parsed = Icmpv6Message.parse(p.payload(), new PseudoHeader(p.src(), p.dst()));
        if (!(parsed instanceof Parsed.Ok<Icmpv6Message> ok)) {
            counters.increment(
                    parsed.error().kind() == ParseError.Kind.BAD_CHECKSUM
                            ? HostCounter.ICMP6_BAD_CHECKSUM
                            : HostCounter.ICMP6_BAD_LENGTH);
            return;
        }
        Icmpv6Message m = ok.value();
        int type = m.type();
        if (m.isNeighborDiscovery()) {
            counters.increment(HostCounter.ICMP6_ND_IGNORED); // a point-to-point TUN link resolves no addresses
        } else if (type == Icmpv6Message.TYPE_MLD_QUERY
                || type == Icmpv6Message.TYPE_MLD_REPORT
                || type == Icmpv6Message.TYPE_MLD_DONE
                || type == Icmpv6Message.TYPE_MLDV2_REPORT) {
            counters.increment(HostCounter.ICMP6_MLD_IGNORED);
        } else if (type == Icmpv6Message.TYPE_ECHO_REQUEST) {
            counters.increment(HostCounter.ICMP6_ECHO_REQUESTS);
            if (p.src().isUnspecified()) {
                counters.increment(HostCounter.ICMP6_OTHER_IGNORED); // nobody to answer
                return;
            }
            // RFC 4443 §4.2: same identifier, sequence number and data; to a multicast request, from a unicast address
            byte[] reply = m.toEchoReply().encode(new PseudoHeader(address6, p.src()));
            if (transmitIpv6(buildIpv6(address6, p.src(), IpProtocol.ICMPV6, reply), Ipv6Header.LENGTH, 6)) {
                counters.increment(HostCounter.ICMP6_ECHO_REPLIES);
            }
        } else if (m.isError()) {
            counters.increment(HostCounter.ICMP6_ERRORS_RECEIVED);
            reportIcmpError(new IcmpError(p.src(), 6, type, m.code(), m.restOfHeader(), m.data()), now);
        } else {
            counters.increment(HostCounter.ICMP6_OTHER_IGNORED);
            if (type == Icmpv6Message.TYPE_ECHO_REPLY && m.code() == 0 && echoReplyListener != null) {
                echoReplyListener.onEchoReply(
                        new EchoReply(p.src(), p.dst(), m.echoIdentifier(), m.echoSequence(), m.data()));
            }
        }
    }

    /** Passes an ICMP error about a TCP packet to the TCP handler. */
    private void reportIcmpError(IcmpError e, long now) {
        if (tcp == null || e.quoted().length() < 1) {
            return;
        }
        int quotedProtocol;
        Bytes q = e.quoted();
        if (e.version() == 4) {
            quotedProtocol = q.length() > 9 ? q.getUnsigned(9) : -1;
        } else {
            quotedProtocol = q.length() > 6 ? q.getUnsigned(6) : -1; // the first next header; no extension walk
        }
        if (quotedProtocol == IpProtocol.TCP) {
            tcp.receiveIcmpError(e, now);
        }
    }

    /**
     * May an ICMP error be sent about {@code p}? Never about an ICMP error, a datagram to a broadcast or multicast
     * address, a fragment other than the first, or a datagram whose source is not one host (RFC 1122 §3.2.2, RFC 4443
     * §2.4 (e)).
     */
    private static boolean mayReportError(IpPacket p, Cast cast) {
        if (cast != Cast.UNICAST) {
            return false;
        }
        if (p instanceof Ipv4Packet p4) {
            Ipv4Address src = p4.src();
            if (src.isUnspecified()
                    || src.isBroadcast()
                    || src.isMulticast()
                    || src.isLoopback()
                    || (src.bits() >>> 28) == 0xF) { // class E, RFC 1122 §3.2.1.3 (and 255.255.255.255)
                return false;
            }
            if (p4.header().fragmentOffset() != 0) {
                return false;
            }
            if (p4.protocol() == IpProtocol.ICMP && p4.payload().length() > 0) {
                int type = p4.payload().getUnsigned(0);
                return !(type == Icmpv4Message.TYPE_DESTINATION_UNREACHABLE
                        || type == 4 // source quench
                        || type == Icmpv4Message.TYPE_REDIRECT
                        || type == Icmpv4Message.TYPE_TIME_EXCEEDED
                        || type == Icmpv4Message.TYPE_PARAMETER_PROBLEM);
            }
            return true;
        }
        Ipv6Packet p6 = (Ipv6Packet) p;
        if (p6.src().isUnspecified() || p6.src().isMulticast()) {
            return false;
        }
        Optional<Ipv6ExtensionHeader.Fragment> f = p6.fragment();
        if (f.isPresent() && f.get().fragmentOffset() != 0) {
            return false;
        }
        if (p6.protocol() == IpProtocol.ICMPV6 && p6.payload().length() > 0) {
            return p6.payload().getUnsigned(0) >= 128; // RFC 4443 §2.1: types 0..127 are errors
        }
        return true;
    }

    private void sendIcmpv4Error(Ipv4Packet invoking, Cast cast, int type, int code, long now) {
        if (!mayReportError(invoking, cast)) {
            return;
        }
        if (!icmpErrorBucket.tryAcquire(now)) {
            counters.increment(HostCounter.ICMP_RATE_LIMITED);
            return;
        }
        byte[] quote = prefixOf(invoking.encode(), ICMPV4_MAX_QUOTE);
        sendIcmpv4ErrorMessage(invoking.src(), type, code, quote);
    }

    private void sendIcmpv4ErrorMessage(Ipv4Address to, int type, int code, byte[] quote) {
        byte[] icmp = new Icmpv4Message(type, code, 0, 0, Bytes.copyOf(quote)).encode();
        if (transmitIpv4(buildIpv4(address4, to, IpProtocol.ICMP, icmp))) {
            counters.increment(HostCounter.ICMP_ERRORS_SENT);
        }
    }

    private void sendIcmpv6Error(Ipv6Packet invoking, Cast cast, int type, int code, int rest, long now) {
        if (!mayReportError(invoking, cast)) {
            return;
        }
        if (!icmpErrorBucket.tryAcquire(now)) {
            counters.increment(HostCounter.ICMP6_RATE_LIMITED);
            return;
        }
        byte[] quote = prefixOf(invoking.encode(), ICMPV6_MAX_QUOTE);
        sendIcmpv6ErrorMessage(invoking.src(), type, code, rest, quote);
    }

    private void sendIcmpv6ErrorMessage(Ipv6Address to, int type, int code, int rest, byte[] quote) {
        byte[] icmp =
                new Icmpv6Message(type, code, 0, rest, Bytes.copyOf(quote)).encode(new PseudoHeader(address6, to));
        if (transmitIpv6(buildIpv6(address6, to, IpProtocol.ICMPV6, icmp), Ipv6Header.LENGTH, 6)) {
            counters.increment(HostCounter.ICMP6_ERRORS_SENT);
        }
    }

    /** RFC 1122 §3.3.2 / RFC 8200 §4.5: time exceeded, code 1, to the source of an abandoned first fragment. */
    private void sendReassemblyTimeExceeded(Reassembler.Expired e, long now) {
        FragmentKey k = e.key();
        if (!icmpErrorBucket.tryAcquire(now)) {
            counters.increment(k.version() == 6 ? HostCounter.ICMP6_RATE_LIMITED : HostCounter.ICMP_RATE_LIMITED);
            return;
        }
        if (k.version() == 4) {
            sendIcmpv4ErrorMessage(
                    new Ipv4Address((int) k.srcHi()),
                    Icmpv4Message.TYPE_TIME_EXCEEDED,
                    Icmpv4Message.CODE_REASSEMBLY_TIME_EXCEEDED,
                    e.firstFragmentQuote());
        } else {
            sendIcmpv6ErrorMessage(
                    new Ipv6Address(k.srcHi(), k.srcLo()),
                    Icmpv6Message.TYPE_TIME_EXCEEDED,
                    Icmpv6Message.CODE_REASSEMBLY_TIME_EXCEEDED,
                    0,
                    e.firstFragmentQuote());
        }
    }

    // ------------------------------------------------------------------------------------------------ UDP

    private void receiveUdp(IpPacket p, Cast cast, long now) {
        counters.increment(HostCounter.UDP_RECEIVED);
        Parsed<UdpDatagram> parsed = UdpDatagram.parse(p.payload(), new PseudoHeader(p.src(), p.dst()));
        if (!(parsed instanceof Parsed.Ok<UdpDatagram> ok)) {
            ParseError.Kind k = parsed.error().kind();
            counters.increment(
                    k == ParseError.Kind.BAD_CHECKSUM || k == ParseError.Kind.BAD_VALUE
                            ? HostCounter.UDP_BAD_CHECKSUM
                            : HostCounter.UDP_BAD_LENGTH);
            return;
        }
        UdpDatagram d = ok.value();
        UdpSocket socket = udpSockets.get(d.dstPort());
        if (socket == null) {
            counters.increment(HostCounter.UDP_NO_PORT);
            // RFC 1122 §4.1.3.1: "If a datagram arrives addressed to a UDP port for which there is no pending LISTEN
            // call, UDP SHOULD send an ICMP Port Unreachable message"
            if (p instanceof Ipv4Packet p4) {
                sendIcmpv4Error(
                        p4, cast, Icmpv4Message.TYPE_DESTINATION_UNREACHABLE, Icmpv4Message.CODE_PORT_UNREACHABLE, now);
            } else {
                sendIcmpv6Error(
                        (Ipv6Packet) p,
                        cast,
                        Icmpv6Message.TYPE_DESTINATION_UNREACHABLE,
                        Icmpv6Message.CODE_PORT_UNREACHABLE,
                        0,
                        now);
            }
            return;
        }
        if (socket.deliver(new Datagram(p.src(), d.srcPort(), p.dst(), d.dstPort(), d.payload()))) {
            counters.increment(HostCounter.UDP_DELIVERED);
        } else {
            counters.increment(HostCounter.UDP_QUEUE_FULL);
        }
    }

    /** {@link UdpSocket#send}: checks, builds and queues one datagram. */
    AppResult<Void> sendUdp(int srcPort, IpAddress dst, int dstPort, byte[] payload, int off, int len) {
        if (dstPort < 1 || dstPort > 0xFFFF) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "destination port outside 1..65535: " + dstPort);
        }
        IpAddress src;
        int max;
        int unfragmentable;
        if (dst instanceof Ipv4Address) {
            src = address4;
            max = MAX_UDP_PAYLOAD_V4;
            unfragmentable = Ipv4Header.MIN_LENGTH;
        } else {
            if (address6 == null) {
                return AppResult.err(AppError.Kind.NO_ROUTE, "this host has no IPv6 address");
            }
            src = address6;
            max = MAX_UDP_PAYLOAD_V6;
            unfragmentable = Ipv6Header.LENGTH;
        }
        if (len > max) {
            return AppResult.err(AppError.Kind.MESSAGE_TOO_BIG, len + " octets exceed the maximum of " + max);
        }
        int packets = packetsFor(unfragmentable, UdpDatagram.HEADER_LENGTH + len, dst.version());
        if (transmitQueue.size() + packets > config.transmitQueuePackets()) {
            return AppResult.err(AppError.Kind.WOULD_BLOCK, "transmit queue full");
        }
        byte[] udp = UdpDatagram.of(srcPort, dstPort, Bytes.copyOf(payload, off, len))
                .encode(new PseudoHeader(src, dst));
        boolean sent = dst instanceof Ipv4Address d4
                ? transmitIpv4(buildIpv4(address4, d4, IpProtocol.UDP, udp))
                : transmitIpv6(buildIpv6(address6, (Ipv6Address) dst, IpProtocol.UDP, udp), Ipv6Header.LENGTH, 6);
        if (!sent) {
            return AppResult.err(AppError.Kind.WOULD_BLOCK, "transmit queue full");
        }
        counters.increment(HostCounter.UDP_SENT);
        return AppResult.ok(null);
    }

    void unbind(UdpSocket socket) {
        udpSockets.remove(socket.localPort(), socket);
    }

    // ------------------------------------------------------------------------------------------------ IP out

    /** An IPv4 datagram without options, DF clear, the next identification. */
    private byte[] buildIpv4(Ipv4Address src, Ipv4Address dst, int protocol, byte[] upper) {
        Ipv4Header h = Ipv4Header.builder(src, dst, protocol)
                .ttl(config.hopLimit())
                .identification(nextIpv4Id)
                .payloadLength(upper.length)
                .build();
        nextIpv4Id = (nextIpv4Id + 1) & 0xFFFF;
        byte[] b = new byte[h.totalLength()];
        int n = h.encodeInto(b, 0);
        System.arraycopy(upper, 0, b, n, upper.length);
        return b;
    }

    /** An IPv6 packet without extension headers. */
    private byte[] buildIpv6(Ipv6Address src, Ipv6Address dst, int nextHeader, byte[] upper) {
        Ipv6Header h = Ipv6Header.of(src, dst, nextHeader, config.hopLimit(), upper.length);
        byte[] b = new byte[Ipv6Header.LENGTH + upper.length];
        h.encodeInto(b, 0);
        System.arraycopy(upper, 0, b, Ipv6Header.LENGTH, upper.length);
        return b;
    }

    /** How many packets {@code unfragmentable + fragmentable} octets leave as at this MTU. */
    private int packetsFor(int unfragmentable, int fragmentable, int version) {
        int mtu = config.mtu();
        if (unfragmentable + fragmentable <= mtu) {
            return 1;
        }
        int perFragment = version == 4
                ? (mtu - unfragmentable) & ~7
                : (mtu - unfragmentable - Ipv6ExtensionHeader.Fragment.LENGTH) & ~7;
        return (fragmentable + perFragment - 1) / perFragment;
    }

    /**
     * Queues an encoded IPv4 datagram, fragmented when it exceeds the MTU (RFC 791 §3.2, "Fragmentation"): each
     * fragment but the last carries a multiple of 8 octets and MF; options without the copied flag go in the first
     * fragment only.
     */
    private boolean transmitIpv4(byte[] datagram) {
        int mtu = config.mtu();
        if (datagram.length <= mtu) {
            return enqueue(datagram, HostCounter.IP_SENT);
        }
        int headerLength = (datagram[0] & 0xF) * 4;
        int flagsOffset = (datagram[6] & 0xFF) << 8 | (datagram[7] & 0xFF);
        if ((flagsOffset & 0x4000) != 0) {
            counters.increment(HostCounter.IP_CANNOT_FRAGMENT);
            return false;
        }
        int baseOffset = flagsOffset & 0x1FFF; // non-zero only when re-fragmenting a fragment
        boolean lastMore = (flagsOffset & 0x2000) != 0;
        byte[] laterHeader = copiedOptionsHeader(datagram, headerLength);
        int dataLength = datagram.length - headerLength;
        counters.increment(HostCounter.IP_FRAGMENTED);
        boolean all = true;
        for (int pos = 0; pos < dataLength; ) {
            byte[] header = pos == 0 ? datagram : laterHeader;
            int hl = pos == 0 ? headerLength : laterHeader.length;
            int room = (mtu - hl) & ~7;
            int n = Math.min(room, dataLength - pos);
            boolean more = pos + n < dataLength || lastMore;
            byte[] f = new byte[hl + n];
            System.arraycopy(header, 0, f, 0, hl);
            f[0] = (byte) (0x40 | hl / 4);
            putU16(f, 2, hl + n);
            putU16(f, 6, (more ? 0x2000 : 0) | (baseOffset + pos / 8));
            putU16(f, 10, 0);
            putU16(f, 10, Checksum.compute(f, 0, hl));
            System.arraycopy(datagram, headerLength + pos, f, hl, n);
            counters.increment(HostCounter.IP_FRAGMENTS_CREATED);
            all &= enqueue(f, HostCounter.IP_SENT);
            pos += n;
        }
        return all;
    }

    /** The IPv4 header for fragments after the first: only options with the copied flag (RFC 791 §3.1). */
    private static byte[] copiedOptionsHeader(byte[] datagram, int headerLength) {
        byte[] opts = new byte[headerLength - Ipv4Header.MIN_LENGTH];
        int n = 0;
        for (int i = Ipv4Header.MIN_LENGTH; i < headerLength; ) {
            int type = datagram[i] & 0xFF;
            if (type == 0) {
                break; // end of option list
            }
            if (type == 1) {
                i++; // no-operation
                continue;
            }
            int len = i + 1 < headerLength ? datagram[i + 1] & 0xFF : 0;
            if (len < 2 || i + len > headerLength) {
                break; // malformed: keep what came before
            }
            if ((type & 0x80) != 0) {
                System.arraycopy(datagram, i, opts, n, len);
                n += len;
            }
            i += len;
        }
        int hl = Ipv4Header.MIN_LENGTH + ((n + 3) & ~3); // padded with end-of-option-list zeros
        byte[] h = new byte[hl];
        System.arraycopy(datagram, 0, h, 0, Ipv4Header.MIN_LENGTH);
        System.arraycopy(opts, 0, h, Ipv4Header.MIN_LENGTH, n);
        return h;
    }

    /**
     * Queues an encoded IPv6 packet, fragmented when it exceeds the MTU (RFC 8200 §4.5): each fragment repeats the
     * unfragmentable part, with the byte at {@code nextHeaderAt} changed to 44, then a Fragment header with a random
     * identification (RFC 7739 §5) and a multiple of 8 octets of the rest.
     */
    private boolean transmitIpv6(byte[] packet, int unfragmentableLength, int nextHeaderAt) {
        int mtu = config.mtu();
        if (packet.length <= mtu) {
            return enqueue(packet, HostCounter.IP6_SENT);
        }
        int identification = (int) fragmentIdRandom.nextLong();
        int originalNext = packet[nextHeaderAt] & 0xFF;
        int dataLength = packet.length - unfragmentableLength;
        int room = (mtu - unfragmentableLength - Ipv6ExtensionHeader.Fragment.LENGTH) & ~7;
        counters.increment(HostCounter.IP6_FRAGMENTED);
        boolean all = true;
        for (int pos = 0; pos < dataLength; ) {
            int n = Math.min(room, dataLength - pos);
            boolean more = pos + n < dataLength;
            byte[] f = new byte[unfragmentableLength + Ipv6ExtensionHeader.Fragment.LENGTH + n];
            System.arraycopy(packet, 0, f, 0, unfragmentableLength);
            f[nextHeaderAt] = (byte) IpProtocol.IPV6_FRAG;
            putU16(f, 4, f.length - Ipv6Header.LENGTH);
            new Ipv6ExtensionHeader.Fragment(pos / 8, more, identification)
                    .encodeInto(f, unfragmentableLength, originalNext);
            System.arraycopy(
                    packet,
                    unfragmentableLength + pos,
                    f,
                    unfragmentableLength + Ipv6ExtensionHeader.Fragment.LENGTH,
                    n);
            counters.increment(HostCounter.IP6_FRAGMENTS_CREATED);
            all &= enqueue(f, HostCounter.IP6_SENT);
            pos += n;
        }
        return all;
    }

    private boolean enqueue(byte[] packet, HostCounter sent) {
        if (transmitQueue.size() >= config.transmitQueuePackets()) {
            counters.increment(HostCounter.LINK_TRANSMIT_QUEUE_FULL);
            return false;
        }
        transmitQueue.add(packet);
        counters.increment(sent);
        return true;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private long advance(long nowNanos) {
        if (nowNanos > lastNanos) {
            lastNanos = nowNanos;
        }
        return lastNanos;
    }

    private static byte[] copyPrefix(byte[] buf, int off, int available, int max) {
        byte[] b = new byte[Math.min(available, max)];
        System.arraycopy(buf, off, b, 0, b.length);
        return b;
    }

    private static byte[] prefixOf(byte[] b, int max) {
        return b.length <= max ? b : copyPrefix(b, 0, b.length, max);
    }

    private static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }
}
