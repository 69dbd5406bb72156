package io.sansnet.stack.wire;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the data taken as
 * big-endian 16-bit words, an odd final byte padded with zero.
 *
 * <p>Sums accumulate in a {@code long} without folding ({@link #add}), so a checksum can be built from several pieces
 * (pseudo-header, header, payload). Every piece but the last must have an even length, as the words of the
 * pseudo-header and of IP, ICMP, UDP and TCP headers do. {@link #finish} folds the carries and complements.
 */
public final class Checksum {

    private Checksum() {}

    /** Adds the 16-bit words of {@code buf[off, off+len)} to {@code acc}; an odd last byte is padded with zero. */
    public static long add(long acc, byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        for (; i + 1 < end; i += 2) {
            acc += (buf[i] & 0xFF) << 8 | (buf[i + 1] & 0xFF);
        }
        if (i < end) {
            acc += (buf[i] & 0xFF) << 8;
        }
        return acc;
    }

    /** Adds the bytes of {@code b} to {@code acc} (see {@link #add(long, byte[], int, int)}). */
    public static long add(long acc, Bytes b) {
        return add(acc, b.array(), b.offset(), b.length());
    }

    /** Adds one 16-bit word. */
    public static long addWord(long acc, int word) {
        return acc + (word & 0xFFFF);
    }

    /** Adds a 32-bit value as two words. */
    public static long addInt(long acc, int v) {
        return acc + (v >>> 16) + (v & 0xFFFF);
    }

    /** Adds the 16-bit words of an address. */
    public static long addAddress(long acc, IpAddress a) {
        if (a instanceof Ipv4Address v4) {
            return addInt(acc, v4.bits());
        }
        Ipv6Address v6 = (Ipv6Address) a;
        return addLong(addLong(acc, v6.hi()), v6.lo());
    }

    private static long addLong(long acc, long v) {
        return addInt(addInt(acc, (int) (v >>> 32)), (int) v);
    }

    /** Folds carries into 16 bits (the one's complement sum), without complementing. */
    public static int fold(long acc) {
        long s = acc;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** The checksum field value for an accumulated sum: {@code ~fold(acc)}. */
    public static int finish(long acc) {
        return ~fold(acc) & 0xFFFF;
    }

    /** The checksum of {@code buf[off, off+len)} alone. */
    public static int compute(byte[] buf, int off, int len) {
        return finish(add(0, buf, off, len));
    }

    /**
     * True when data that includes its checksum field verifies: the one's complement sum of everything is all ones
     * (RFC 1071 §1 (3)).
     */
    public static boolean verifies(long accIncludingChecksumField) {
        return fold(accIncludingChecksumField) == 0xFFFF;
    }

    /**
     * The IPv4 pseudo-header sum (RFC 768, RFC 9293 §3.1): source, destination, zero, protocol, upper-layer length.
     */
    public static long pseudoHeaderV4(Ipv4Address src, Ipv4Address dst, int protocol, int upperLayerLength) {
        long acc = addInt(0, src.bits());
        acc = addInt(acc, dst.bits());
        acc = addWord(acc, protocol & 0xFF);
        return addWord(acc, upperLayerLength);
    }

    /**
     * The IPv6 pseudo-header sum (RFC 8200 §8.1): source, destination, 32-bit upper-layer packet length, 24 zero bits,
     * next header.
     */
    public static long pseudoHeaderV6(Ipv6Address src, Ipv6Address dst, int nextHeader, long upperLayerLength) {
        long acc = addAddress(0, src);
        acc = addAddress(acc, dst);
        acc = addInt(acc, (int) upperLayerLength);
        return addWord(acc, nextHeader & 0xFF);
    }
}
