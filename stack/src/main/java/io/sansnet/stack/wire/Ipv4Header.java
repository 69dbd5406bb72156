package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * The IPv4 header (RFC 791 §3.1). The version (4) and the IHL are implied: IHL is {@code 5 + options.length() / 4}.
 *
 * <p>{@code checksum} is the value read from the wire by {@link #parse}; {@link #encodeInto} ignores it and writes the
 * correct checksum. The reserved flag bit is ignored on parse and sent as zero (RFC 791: "must be zero").
 *
 * @param dscp differentiated services code point, 0..63 (RFC 2474)
 * @param ecn explicit congestion notification, 0..3 (RFC 3168)
 * @param totalLength header plus data in octets, {@link #length()}..65535
 * @param identification 0..65535
 * @param dontFragment the DF flag
 * @param moreFragments the MF flag
 * @param fragmentOffset in units of 8 octets, 0..8191
 * @param ttl time to live, 0..255
 * @param protocol the upper-layer protocol ({@link IpProtocol}), 0..255
 * @param checksum header checksum as received, 0..65535 (0 for headers built locally)
 * @param src source address
 * @param dst destination address
 * @param options raw option bytes, a multiple of 4 octets, at most {@link #MAX_OPTIONS_LENGTH}
 */
public record Ipv4Header(
        int dscp,
        int ecn,
        int totalLength,
        int identification,
        boolean dontFragment,
        boolean moreFragments,
        int fragmentOffset,
        int ttl,
        int protocol,
        int checksum,
        Ipv4Address src,
        Ipv4Address dst,
        Bytes options) {

    public static final int VERSION = 4;
    /** RFC 791: IHL 5. */
    public static final int MIN_LENGTH = 20;
    /** RFC 791: IHL is 4 bits, so at most 60 octets of header. */
    public static final int MAX_LENGTH = 60;

    public static final int MAX_OPTIONS_LENGTH = MAX_LENGTH - MIN_LENGTH;
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    /** Linux's default TTL ({@code net.ipv4.ip_default_ttl}). */
    public static final int DEFAULT_TTL = 64;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1FFF;

    public Ipv4Header {
        Wire.checkRange("dscp", dscp, 0, 63);
        Wire.checkRange("ecn", ecn, 0, 3);
        Wire.checkRange("identification", identification, 0, 0xFFFF);
        Wire.checkRange("fragmentOffset", fragmentOffset, 0, OFFSET_MASK);
        Wire.checkRange("ttl", ttl, 0, 255);
        Wire.checkRange("protocol", protocol, 0, 255);
        Wire.checkRange("checksum", checksum, 0, 0xFFFF);
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(options, "options");
        if (options.length() % 4 != 0 || options.length() > MAX_OPTIONS_LENGTH) {
            throw new IllegalArgumentException("options length " + options.length());
        }
        Wire.checkRange("totalLength", totalLength, MIN_LENGTH + options.length(), MAX_TOTAL_LENGTH);
    }

    /** A builder with TTL {@link #DEFAULT_TTL}, no options, identification 0, no flags. */
    public static Builder builder(Ipv4Address src, Ipv4Address dst, int protocol) {
        return new Builder(src, dst, protocol);
    }

    /**
     * Parses and verifies a header at {@code buf[off..off+len)}. Only the header is checked: the total length must be
     * at least the header length, but may exceed {@code len} (see {@link Ipv4Packet#parse} for the whole packet).
     */
    public static Parsed<Ipv4Header> parse(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        return parse(buf, off, len, true);
    }

    /**
     * Parses a header without verifying its checksum: for the invoking header quoted in an ICMP error (see
     * {@link IcmpQuote}), which the host only reads to find the flow, as Linux does.
     */
    public static Parsed<Ipv4Header> parseUnverified(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        return parse(buf, off, len, false);
    }

    private static Parsed<Ipv4Header> parse(byte[] buf, int off, int len, boolean verify) {
        if (len < MIN_LENGTH) {
            return Wire.truncated("ipv4.header", 0, MIN_LENGTH, len);
        }
        int version = Wire.u8(buf, off) >>> 4;
        if (version != VERSION) {
            return Parsed.err("ipv4.version", ParseError.Kind.BAD_VERSION, 0, "version " + version);
        }
        int headerLength = (Wire.u8(buf, off) & 0xF) * 4;
        if (headerLength < MIN_LENGTH) {
            return Parsed.err("ipv4.ihl", ParseError.Kind.BAD_LENGTH, 0, "header length " + headerLength + " < 20");
        }
        if (headerLength > len) {
            return Wire.truncated("ipv4.options", MIN_LENGTH, headerLength, len);
        }
        int totalLength = Wire.u16(buf, off + 2);
        if (totalLength < headerLength) {
            return Parsed.err(
                    "ipv4.total_length",
                    ParseError.Kind.BAD_LENGTH,
                    2,
                    "total length " + totalLength + " < header length " + headerLength);
        }
        // RFC 791 §3.1 "Header Checksum": the sum over the header including the checksum field must verify.
        if (verify && !Checksum.verifies(Checksum.add(0, buf, off, headerLength))) {
            return Parsed.err(
                    "ipv4.checksum",
                    ParseError.Kind.BAD_CHECKSUM,
                    10,
                    "header checksum 0x" + Integer.toHexString(Wire.u16(buf, off + 10)) + " does not verify");
        }
        int tos = Wire.u8(buf, off + 1);
        int flagsOffset = Wire.u16(buf, off + 6);
        return Parsed.ok(new Ipv4Header(
                tos >>> 2,
                tos & 3,
                totalLength,
                Wire.u16(buf, off + 4),
                (flagsOffset & FLAG_DF) != 0,
                (flagsOffset & FLAG_MF) != 0,
                flagsOffset & OFFSET_MASK,
                Wire.u8(buf, off + 8),
                Wire.u8(buf, off + 9),
                Wire.u16(buf, off + 10),
                Ipv4Address.read(buf, off + 12),
                Ipv4Address.read(buf, off + 16),
                Bytes.copyOf(buf, off + MIN_LENGTH, headerLength - MIN_LENGTH)));
    }

    /** Header length in octets (IHL * 4). */
    public int length() {
        return MIN_LENGTH + options.length();
    }

    /** The IHL field: header length in 32-bit words. */
    public int ihl() {
        return length() / 4;
    }

    /** Data length: total length minus header length. */
    public int payloadLength() {
        return totalLength - length();
    }

    /** Fragment offset in octets. */
    public int fragmentOffsetBytes() {
        return fragmentOffset * 8;
    }

    /** True when this header belongs to a fragment of a larger datagram (MF set or a non-zero offset). */
    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** Writes the header with a freshly computed checksum; returns {@link #length()}. */
    public int encodeInto(byte[] dst, int off) {
        int n = length();
        Wire.put8(dst, off, VERSION << 4 | n / 4);
        Wire.put8(dst, off + 1, dscp << 2 | ecn);
        Wire.put16(dst, off + 2, totalLength);
        Wire.put16(dst, off + 4, identification);
        Wire.put16(dst, off + 6, (dontFragment ? FLAG_DF : 0) | (moreFragments ? FLAG_MF : 0) | fragmentOffset);
        Wire.put8(dst, off + 8, ttl);
        Wire.put8(dst, off + 9, protocol);
        Wire.put16(dst, off + 10, 0);
        this.src.writeTo(dst, off + 12);
        this.dst.writeTo(dst, off + 16);
        options.copyTo(dst, off + MIN_LENGTH);
        Wire.put16(dst, off + 10, Checksum.compute(dst, off, n));
        return n;
    }

    /** The header bytes with a freshly computed checksum. */
    public byte[] encode() {
        byte[] b = new byte[length()];
        encodeInto(b, 0);
        return b;
    }

    /** The checksum that {@link #encodeInto} writes. */
    public int computeChecksum() {
        byte[] b = encode();
        return Wire.u16(b, 10);
    }

    public Ipv4Header withChecksum(int c) {
        return new Ipv4Header(
                dscp,
                ecn,
                totalLength,
                identification,
                dontFragment,
                moreFragments,
                fragmentOffset,
                ttl,
                protocol,
                c,
                src,
                dst,
                options);
    }

    public Ipv4Header withTotalLength(int t) {
        return new Ipv4Header(
                dscp,
                ecn,
                t,
                identification,
                dontFragment,
                moreFragments,
                fragmentOffset,
                ttl,
                protocol,
                checksum,
                src,
                dst,
                options);
    }

    /** This header for one fragment: MF flag, offset in 8-octet units, and total length. */
    public Ipv4Header withFragment(int fragmentOffsetUnits, boolean more, int total) {
        return new Ipv4Header(
                dscp,
                ecn,
                total,
                identification,
                dontFragment,
                more,
                fragmentOffsetUnits,
                ttl,
                protocol,
                checksum,
                src,
                dst,
                options);
    }

    /** Builds headers field by field; {@link #payloadLength(int)} sets the total length. */
    public static final class Builder {
        private int dscp;
        private int ecn;
        private int payloadLength;
        private int identification;
        private boolean dontFragment;
        private boolean moreFragments;
        private int fragmentOffset;
        private int ttl = DEFAULT_TTL;
        private final int protocol;
        private final Ipv4Address src;
        private final Ipv4Address dst;
        private Bytes options = Bytes.EMPTY;

        private Builder(Ipv4Address src, Ipv4Address dst, int protocol) {
            this.src = src;
            this.dst = dst;
            this.protocol = protocol;
        }

        public Builder dscp(int v) {
            dscp = v;
            return this;
        }

        public Builder ecn(int v) {
            ecn = v;
            return this;
        }

        /** Octets of data after the header; the total length becomes header length plus this. */
        public Builder payloadLength(int v) {
            payloadLength = v;
            return this;
        }

        public Builder identification(int v) {
            identification = v;
            return this;
        }

        public Builder dontFragment(boolean v) {
            dontFragment = v;
            return this;
        }

        public Builder moreFragments(boolean v) {
            moreFragments = v;
            return this;
        }

        /** In units of 8 octets. */
        public Builder fragmentOffset(int v) {
            fragmentOffset = v;
            return this;
        }

        public Builder ttl(int v) {
            ttl = v;
            return this;
        }

        public Builder options(Bytes v) {
            options = v;
            return this;
        }

        public Ipv4Header build() {
            return new Ipv4Header(
                    dscp,
                    ecn,
                    MIN_LENGTH + options.length() + payloadLength,
                    identification,
                    dontFragment,
                    moreFragments,
                    fragmentOffset,
                    ttl,
                    protocol,
                    0,
                    src,
                    dst,
                    options);
        }
    }
}
