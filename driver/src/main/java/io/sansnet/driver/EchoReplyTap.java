package io.sansnet.driver;

import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.Parsed;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A {@link PacketRecorder} for a {@link TunHost} that also shows every packet to a listener: the way a
 * {@link TunAppHost} sees ICMP and ICMPv6 echo replies, which the stack's {@code Host} counts and drops
 * ({@code icmp.otherIgnored}) without telling anyone. The host records each packet it receives (after inbound
 * impairment, before the stack sees it) and each it sends, on the loop thread; {@link #parseEchoReply} picks out the
 * replies.
 *
 * <p>Decorates an optional real recorder (a pcap file, say), which still gets every packet.
 */
public final class EchoReplyTap implements PacketRecorder {

    /** An echo reply as {@link #parseEchoReply} found it (RFC 792, RFC 4443 §4.2). */
    public record EchoReply(IpAddress source, IpAddress destination, int identifier, int sequence) {}

    private final PacketRecorder next;
    private volatile Consumer<byte[]> listener;

    /** @param next the recorder that also gets every packet, or null */
    public EchoReplyTap(PacketRecorder next) {
        this.next = next;
    }

    /** Sets the listener called with every packet on the loop thread (null: none). */
    void listen(Consumer<byte[]> l) {
        this.listener = l;
    }

    @Override
    public void record(long epochNanos, byte[] packet) throws IOException {
        Consumer<byte[]> l = listener;
        if (l != null) {
            l.accept(packet);
        }
        if (next != null) {
            next.record(epochNanos, packet);
        }
    }

    @Override
    public void close() throws IOException {
        if (next != null) {
            next.close();
        }
    }

    /**
     * The echo reply in {@code p}, or null when {@code p} is anything else: not IP, a fragment (a reply too large for
     * one packet is reassembled inside the stack, where this tap cannot see it), not ICMP, a checksum that does not
     * verify, not an echo reply. Any bytes are accepted.
     */
    public static EchoReply parseEchoReply(byte[] p) {
        if (p.length < 1) {
            return null;
        }
        int version = (p[0] & 0xFF) >>> 4;
        if (version == 4) {
            Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(p, 0, p.length);
            if (!(parsed instanceof Parsed.Ok<Ipv4Packet> ok)) {
                return null;
            }
            Ipv4Packet ip = ok.value();
            if (ip.isFragment() || ip.protocol() != IpProtocol.ICMP) {
                return null;
            }
            Parsed<Icmpv4Message> m = Icmpv4Message.parse(ip.payload());
            if (!(m instanceof Parsed.Ok<Icmpv4Message> mo)
                    || mo.value().type() != Icmpv4Message.TYPE_ECHO_REPLY
                    || mo.value().code() != 0) {
                return null;
            }
            return new EchoReply(
                    ip.src(), ip.dst(), mo.value().echoIdentifier(), mo.value().echoSequence());
        }
        if (version == 6) {
            Parsed<Ipv6Packet> parsed = Ipv6Packet.parse(p, 0, p.length);
            if (!(parsed instanceof Parsed.Ok<Ipv6Packet> ok)) {
                return null;
            }
            Ipv6Packet ip = ok.value();
            if (ip.isFragment() || ip.protocol() != IpProtocol.ICMPV6) {
                return null;
            }
            Parsed<Icmpv6Message> m = Icmpv6Message.parse(ip.payload(), ip.pseudoHeader()); // RFC 4443 §2.3
            if (!(m instanceof Parsed.Ok<Icmpv6Message> mo)
                    || mo.value().type() != Icmpv6Message.TYPE_ECHO_REPLY
                    || mo.value().code() != 0) {
                return null;
            }
            return new EchoReply(
                    ip.src(), ip.dst(), mo.value().echoIdentifier(), mo.value().echoSequence());
        }
        return null;
    }
}
