package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * The fixed IPv6 header (RFC 8200 §3), 40 octets. The version (6) is implied.
 *
 * @param trafficClass 0..255 (DSCP and ECN, RFC 8200 §7)
 * @param flowLabel 0..0xFFFFF (RFC 6437)
 * @param payloadLength octets after this header, extension headers included, 0..65535 (jumbograms unsupported)
 * @param nextHeader the first extension header or the upper-layer protocol ({@link IpProtocol})
 * @param hopLimit 0..255
 * @param src source address
 * @param dst destination address
 */
public record Ipv6Header(
        int trafficClass,
        int flowLabel,
        int payloadLength,
        int nextHeader,
        int hopLimit,
        Ipv6Address src,
        Ipv6Address dst) {

    public static final int VERSION = 6;
    public static final int LENGTH = 40;
    /** Linux's default hop limit ({@code net.ipv6.conf.*.hop_limit}). */
    public static final int DEFAULT_HOP_LIMIT = 64;
    /** RFC 8200 §5: every link has an MTU of at least 1280 octets. */
    public static final int MIN_MTU = 1280;

    public Ipv6Header {
        Wire.checkRange("trafficClass", trafficClass, 0, 255);
        Wire.checkRange("flowLabel", flowLabel, 0, 0xFFFFF);
        Wire.checkRange("payloadLength", payloadLength, 0, 0xFFFF);
        Wire.checkRange("nextHeader", nextHeader, 0, 255);
        Wire.checkRange("hopLimit", hopLimit, 0, 255);
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
    }

    /** A header with traffic class 0, flow label 0 and the given fields. */
    public static Ipv6Header of(Ipv6Address src, Ipv6Address dst, int nextHeader, int hopLimit, int payloadLength) {
        return new Ipv6Header(0, 0, payloadLength, nextHeader, hopLimit, src, dst);
    }

    /** Parses the fixed header at {@code buf[off..off+len)}; the payload length is not checked against {@code len}. */
    public static Parsed<Ipv6Header> parse(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        if (len < LENGTH) {
            return Wire.truncated("ipv6.header", 0, LENGTH, len);
        }
        int first = Wire.i32(buf, off);
        int version = first >>> 28;
        if (version != VERSION) {
            return Parsed.err("ipv6.version", ParseError.Kind.BAD_VERSION, 0, "version " + version);
        }
        return Parsed.ok(new Ipv6Header(
                first >>> 20 & 0xFF,
                first & 0xFFFFF,
                Wire.u16(buf, off + 4),
                Wire.u8(buf, off + 6),
                Wire.u8(buf, off + 7),
                Ipv6Address.read(buf, off + 8),
                Ipv6Address.read(buf, off + 24)));
    }

    public int length() {
        return LENGTH;
    }

    /** Writes the 40 octets; returns {@link #LENGTH}. */
    public int encodeInto(byte[] dstBuf, int off) {
        Wire.put32(dstBuf, off, VERSION << 28 | trafficClass << 20 | flowLabel);
        Wire.put16(dstBuf, off + 4, payloadLength);
        Wire.put8(dstBuf, off + 6, nextHeader);
        Wire.put8(dstBuf, off + 7, hopLimit);
        src.writeTo(dstBuf, off + 8);
        dst.writeTo(dstBuf, off + 24);
        return LENGTH;
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        encodeInto(b, 0);
        return b;
    }

    public Ipv6Header withPayloadLength(int n) {
        return new Ipv6Header(trafficClass, flowLabel, n, nextHeader, hopLimit, src, dst);
    }

    public Ipv6Header withNextHeader(int n) {
        return new Ipv6Header(trafficClass, flowLabel, payloadLength, n, hopLimit, src, dst);
    }
}
