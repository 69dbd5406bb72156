package io.sansnet.stack.wire;

/**
 * An IPv4 address (RFC 791) held as its 32 bits, most significant octet first.
 *
 * @param bits the address; {@code 198.18.0.2} is {@code 0xC6120002}
 */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {

    public static final int LENGTH = 4;
    public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFFFFFF);

    public static Ipv4Address of(int a, int b, int c, int d) {
        for (int x : new int[] {a, b, c, d}) {
            if (x < 0 || x > 255) {
                throw new IllegalArgumentException("octet out of range: " + x);
            }
        }
        return new Ipv4Address(a << 24 | b << 16 | c << 8 | d);
    }

    /** Parses {@code "198.18.0.2"}, or throws {@link IllegalArgumentException}. */
    public static Ipv4Address of(String text) {
        Parsed<Ipv4Address> p = parse(text);
        if (p instanceof Parsed.Ok<Ipv4Address> ok) {
            return ok.value();
        }
        throw new IllegalArgumentException(
                "not an IPv4 address: '" + text + "': " + p.error().message());
    }

    /** Parses dotted-quad text (four decimal octets, no leading zeros beyond a lone "0"). */
    public static Parsed<Ipv4Address> parse(String text) {
        if (text == null || text.length() > 15) {
            return Parsed.err("ipv4.address", ParseError.Kind.BAD_VALUE, 0, "null or too long");
        }
        int bits = 0;
        int octets = 0;
        int i = 0;
        while (true) {
            int start = i;
            int v = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                v = v * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return Parsed.err("ipv4.address", ParseError.Kind.BAD_VALUE, start, "bad octet");
            }
            bits = bits << 8 | v;
            octets++;
            if (octets == 4) {
                break;
            }
            if (i >= text.length() || text.charAt(i) != '.') {
                return Parsed.err("ipv4.address", ParseError.Kind.BAD_VALUE, i, "expected '.'");
            }
            i++;
        }
        if (i != text.length()) {
            return Parsed.err("ipv4.address", ParseError.Kind.BAD_VALUE, i, "trailing characters");
        }
        return Parsed.ok(new Ipv4Address(bits));
    }

    /** Reads 4 bytes at {@code off}; the caller checks bounds. */
    public static Ipv4Address read(byte[] buf, int off) {
        return new Ipv4Address((buf[off] & 0xFF) << 24
                | (buf[off + 1] & 0xFF) << 16
                | (buf[off + 2] & 0xFF) << 8
                | buf[off + 3] & 0xFF);
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    @Override
    public void writeTo(byte[] dst, int off) {
        dst[off] = (byte) (bits >>> 24);
        dst[off + 1] = (byte) (bits >>> 16);
        dst[off + 2] = (byte) (bits >>> 8);
        dst[off + 3] = (byte) bits;
    }

    /** 224.0.0.0/4 (RFC 5771). */
    public boolean isMulticast() {
        return (bits >>> 28) == 0xE;
    }

    /** 255.255.255.255. */
    public boolean isBroadcast() {
        return bits == 0xFFFFFFFF;
    }

    /** 0.0.0.0. */
    public boolean isUnspecified() {
        return bits == 0;
    }

    /** 127.0.0.0/8. */
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    /** True when this address lies in {@code network/prefixLength}. */
    public boolean inSubnet(Ipv4Address network, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (bits & mask) == (network.bits & mask);
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xFF) + "." + (bits >>> 8 & 0xFF) + "." + (bits & 0xFF);
    }
}
