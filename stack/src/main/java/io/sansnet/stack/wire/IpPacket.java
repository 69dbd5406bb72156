package io.sansnet.stack.wire;

/** An IPv4 or IPv6 packet, seen from the upper layer: addresses, protocol and the upper-layer bytes. */
public sealed interface IpPacket permits Ipv4Packet, Ipv6Packet {

    /** 4 or 6. */
    int version();

    IpAddress src();

    IpAddress dst();

    /**
     * The upper-layer protocol: IPv4's protocol field, or for IPv6 the next header after the extension headers (for a
     * fragment, the Fragment header's next header).
     */
    int protocol();

    /** The upper-layer bytes (for a fragment, the fragment data). */
    Bytes payload();

    /** TTL or hop limit. */
    int hopLimit();

    /** True when this packet is a fragment of a larger one. */
    boolean isFragment();

    /** Source and destination for upper-layer checksums. */
    default PseudoHeader pseudoHeader() {
        return new PseudoHeader(src(), dst());
    }

    /** Encoded length in octets. */
    int length();

    /** Writes the packet; returns {@link #length()}. */
    int encodeInto(byte[] dst, int off);

    /** The packet's bytes. */
    default byte[] encode() {
        byte[] b = new byte[length()];
        encodeInto(b, 0);
        return b;
    }

    /** Parses an IPv4 or IPv6 packet, chosen by the version nibble. */
    static Parsed<IpPacket> parse(byte[] buf, int off, int len) {
        if (len < 1) {
            return Wire.truncated("ip.version", 0, 1, len);
        }
        int version = Wire.u8(buf, off) >>> 4;
        if (version == 4) {
            return Ipv4Packet.parse(buf, off, len).map(p -> p);
        }
        if (version == 6) {
            return Ipv6Packet.parse(buf, off, len).map(p -> p);
        }
        return Parsed.err("ip.version", ParseError.Kind.BAD_VERSION, 0, "version " + version);
    }

    /** Parses an IPv4 or IPv6 packet from all of {@code b}. */
    static Parsed<IpPacket> parse(Bytes b) {
        return parse(b.array(), b.offset(), b.length());
    }
}
