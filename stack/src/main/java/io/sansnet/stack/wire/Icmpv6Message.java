package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * An ICMPv6 message (RFC 4443 §2.1): type, code, checksum, the 4-octet type-specific word and the body. The checksum
 * covers the IPv6 pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1) with next header 58.
 *
 * <p>{@code checksum} is the value read by {@link #parse}; {@link #encodeInto} ignores it and writes the correct one.
 * Neighbor Discovery messages (RFC 4861) are recognised by type number only.
 *
 * @param type 0..255, see the constants
 * @param code 0..255
 * @param checksum as received (0 for messages built locally)
 * @param restOfHeader octets 4..7 as a big-endian int (echo id/seq, MTU, pointer, or reserved/flags)
 * @param data the octets after the 8-octet header
 */
public record Icmpv6Message(int type, int code, int checksum, int restOfHeader, Bytes data) {

    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_MLD_QUERY = 130;
    public static final int TYPE_MLD_REPORT = 131;
    public static final int TYPE_MLD_DONE = 132;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    public static final int TYPE_REDIRECT = 137;
    public static final int TYPE_MLDV2_REPORT = 143;

    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMIN_PROHIBITED = 1;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;

    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    public static final int CODE_ERRONEOUS_HEADER_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;

    /**
     * RFC 4443 §2.4 (c): an error message carries "as much of invoking packet as possible without the ICMPv6 packet
     * exceeding the minimum IPv6 MTU"; this is that bound on the ICMPv6 message itself.
     */
    public static final int MAX_ERROR_LENGTH = Ipv6Header.MIN_MTU - Ipv6Header.LENGTH;

    public Icmpv6Message {
        Wire.checkRange("type", type, 0, 255);
        Wire.checkRange("code", code, 0, 255);
        Wire.checkRange("checksum", checksum, 0, 0xFFFF);
        Objects.requireNonNull(data, "data");
    }

    public static Icmpv6Message echoRequest(int identifier, int sequence, Bytes data) {
        return new Icmpv6Message(TYPE_ECHO_REQUEST, 0, 0, echoRest(identifier, sequence), data);
    }

    public static Icmpv6Message echoReply(int identifier, int sequence, Bytes data) {
        return new Icmpv6Message(TYPE_ECHO_REPLY, 0, 0, echoRest(identifier, sequence), data);
    }

    /** The reply to this echo request (RFC 4443 §4.2: same identifier, sequence number and data). */
    public Icmpv6Message toEchoReply() {
        if (type != TYPE_ECHO_REQUEST) {
            throw new IllegalStateException("not an echo request: type " + type);
        }
        return new Icmpv6Message(TYPE_ECHO_REPLY, 0, 0, restOfHeader, data);
    }

    public static Icmpv6Message destinationUnreachable(int code, Bytes quoted) {
        return new Icmpv6Message(TYPE_DESTINATION_UNREACHABLE, code, 0, 0, quoted);
    }

    /** Packet Too Big with the MTU of the next-hop link (RFC 4443 §3.2). */
    public static Icmpv6Message packetTooBig(int mtu, Bytes quoted) {
        return new Icmpv6Message(TYPE_PACKET_TOO_BIG, 0, 0, mtu, quoted);
    }

    public static Icmpv6Message timeExceeded(int code, Bytes quoted) {
        return new Icmpv6Message(TYPE_TIME_EXCEEDED, code, 0, 0, quoted);
    }

    /** Parameter Problem with the offset of the erroneous octet in the invoking packet (RFC 4443 §3.4). */
    public static Icmpv6Message parameterProblem(int code, int pointer, Bytes quoted) {
        return new Icmpv6Message(TYPE_PARAMETER_PROBLEM, code, 0, pointer, quoted);
    }

    private static int echoRest(int identifier, int sequence) {
        Wire.checkRange("identifier", identifier, 0, 0xFFFF);
        Wire.checkRange("sequence", sequence, 0, 0xFFFF);
        return identifier << 16 | sequence;
    }

    /**
     * Parses and verifies the message at {@code buf[off..off+len)} against the pseudo-header {@code ph} (IPv6
     * addresses).
     */
    public static Parsed<Icmpv6Message> parse(byte[] buf, int off, int len, PseudoHeader ph) {
        Wire.checkSlice(buf, off, len);
        Parsed<Icmpv6Message> m = parseUnverified(buf, off, len);
        if (!m.isOk()) {
            return m;
        }
        if (ph.version() != 6) {
            return Parsed.err("icmpv6.pseudo_header", ParseError.Kind.BAD_VERSION, 0, "ICMPv6 over IPv4");
        }
        // RFC 4443 §2.3: the checksum includes the IPv6 pseudo-header.
        if (!Checksum.verifies(Checksum.add(ph.sum(IpProtocol.ICMPV6, len), buf, off, len))) {
            return Parsed.err("icmpv6.checksum", ParseError.Kind.BAD_CHECKSUM, 2, "checksum does not verify");
        }
        return m;
    }

    public static Parsed<Icmpv6Message> parse(Bytes b, PseudoHeader ph) {
        return parse(b.array(), b.offset(), b.length(), ph);
    }

    /** Parses without verifying the checksum: for messages quoted inside ICMPv6 errors, which may be truncated. */
    public static Parsed<Icmpv6Message> parseUnverified(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        if (len < HEADER_LENGTH) {
            return Wire.truncated("icmpv6.header", 0, HEADER_LENGTH, len);
        }
        return Parsed.ok(new Icmpv6Message(
                Wire.u8(buf, off),
                Wire.u8(buf, off + 1),
                Wire.u16(buf, off + 2),
                Wire.i32(buf, off + 4),
                Bytes.copyOf(buf, off + HEADER_LENGTH, len - HEADER_LENGTH)));
    }

    /** RFC 4443 §2.1: types 0..127 are errors, 128..255 informational. */
    public boolean isError() {
        return type < 128;
    }

    /** Router/Neighbor Solicitation/Advertisement and Redirect (RFC 4861 §4). */
    public boolean isNeighborDiscovery() {
        return type >= TYPE_ROUTER_SOLICITATION && type <= TYPE_REDIRECT;
    }

    public boolean isEcho() {
        return type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY;
    }

    public int echoIdentifier() {
        return restOfHeader >>> 16;
    }

    public int echoSequence() {
        return restOfHeader & 0xFFFF;
    }

    /** MTU of Packet Too Big (32 bits, compare unsigned). */
    public int mtu() {
        return restOfHeader;
    }

    /** Pointer of Parameter Problem. */
    public int pointer() {
        return restOfHeader;
    }

    public int length() {
        return HEADER_LENGTH + data.length();
    }

    /** Writes the message with a checksum over {@code ph}; returns {@link #length()}. */
    public int encodeInto(byte[] dst, int off, PseudoHeader ph) {
        if (ph.version() != 6) {
            throw new IllegalArgumentException("ICMPv6 needs IPv6 addresses: " + ph);
        }
        Wire.put8(dst, off, type);
        Wire.put8(dst, off + 1, code);
        Wire.put16(dst, off + 2, 0);
        Wire.put32(dst, off + 4, restOfHeader);
        data.copyTo(dst, off + HEADER_LENGTH);
        int n = length();
        Wire.put16(dst, off + 2, Checksum.finish(Checksum.add(ph.sum(IpProtocol.ICMPV6, n), dst, off, n)));
        return n;
    }

    public byte[] encode(PseudoHeader ph) {
        byte[] b = new byte[length()];
        encodeInto(b, 0, ph);
        return b;
    }

    public Icmpv6Message withChecksum(int c) {
        return new Icmpv6Message(type, code, c, restOfHeader, data);
    }
}
