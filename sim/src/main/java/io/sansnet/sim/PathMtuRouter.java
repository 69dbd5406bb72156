package io.sansnet.sim;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.PseudoHeader;
import java.util.Arrays;

/**
 * What the router at the sending end of a link says about a packet too big for the link: ICMP "fragmentation needed
 * and DF set" with the next-hop MTU for IPv4 (RFC 792, RFC 1191 §4), ICMPv6 Packet Too Big with the MTU for IPv6
 * (RFC 4443 §3.2, RFC 8201), addressed to the packet's source, so that path MTU discovery in the sender lowers its
 * segment size.
 *
 * <p>No error is sent about a packet whose header does not verify, an IPv4 fragment other than the first (RFC 1812
 * §4.3.2.7), an ICMP error (RFC 1812 §4.3.2.7, RFC 4443 §2.4 (e)), or an IPv4 packet without DF: a real router would
 * fragment that one, this link drops it (the simulated hosts send TCP with DF and size everything else to the MTU they
 * booted with).
 */
final class PathMtuRouter {
    private PathMtuRouter() {}

    /** The address the link's router sends IPv4 errors from (inside the 198.18.0.0/15 test range). */
    static final Ipv4Address ROUTER_V4 = Ipv4Address.of("198.19.255.254");

    /** The address the link's router sends IPv6 errors from (inside fd00:5a::/64). */
    static final Ipv6Address ROUTER_V6 = Ipv6Address.of("fd00:5a::fffe");

    /** RFC 1812 §4.3.2.3: an ICMPv4 error holds as much of the datagram as keeps it within 576 octets. */
    static final int MAX_V4_QUOTE = 576 - Ipv4Header.MIN_LENGTH - Icmpv4Message.HEADER_LENGTH;

    /** RFC 4443 §2.4 (c): an ICMPv6 error holds as much as keeps it within the minimum MTU, 1280 octets. */
    static final int MAX_V6_QUOTE = Ipv6Header.MIN_MTU - Ipv6Header.LENGTH - Icmpv6Message.HEADER_LENGTH;

    private static final int HOP_LIMIT = 64;

    /** The ICMP error answering {@code packet}, too big for a link of {@code mtu} octets, or null when none is due. */
    static byte[] packetTooBig(byte[] packet, int mtu) {
        if (packet.length >= Ipv4Header.MIN_LENGTH && (packet[0] & 0xF0) == 0x40) {
            return v4(packet, mtu);
        }
        if (packet.length >= Ipv6Header.LENGTH && (packet[0] & 0xF0) == 0x60) {
            return v6(packet, mtu);
        }
        return null;
    }

    private static byte[] v4(byte[] p, int mtu) {
        int hl = (p[0] & 0xF) * 4;
        if (hl < Ipv4Header.MIN_LENGTH || hl > p.length || !Checksum.verifies(Checksum.add(0, p, 0, hl))) {
            return null;
        }
        int flagsOffset = (p[6] & 0xFF) << 8 | (p[7] & 0xFF);
        boolean df = (flagsOffset & 0x4000) != 0;
        if (!df || (flagsOffset & 0x1FFF) != 0 || isIcmpV4Error(p, hl)) {
            return null;
        }
        Ipv4Address src = Ipv4Address.read(p, 12);
        byte[] quote = Arrays.copyOf(p, Math.min(p.length, MAX_V4_QUOTE));
        byte[] icmp = Icmpv4Message.fragmentationNeeded(Math.min(mtu, 0xFFFF), Bytes.copyOf(quote))
                .encode();
        Ipv4Header h = Ipv4Header.builder(ROUTER_V4, src, IpProtocol.ICMP)
                .ttl(HOP_LIMIT)
                .payloadLength(icmp.length)
                .build();
        byte[] out = new byte[h.totalLength()];
        int n = h.encodeInto(out, 0);
        System.arraycopy(icmp, 0, out, n, icmp.length);
        return out;
    }

    private static boolean isIcmpV4Error(byte[] p, int hl) {
        if ((p[9] & 0xFF) != IpProtocol.ICMP || p.length <= hl) {
            return false;
        }
        int type = p[hl] & 0xFF;
        return type != Icmpv4Message.TYPE_ECHO_REQUEST && type != Icmpv4Message.TYPE_ECHO_REPLY;
    }

    private static byte[] v6(byte[] p, int mtu) {
        int next = p[6] & 0xFF;
        if (next == IpProtocol.ICMPV6 && p.length > Ipv6Header.LENGTH && (p[Ipv6Header.LENGTH] & 0x80) == 0) {
            return null; // ICMPv6 types below 128 are errors
        }
        Ipv6Address src = Ipv6Address.read(p, 8);
        byte[] quote = Arrays.copyOf(p, Math.min(p.length, MAX_V6_QUOTE));
        // RFC 8201 §4: a Packet Too Big never reports less than the IPv6 minimum MTU
        int reported = Math.max(mtu, Ipv6Header.MIN_MTU);
        byte[] icmp =
                Icmpv6Message.packetTooBig(reported, Bytes.copyOf(quote)).encode(new PseudoHeader(ROUTER_V6, src));
        Ipv6Header h = Ipv6Header.of(ROUTER_V6, src, IpProtocol.ICMPV6, HOP_LIMIT, icmp.length);
        byte[] out = new byte[Ipv6Header.LENGTH + icmp.length];
        h.encodeInto(out, 0);
        System.arraycopy(icmp, 0, out, Ipv6Header.LENGTH, icmp.length);
        return out;
    }
}
