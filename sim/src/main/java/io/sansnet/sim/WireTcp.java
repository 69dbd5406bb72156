package io.sansnet.sim;

import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpHeader;

/**
 * A TCP segment as a receiver would accept it from a packet on the simulated wire: an unfragmented IPv4 packet whose
 * header checksum verifies, or an IPv6 packet with TCP as its first next header, and a TCP checksum that verifies.
 * Anything else (corrupted copies, fragments, other protocols) gives null; never throws.
 *
 * @param src the IP source
 * @param dst the IP destination
 * @param header the TCP header
 * @param payloadLength octets of data after the header
 */
record WireTcp(IpAddress src, IpAddress dst, TcpHeader header, int payloadLength) {

    /** SEG.LEN (RFC 9293 §3.4): data octets plus one each for SYN and FIN. */
    int sequenceLength() {
        return payloadLength + (header.flags().syn() ? 1 : 0) + (header.flags().fin() ? 1 : 0);
    }

    static WireTcp parse(byte[] p) {
        if (p.length >= 20 && (p[0] & 0xF0) == 0x40) {
            int hl = (p[0] & 0xF) * 4;
            int total = u16(p, 2);
            if (hl < 20 || total < hl || total > p.length || !Checksum.verifies(Checksum.add(0, p, 0, hl))) {
                return null;
            }
            if ((p[9] & 0xFF) != IpProtocol.TCP || (u16(p, 6) & 0x3FFF) != 0) {
                return null; // not TCP, or a fragment (MF set or an offset)
            }
            Ipv4Address src = Ipv4Address.read(p, 12);
            Ipv4Address dst = Ipv4Address.read(p, 16);
            int len = total - hl;
            long ph = Checksum.pseudoHeaderV4(src, dst, IpProtocol.TCP, len);
            return tcp(src, dst, p, hl, len, ph);
        }
        if (p.length >= 40 && (p[0] & 0xF0) == 0x60) {
            int len = u16(p, 4);
            if ((p[6] & 0xFF) != IpProtocol.TCP || 40 + len > p.length) {
                return null;
            }
            Ipv6Address src = Ipv6Address.read(p, 8);
            Ipv6Address dst = Ipv6Address.read(p, 24);
            long ph = Checksum.pseudoHeaderV6(src, dst, IpProtocol.TCP, len);
            return tcp(src, dst, p, 40, len, ph);
        }
        return null;
    }

    private static WireTcp tcp(IpAddress src, IpAddress dst, byte[] p, int off, int len, long pseudo) {
        if (len < TcpHeader.MIN_LENGTH || !Checksum.verifies(Checksum.add(pseudo, p, off, len))) {
            return null;
        }
        Parsed<TcpHeader> h = TcpHeader.parse(p, off, len);
        if (!(h instanceof Parsed.Ok<TcpHeader> ok)) {
            return null;
        }
        int hl = (p[off + 12] & 0xF0) >>> 2;
        return new WireTcp(src, dst, ok.value(), len - hl);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }
}
