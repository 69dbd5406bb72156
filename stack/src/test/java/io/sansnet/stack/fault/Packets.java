package io.sansnet.stack.fault;

import java.util.Arrays;

/** Test packets with valid checksums, and checks of those checksums, written independently of the wire codecs. */
final class Packets {
    private Packets() {}

    static final byte[] V4_SRC = {(byte) 198, 18, 0, 1};
    static final byte[] V4_DST = {(byte) 198, 18, 0, 2};
    static final byte[] V6_SRC = v6(1);
    static final byte[] V6_DST = v6(2);

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[2] = 0x00;
        a[3] = 0x5a;
        a[15] = (byte) last;
        return a;
    }

    /** IPv4 with the given protocol and transport bytes; the transport checksum is filled in for 1, 6, 17. */
    static byte[] ipv4(int proto, byte[] transport) {
        byte[] p = new byte[20 + transport.length];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, 0x1234);
        p[8] = 64;
        p[9] = (byte) proto;
        System.arraycopy(V4_SRC, 0, p, 12, 4);
        System.arraycopy(V4_DST, 0, p, 16, 4);
        System.arraycopy(transport, 0, p, 20, transport.length);
        fillTransportChecksum(p, 20, proto, false);
        put16(p, 10, checksum(p, 0, 20, 0));
        return p;
    }

    static byte[] ipv6(int proto, byte[] transport) {
        byte[] p = new byte[40 + transport.length];
        p[0] = 0x60;
        put16(p, 4, transport.length);
        p[6] = (byte) proto;
        p[7] = 64;
        System.arraycopy(V6_SRC, 0, p, 8, 16);
        System.arraycopy(V6_DST, 0, p, 24, 16);
        System.arraycopy(transport, 0, p, 40, transport.length);
        fillTransportChecksum(p, 40, proto, true);
        return p;
    }

    static byte[] udp(byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        put16(u, 0, 40000);
        put16(u, 2, 7);
        put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        return u;
    }

    static byte[] tcp(byte[] payload) {
        byte[] t = new byte[20 + payload.length];
        put16(t, 0, 40000);
        put16(t, 2, 80);
        put16(t, 4, 0x1111);
        t[12] = 0x50;
        t[13] = 0x18; // PSH ACK
        put16(t, 14, 65535);
        System.arraycopy(payload, 0, t, 20, payload.length);
        return t;
    }

    static byte[] echo(int type, byte[] payload) {
        byte[] e = new byte[8 + payload.length];
        e[0] = (byte) type;
        put16(e, 4, 1);
        put16(e, 6, 2);
        System.arraycopy(payload, 0, e, 8, payload.length);
        return e;
    }

    /** Whether every checksum in the packet verifies (IPv4 header, and TCP/UDP/ICMP/ICMPv6 when present). */
    static boolean checksumsValid(byte[] p) {
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4) {
            if (checksum(p, 0, 20, 0) != 0) {
                return false;
            }
            return transportValid(p, 20, p[9] & 0xff, false);
        }
        return transportValid(p, 40, p[6] & 0xff, true);
    }

    private static boolean transportValid(byte[] p, int t, int proto, boolean v6) {
        if (proto == 17 && !v6 && get16(p, t + 6) == 0) {
            return true;
        }
        if (proto == 1 || proto == 58 || proto == 6 || proto == 17) {
            return checksum(p, t, p.length - t, pseudo(p, t, proto, v6)) == 0;
        }
        return true;
    }

    private static void fillTransportChecksum(byte[] p, int t, int proto, boolean v6) {
        int at = switch (proto) {
            case 6 -> t + 16;
            case 17 -> t + 6;
            case 1, 58 -> t + 2;
            default -> -1;
        };
        if (at < 0) {
            return;
        }
        int c = checksum(p, t, p.length - t, pseudo(p, t, proto, v6));
        if (proto == 17 && c == 0) {
            c = 0xffff;
        }
        put16(p, at, c);
    }

    private static long pseudo(byte[] p, int t, int proto, boolean v6) {
        if (proto == 1) {
            return 0;
        }
        long sum = 0;
        int addrStart = v6 ? 8 : 12;
        int addrLen = v6 ? 32 : 8;
        for (int i = 0; i < addrLen; i += 2) {
            sum += get16(p, addrStart + i);
        }
        return sum + proto + (p.length - t);
    }

    /** RFC 1071 Internet checksum of {@code [off, off+len)} plus an initial sum; 0 when the data verifies. */
    static int checksum(byte[] p, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += get16(p, off + i);
        }
        if ((len & 1) == 1) {
            sum += (p[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int get16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }

    static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >>> 8);
        p[off + 1] = (byte) v;
    }

    /** Number of differing bits between two arrays of the same length. */
    static int bitsDiffering(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " " + b.length);
        }
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return n;
    }

    static byte[] copy(byte[] p) {
        return Arrays.copyOf(p, p.length);
    }
}
