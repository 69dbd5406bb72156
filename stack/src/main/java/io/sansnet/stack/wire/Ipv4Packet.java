package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * An IPv4 packet: a header and its data (the upper-layer bytes or, for a fragment, the fragment data). The header's
 * total length always equals header length plus payload length; {@link #of} sets it.
 */
public record Ipv4Packet(Ipv4Header header, Bytes payload) implements IpPacket {

    public Ipv4Packet {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        if (header.totalLength() != header.length() + payload.length()) {
            throw new IllegalArgumentException(
                    "total length " + header.totalLength() + " != " + header.length() + " + " + payload.length());
        }
    }

    /** A packet whose header's total length is set to fit {@code payload}. */
    public static Ipv4Packet of(Ipv4Header header, Bytes payload) {
        return new Ipv4Packet(header.withTotalLength(header.length() + payload.length()), payload);
    }

    /**
     * Parses and verifies a packet at {@code buf[off..off+len)}. Bytes beyond the total length (link-layer padding) are
     * ignored; a total length beyond {@code len} is {@link ParseError.Kind#BAD_LENGTH}. Copies the payload.
     */
    public static Parsed<Ipv4Packet> parse(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        Parsed<Ipv4Header> h = Ipv4Header.parse(buf, off, len);
        if (!(h instanceof Parsed.Ok<Ipv4Header> ok)) {
            return Parsed.err(h.error());
        }
        Ipv4Header header = ok.value();
        if (header.totalLength() > len) {
            return Parsed.err(
                    "ipv4.total_length",
                    ParseError.Kind.BAD_LENGTH,
                    2,
                    "total length " + header.totalLength() + " > " + len + " bytes received");
        }
        return Parsed.ok(new Ipv4Packet(
                header, Bytes.copyOf(buf, off + header.length(), header.totalLength() - header.length())));
    }

    public static Parsed<Ipv4Packet> parse(Bytes b) {
        return parse(b.array(), b.offset(), b.length());
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public Ipv4Address src() {
        return header.src();
    }

    @Override
    public Ipv4Address dst() {
        return header.dst();
    }

    @Override
    public int protocol() {
        return header.protocol();
    }

    @Override
    public int hopLimit() {
        return header.ttl();
    }

    @Override
    public boolean isFragment() {
        return header.isFragment();
    }

    @Override
    public int length() {
        return header.totalLength();
    }

    @Override
    public int encodeInto(byte[] dst, int off) {
        int n = header.encodeInto(dst, off);
        payload.copyTo(dst, off + n);
        return n + payload.length();
    }
}
