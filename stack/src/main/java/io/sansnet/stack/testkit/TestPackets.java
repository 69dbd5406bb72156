package io.sansnet.stack.testkit;

import java.util.Arrays;

/**
 * Well-formed test packets with valid checksums, and checks of those checksums, written independently of the wire
 * codecs so a test can check the codecs against them. It is meant for tests, sansnet's own and users' alike: it lives
 * in main code, in an exported package, so tests of other modules (and of applications built on sansnet) can use it on
 * the class path and from the module path.
 *
 * <p>Every packet goes from {@code 198.18.0.1} to {@code 198.18.0.2} (IPv4) or from {@code fd00:5a::1} to {@code
 * fd00:5a::2} (IPv6), TTL/hop limit 64. No I/O, clock or randomness: the same arguments give the same bytes.
 */
public final class TestPackets {
    private TestPackets() {}

    private static final byte[] V4_SRC = {(byte) 198, 18, 0, 1};
    private static final byte[] V4_DST = {(byte) 198, 18, 0, 2};
    private static final byte[] V6_SRC = v6(1);
    private static final byte[] V6_DST = v6(2);

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[2] = 0x00;
        a[3] = 0x5a;
        a[15] = (byte) last;
        return a;
    }

    /**
     * An IPv4 packet (20-octet header, identification 0x1234) carrying {@code transport} with IP protocol {@code proto};
     * the header checksum is filled in, and the transport checksum too for ICMP (1), TCP (6) and UDP (17).
     */
    public static byte[] ipv4(int proto, byte[] transport) {
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

    /**
     * An IPv6 packet (no extension headers) carrying {@code transport} with next header {@code proto}; the transport
     * checksum is filled in for TCP (6), UDP (17) and ICMPv6 (58).
     */
    public static byte[] ipv6(int proto, byte[] transport) {
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

    /** A UDP datagram from port 40000 to port 7 (checksum 0 until {@link #ipv4} or {@link #ipv6} fills it in). */
    public static byte[] udp(byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        put16(u, 0, 40000);
        put16(u, 2, 7);
        put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        return u;
    }

    /** A TCP PSH+ACK segment from port 40000 to port 80, no options, window 65535 (checksum filled in later). */
    public static byte[] tcp(byte[] payload) {
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

    /** An ICMP or ICMPv6 echo message of the given type (8/0, 128/129), identifier 1, sequence number 2. */
    public static byte[] echo(int type, byte[] payload) {
        byte[] e = new byte[8 + payload.length];
        e[0] = (byte) type;
        put16(e, 4, 1);
        put16(e, 6, 2);
        System.arraycopy(payload, 0, e, 8, payload.length);
        return e;
    }

    /**
     * Whether every checksum in the packet verifies (IPv4 header, and TCP/UDP/ICMP/ICMPv6 when present); false for
     * anything shorter than an IP header or of another version.
     */
    public static boolean checksumsValid(byte[] p) {
        int version = p.length == 0 ? 0 : (p[0] & 0xff) >>> 4;
        if (version == 4 && p.length >= 20) {
            if (checksum(p, 0, 20, 0) != 0) {
                return false;
            }
            return transportValid(p, 20, p[9] & 0xff, false);
        }
        if (version == 6 && p.length >= 40) {
            return transportValid(p, 40, p[6] & 0xff, true);
        }
        return false;
    }

    private static boolean transportValid(byte[] p, int t, int proto, boolean v6) {
        if (proto == 17 && !v6 && p.length >= t + 8 && get16(p, t + 6) == 0) {
            return true; // RFC 768: no checksum (IPv4 only)
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
    public static int checksum(byte[] p, int off, int len, long initial) {
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

    /** The big-endian 16-bit value at {@code off}. */
    public static int get16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }

    /** Writes the low 16 bits of {@code v} big-endian at {@code off}. */
    public static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >>> 8);
        p[off + 1] = (byte) v;
    }

    /** Number of differing bits between two arrays of the same length (IllegalArgumentException otherwise). */
    public static int bitsDiffering(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " " + b.length);
        }
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return n;
    }

    /** A copy of {@code p}. */
    public static byte[] copy(byte[] p) {
        return Arrays.copyOf(p, p.length);
    }
}
