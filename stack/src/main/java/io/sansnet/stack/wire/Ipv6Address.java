package io.sansnet.stack.wire;

/**
 * An IPv6 address (RFC 4291) held as two 64-bit halves, most significant first.
 *
 * @param hi bits 0..63 (the first 8 bytes)
 * @param lo bits 64..127 (the last 8 bytes)
 */
public record Ipv6Address(long hi, long lo) implements IpAddress, Comparable<Ipv6Address> {

    public static final int LENGTH = 16;
    public static final Ipv6Address UNSPECIFIED = new Ipv6Address(0, 0);
    public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);

    /** Parses RFC 4291 §2.2 text, or throws {@link IllegalArgumentException}. */
    public static Ipv6Address of(String text) {
        Parsed<Ipv6Address> p = parse(text);
        if (p instanceof Parsed.Ok<Ipv6Address> ok) {
            return ok.value();
        }
        throw new IllegalArgumentException(
                "not an IPv6 address: '" + text + "': " + p.error().message());
    }

    /**
     * Parses the three forms of RFC 4291 §2.2: full ({@code fd00:5a:0:0:0:0:0:2}), compressed ({@code fd00:5a::2}) and
     * with a trailing dotted quad ({@code ::ffff:198.18.0.2}). No zone index.
     */
    public static Parsed<Ipv6Address> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return bad(0, "null, empty or too long");
        }
        int[] groups = new int[8];
        int n = 0;
        int gap = -1; // index in groups where "::" stands
        int i = 0;
        int len = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == len) {
                return Parsed.ok(UNSPECIFIED);
            }
        } else if (text.charAt(0) == ':') {
            return bad(0, "leading single ':'");
        }
        while (i < len) {
            int start = i;
            int v = 0;
            while (i < len && Character.digit(text.charAt(i), 16) >= 0 && i - start < 5) {
                v = v << 4 | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < len && text.charAt(i) == '.') {
                // RFC 4291 §2.2 (3): the last 32 bits as a dotted quad
                Parsed<Ipv4Address> v4 = Ipv4Address.parse(text.substring(start));
                if (!v4.isOk() || n > 6) {
                    return bad(start, "bad embedded IPv4 address");
                }
                int bits = v4.value().bits();
                groups[n++] = bits >>> 16;
                groups[n++] = bits & 0xFFFF;
                i = len;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return bad(start, "expected 1 to 4 hex digits");
            }
            if (n == 8) {
                return bad(start, "more than 8 groups");
            }
            groups[n++] = v;
            if (i == len) {
                break;
            }
            if (text.charAt(i) != ':') {
                return bad(i, "unexpected character");
            }
            i++;
            if (i < len && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return bad(i, "second '::'");
                }
                gap = n;
                i++;
            } else if (i == len) {
                return bad(i, "trailing single ':'");
            }
        }
        if (gap < 0 && n != 8) {
            return bad(len, "expected 8 groups");
        }
        if (gap >= 0 && n > 7) {
            return bad(len, "'::' must stand for at least one group");
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - (n - gap), n - gap);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = hi << 16 | full[g];
            lo = lo << 16 | full[g + 4];
        }
        return Parsed.ok(new Ipv6Address(hi, lo));
    }

    private static Parsed<Ipv6Address> bad(int at, String why) {
        return Parsed.err("ipv6.address", ParseError.Kind.BAD_VALUE, at, why);
    }

    /** Reads 16 bytes at {@code off}; the caller checks bounds. */
    public static Ipv6Address read(byte[] buf, int off) {
        return new Ipv6Address(readLong(buf, off), readLong(buf, off + 8));
    }

    /** From 16 bytes in network order. */
    public static Ipv6Address fromBytes(byte[] b) {
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("need 16 bytes, got " + b.length);
        }
        return read(b, 0);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    @Override
    public int version() {
        return 6;
    }

    @Override
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    @Override
    public void writeTo(byte[] dst, int off) {
        for (int i = 0; i < 8; i++) {
            dst[off + i] = (byte) (hi >>> (56 - 8 * i));
            dst[off + 8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
    }

    /** The 16-bit group {@code i} (0..7). */
    public int group(int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    /** ff00::/8 (RFC 4291 §2.7). */
    public boolean isMulticast() {
        return (hi >>> 56) == 0xFF;
    }

    /** fe80::/10 (RFC 4291 §2.5.6). */
    public boolean isLinkLocal() {
        return (hi >>> 54) == (0xFE80L >>> 6);
    }

    public boolean isUnspecified() {
        return hi == 0 && lo == 0;
    }

    public boolean isLoopback() {
        return hi == 0 && lo == 1;
    }

    /** True when this address lies in {@code network/prefixLength}. */
    public boolean inSubnet(Ipv6Address network, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        long hiMask = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
        long loMask = prefixLength <= 64 ? 0 : -1L << (128 - prefixLength);
        return (hi & hiMask) == (network.hi & hiMask) && (lo & loMask) == (network.lo & loMask);
    }

    @Override
    public int compareTo(Ipv6Address o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** RFC 5952 §4: lower case, no leading zeros, the longest run (first if tied) of two or more zero groups as "::". */
    @Override
    public String toString() {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad
            return "::ffff:" + new Ipv4Address((int) lo);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(i)));
        }
        return sb.toString();
    }
}
