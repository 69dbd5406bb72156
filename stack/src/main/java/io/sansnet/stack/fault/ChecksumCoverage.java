package io.sansnet.stack.fault;

/**
 * Chooses which bytes of a packet corruption may touch: bytes that a checksum covers, so the receiver (and tshark with
 * checksum validation on) sees a bad checksum rather than a different, well-formed packet or a malformed one.
 *
 * <ul>
 *   <li>IPv4 carrying TCP, UDP (with a checksum) or ICMP, not fragmented: the transport header and payload, minus the
 *       fields whose corruption would make the packet malformed instead of badly checksummed: the TCP data offset and
 *       flags byte, the UDP length and checksum (a flipped UDP checksum could become 0, "no checksum"), the ICMP type
 *       and code (RFC 9293 §3.1, RFC 768, RFC 792).
 *   <li>IPv4 otherwise (a fragment, UDP with a zero checksum, another protocol): the IPv4 header, which its own
 *       checksum covers (RFC 791 §3.1), minus version/IHL, total length, flags/fragment offset, protocol and options.
 *   <li>IPv6 (no header checksum): after skipping extension headers (RFC 8200 §4), the same transport rules for TCP,
 *       UDP and ICMPv6 (RFC 4443 §2.3); a non-first fragment's payload, which the reassembled datagram's checksum
 *       covers; otherwise the payload after the fixed header.
 *   <li>Anything else: any byte but the first (version nibble).
 * </ul>
 *
 * The IP version and length fields are never touched. Pure and total: any byte array gives a (possibly empty) set.
 */
final class ChecksumCoverage {
    private ChecksumCoverage() {}

    /** Most IPv6 extension headers walked before giving up on finding the upper-layer header. */
    static final int MAX_EXTENSION_HEADERS = 8;

    private static final int TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58;
    private static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, DEST_OPTS = 60;

    /** Ranges as {@code [start0, end0, start1, end1, ...]} with {@code start < end}, in increasing order. */
    static int[] ranges(byte[] p) {
        int len = p.length;
        if (len == 0) {
            return new int[0];
        }
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4 && len >= 20) {
            int[] r = ipv4(p, len);
            if (r != null) {
                return r;
            }
        } else if (version == 6 && len >= 40) {
            return ipv6(p, len);
        }
        return len == 1 ? new int[] {0, 1} : new int[] {1, len};
    }

    /**
     * The index of the byte and bit (as {@code byteIndex * 8 + bit}) chosen by the random value {@code r}, or -1: the
     * first bit that is 0, at or after (cyclically) the covered bit {@code r} selects.
     *
     * <p>Only 0 bits are chosen, so a flip always adds {@code 2^k} to its 16-bit word. Two flips in one datagram (two
     * fragments of it corrupted, each carrying one flip) then change the one's-complement sum by {@code 2^a + 2^b},
     * which is never 0 mod 0xffff: the reassembled datagram's checksum always catches them (RFC 1071 §2(B)), whereas a
     * 0-to-1 and a 1-to-0 flip in the same bit column would cancel and deliver wrong data undetected.
     */
    static long pickBit(byte[] p, long r) {
        int[] ranges = ranges(p);
        long totalBits = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            totalBits += 8L * (ranges[i + 1] - ranges[i]);
        }
        if (totalBits == 0) {
            return -1;
        }
        long start = Long.remainderUnsigned(r, totalBits);
        for (long step = 0; step < totalBits; step++) {
            long bit = nthCoveredBit(ranges, (start + step) % totalBits);
            if ((p[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return bit;
            }
        }
        return -1; // every covered bit is 1
    }

    private static long nthCoveredBit(int[] ranges, long k) {
        for (int i = 0; i < ranges.length; i += 2) {
            long bits = 8L * (ranges[i + 1] - ranges[i]);
            if (k < bits) {
                return 8L * ranges[i] + k;
            }
            k -= bits;
        }
        throw new AssertionError("unreachable");
    }

    private static int[] ipv4(byte[] p, int len) {
        int ihl = (p[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > len) {
            return null;
        }
        int totalLength = u16(p, 2);
        int end = totalLength >= ihl ? Math.min(len, totalLength) : len;
        int[] header = {1, 2, 4, 6, 8, 9, 10, 20};
        boolean fragment = (u16(p, 6) & 0x3fff) != 0; // MF set or a non-zero offset
        if (fragment) {
            return header;
        }
        int[] t = transport(p, p[9] & 0xff, ihl, end, false);
        return t != null ? t : header;
    }

    private static int[] ipv6(byte[] p, int len) {
        int end = Math.min(len, 40 + u16(p, 4));
        int next = p[6] & 0xff;
        int off = 40;
        for (int i = 0; i < MAX_EXTENSION_HEADERS; i++) {
            if (next == HOP_BY_HOP || next == ROUTING || next == DEST_OPTS) {
                if (off + 2 > end) {
                    break;
                }
                int hdrLen = ((p[off + 1] & 0xff) + 1) * 8;
                next = p[off] & 0xff;
                off += hdrLen;
            } else if (next == FRAGMENT) {
                if (off + 8 > end) {
                    break;
                }
                int fragOffset = u16(p, off + 2) >>> 3;
                next = p[off] & 0xff;
                off += 8;
                if (fragOffset != 0) {
                    return off < end ? new int[] {off, end} : fallback6(end);
                }
            } else {
                break;
            }
        }
        if (off >= end) {
            return fallback6(end);
        }
        int[] t = transport(p, next, off, end, true);
        return t != null ? t : fallback6(end);
    }

    private static int[] fallback6(int end) {
        return end > 40 ? new int[] {40, end} : new int[] {1, 4};
    }

    /** Covered bytes of a TCP/UDP/ICMP(v6) segment at {@code [t, end)}, or null when it is none of those or short. */
    private static int[] transport(byte[] p, int proto, int t, int end, boolean v6) {
        if (proto == TCP) {
            if (t + 20 > end) {
                return null;
            }
            int dataOffset = ((p[t + 12] & 0xff) >>> 4) * 4;
            // ports, SEG.SEQ, SEG.ACK; then window, checksum, urgent pointer; then the payload
            if (dataOffset >= 20 && t + dataOffset < end) {
                return new int[] {t, t + 12, t + 14, t + 20, t + dataOffset, end};
            }
            return new int[] {t, t + 12, t + 14, t + 20};
        }
        if (proto == UDP) {
            if (t + 8 > end || (!v6 && u16(p, t + 6) == 0)) {
                return null; // RFC 768: an all-zero checksum means none was computed (IPv4 only)
            }
            return t + 8 < end ? new int[] {t, t + 4, t + 8, end} : new int[] {t, t + 4};
        }
        if ((proto == ICMP && !v6) || (proto == ICMPV6 && v6)) {
            if (t + 4 > end) {
                return null;
            }
            return new int[] {t + 2, end};
        }
        return null;
    }

    private static int u16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }
}
