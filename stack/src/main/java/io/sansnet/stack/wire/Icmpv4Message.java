package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * An ICMP message (RFC 792): type, code, checksum, the 4-octet "rest of header" whose meaning depends on the type, and
 * the data (echo data, or the quoted invoking datagram for errors).
 *
 * <p>{@code checksum} is the value read by {@link #parse}; {@link #encodeInto} ignores it and writes the correct one.
 *
 * @param type 0..255, see the constants
 * @param code 0..255
 * @param checksum as received (0 for messages built locally)
 * @param restOfHeader octets 4..7 as a big-endian int
 * @param data the octets after the 8-octet header
 */
public record Icmpv4Message(int type, int code, int checksum, int restOfHeader, Bytes data) {

    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    /** Deprecated by RFC 6633, which says to ignore it; still an error message that quotes a datagram. */
    public static final int TYPE_SOURCE_QUENCH = 4;

    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** "Fragmentation needed and DF set"; RFC 1191 §4 puts the next-hop MTU in the low 16 bits of rest-of-header. */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /** RFC 1122 §3.2.2.1 / RFC 1812: communication administratively prohibited. */
    public static final int CODE_ADMIN_PROHIBITED = 13;

    public static final int CODE_TTL_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    /**
     * RFC 792: errors quote the IP header plus the first 64 bits of the datagram's data; RFC 1812 §4.3.2.3 allows as
     * much as keeps the error within 576 octets. This is that bound on the ICMP message itself; the factories do not
     * trim, the caller does.
     */
    public static final int MAX_ERROR_LENGTH = 576 - Ipv4Header.MIN_LENGTH;

    public Icmpv4Message {
        Wire.checkRange("type", type, 0, 255);
        Wire.checkRange("code", code, 0, 255);
        Wire.checkRange("checksum", checksum, 0, 0xFFFF);
        Objects.requireNonNull(data, "data");
    }

    public static Icmpv4Message echoRequest(int identifier, int sequence, Bytes data) {
        return new Icmpv4Message(TYPE_ECHO_REQUEST, 0, 0, echoRest(identifier, sequence), data);
    }

    public static Icmpv4Message echoReply(int identifier, int sequence, Bytes data) {
        return new Icmpv4Message(TYPE_ECHO_REPLY, 0, 0, echoRest(identifier, sequence), data);
    }

    /** The reply to this echo request (RFC 792: same identifier, sequence number and data). */
    public Icmpv4Message toEchoReply() {
        if (type != TYPE_ECHO_REQUEST) {
            throw new IllegalStateException("not an echo request: type " + type);
        }
        return new Icmpv4Message(TYPE_ECHO_REPLY, 0, 0, restOfHeader, data);
    }

    /** Destination unreachable with {@code code}; {@code quoted} is the invoking IP header and leading data. */
    public static Icmpv4Message destinationUnreachable(int code, Bytes quoted) {
        return new Icmpv4Message(TYPE_DESTINATION_UNREACHABLE, code, 0, 0, quoted);
    }

    /** "Fragmentation needed and DF set" with the next-hop MTU (RFC 1191 §4). */
    public static Icmpv4Message fragmentationNeeded(int nextHopMtu, Bytes quoted) {
        Wire.checkRange("nextHopMtu", nextHopMtu, 0, 0xFFFF);
        return new Icmpv4Message(TYPE_DESTINATION_UNREACHABLE, CODE_FRAGMENTATION_NEEDED, 0, nextHopMtu, quoted);
    }

    public static Icmpv4Message timeExceeded(int code, Bytes quoted) {
        return new Icmpv4Message(TYPE_TIME_EXCEEDED, code, 0, 0, quoted);
    }

    private static int echoRest(int identifier, int sequence) {
        Wire.checkRange("identifier", identifier, 0, 0xFFFF);
        Wire.checkRange("sequence", sequence, 0, 0xFFFF);
        return identifier << 16 | sequence;
    }

    /** Parses and verifies the message at {@code buf[off..off+len)}; the checksum covers all {@code len} octets. */
    public static Parsed<Icmpv4Message> parse(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        if (len < HEADER_LENGTH) {
            return Wire.truncated("icmp.header", 0, HEADER_LENGTH, len);
        }
        // RFC 792: "The checksum is the 16-bit ones's complement of the one's complement sum of the ICMP message".
        if (!Checksum.verifies(Checksum.add(0, buf, off, len))) {
            return Parsed.err("icmp.checksum", ParseError.Kind.BAD_CHECKSUM, 2, "checksum does not verify");
        }
        return Parsed.ok(new Icmpv4Message(
                Wire.u8(buf, off),
                Wire.u8(buf, off + 1),
                Wire.u16(buf, off + 2),
                Wire.i32(buf, off + 4),
                Bytes.copyOf(buf, off + HEADER_LENGTH, len - HEADER_LENGTH)));
    }

    public static Parsed<Icmpv4Message> parse(Bytes b) {
        return parse(b.array(), b.offset(), b.length());
    }

    /** True for echo request and reply. */
    public boolean isEcho() {
        return type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY;
    }

    /** True for the error messages that quote an invoking datagram (RFC 1122 §3.2.2). */
    public boolean isError() {
        return type == TYPE_DESTINATION_UNREACHABLE
                || type == TYPE_REDIRECT
                || type == TYPE_TIME_EXCEEDED
                || type == TYPE_PARAMETER_PROBLEM
                || type == TYPE_SOURCE_QUENCH;
    }

    /** Echo identifier (high 16 bits of rest-of-header). */
    public int echoIdentifier() {
        return restOfHeader >>> 16;
    }

    /** Echo sequence number (low 16 bits of rest-of-header). */
    public int echoSequence() {
        return restOfHeader & 0xFFFF;
    }

    /** Next-hop MTU of "fragmentation needed" (RFC 1191 §4); 0 from routers that predate RFC 1191. */
    public int nextHopMtu() {
        return restOfHeader & 0xFFFF;
    }

    /** Parameter problem pointer (RFC 792). */
    public int pointer() {
        return restOfHeader >>> 24;
    }

    public int length() {
        return HEADER_LENGTH + data.length();
    }

    /** Writes the message with a freshly computed checksum; returns {@link #length()}. */
    public int encodeInto(byte[] dst, int off) {
        Wire.put8(dst, off, type);
        Wire.put8(dst, off + 1, code);
        Wire.put16(dst, off + 2, 0);
        Wire.put32(dst, off + 4, restOfHeader);
        data.copyTo(dst, off + HEADER_LENGTH);
        Wire.put16(dst, off + 2, Checksum.compute(dst, off, length()));
        return length();
    }

    public byte[] encode() {
        byte[] b = new byte[length()];
        encodeInto(b, 0);
        return b;
    }

    public Icmpv4Message withChecksum(int c) {
        return new Icmpv4Message(type, code, c, restOfHeader, data);
    }
}
