package io.sansnet.sim;

import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;

/**
 * ICMP and ICMPv6 echo request building and echo reply recognition for {@link SimHost#ping} (RFC 792, RFC 4443
 * §4.1–4.2). Replies are accepted only with a verifying checksum; anything else is ignored.
 */
final class EchoPackets {
    private EchoPackets() {}

    static final int ICMP_ECHO_REQUEST = 8;
    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMP6_ECHO_REQUEST = 128;
    static final int ICMP6_ECHO_REPLY = 129;

    record Reply(IpAddress source, int identifier, int sequence) {}

    static byte[] request(IpAddress src, IpAddress dst, int ident, int seq, byte[] payload, int hopLimit) {
        int icmpLen = 8 + payload.length;
        if (src instanceof Ipv4Address s4 && dst instanceof Ipv4Address d4) {
            byte[] p = new byte[20 + icmpLen];
            p[0] = 0x45;
            p[2] = (byte) (p.length >>> 8);
            p[3] = (byte) p.length;
            p[4] = (byte) (seq >>> 8); // identification: any value unique per source (RFC 6864)
            p[5] = (byte) seq;
            p[8] = (byte) hopLimit;
            p[9] = 1; // ICMP
            s4.writeTo(p, 12);
            d4.writeTo(p, 16);
            int hc = Checksum.compute(p, 0, 20);
            p[10] = (byte) (hc >>> 8);
            p[11] = (byte) hc;
            writeEcho(p, 20, ICMP_ECHO_REQUEST, ident, seq, payload);
            int c = Checksum.compute(p, 20, icmpLen);
            p[22] = (byte) (c >>> 8);
            p[23] = (byte) c;
            return p;
        }
        Ipv6Address s6 = (Ipv6Address) src;
        Ipv6Address d6 = (Ipv6Address) dst;
        byte[] p = new byte[40 + icmpLen];
        p[0] = 0x60;
        p[4] = (byte) (icmpLen >>> 8);
        p[5] = (byte) icmpLen;
        p[6] = 58; // ICMPv6
        p[7] = (byte) hopLimit;
        s6.writeTo(p, 8);
        d6.writeTo(p, 24);
        writeEcho(p, 40, ICMP6_ECHO_REQUEST, ident, seq, payload);
        long acc = Checksum.pseudoHeaderV6(s6, d6, 58, icmpLen); // RFC 4443 §2.3
        int c = Checksum.finish(Checksum.add(acc, p, 40, icmpLen));
        p[42] = (byte) (c >>> 8);
        p[43] = (byte) c;
        return p;
    }

    private static void writeEcho(byte[] p, int off, int type, int ident, int seq, byte[] payload) {
        p[off] = (byte) type;
        p[off + 4] = (byte) (ident >>> 8);
        p[off + 5] = (byte) ident;
        p[off + 6] = (byte) (seq >>> 8);
        p[off + 7] = (byte) seq;
        System.arraycopy(payload, 0, p, off + 8, payload.length);
    }

    /** The echo reply in {@code p}, or null when {@code p} is anything else or does not verify. */
    static Reply parseReply(byte[] p) {
        if (p.length >= 28 && (p[0] & 0xF0) == 0x40) {
            int ihl = (p[0] & 0x0F) * 4;
            int total = (p[2] & 0xFF) << 8 | (p[3] & 0xFF);
            boolean fragment = ((p[6] & 0x3F) | p[7]) != 0;
            if (ihl < 20 || total > p.length || total < ihl + 8 || p[9] != 1 || fragment) {
                return null;
            }
            if (Checksum.compute(p, 0, ihl) != 0 || (p[ihl] & 0xFF) != ICMP_ECHO_REPLY) {
                return null;
            }
            if (Checksum.compute(p, ihl, total - ihl) != 0) {
                return null;
            }
            return new Reply(Ipv4Address.read(p, 12), u16(p, ihl + 4), u16(p, ihl + 6));
        }
        if (p.length >= 48 && (p[0] & 0xF0) == 0x60 && p[6] == 58) {
            int len = u16(p, 4);
            if (len < 8 || 40 + len > p.length || (p[40] & 0xFF) != ICMP6_ECHO_REPLY) {
                return null;
            }
            Ipv6Address src = new Ipv6Address(readLong(p, 8), readLong(p, 16));
            Ipv6Address dst = new Ipv6Address(readLong(p, 24), readLong(p, 32));
            long acc = Checksum.pseudoHeaderV6(src, dst, 58, len);
            if (!Checksum.verifies(Checksum.add(acc, p, 40, len))) {
                return null;
            }
            return new Reply(src, u16(p, 44), u16(p, 46));
        }
        return null;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFFL);
        }
        return v;
    }
}
