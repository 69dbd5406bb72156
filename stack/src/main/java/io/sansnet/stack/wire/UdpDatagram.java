package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * A UDP datagram (RFC 768): ports, checksum and payload. The length field is implied ({@code 8 + payload.length()}).
 *
 * <p>{@code checksum} is the value read by {@link #parse} (0 over IPv4 means "not computed"); {@link #encodeInto}
 * ignores it and always computes one.
 *
 * @param srcPort 0..65535
 * @param dstPort 0..65535
 * @param checksum as received (0 for datagrams built locally)
 * @param payload the data
 */
public record UdpDatagram(int srcPort, int dstPort, int checksum, Bytes payload) {

    public static final int HEADER_LENGTH = 8;
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF - HEADER_LENGTH;

    public UdpDatagram {
        Wire.checkRange("srcPort", srcPort, 0, 0xFFFF);
        Wire.checkRange("dstPort", dstPort, 0, 0xFFFF);
        Wire.checkRange("checksum", checksum, 0, 0xFFFF);
        Objects.requireNonNull(payload, "payload");
        Wire.checkRange("payload length", payload.length(), 0, MAX_PAYLOAD_LENGTH);
    }

    public static UdpDatagram of(int srcPort, int dstPort, Bytes payload) {
        return new UdpDatagram(srcPort, dstPort, 0, payload);
    }

    /**
     * Parses and verifies the datagram at {@code buf[off..off+len)}: the length field must lie in 8..len (bytes beyond
     * it are ignored); the checksum must verify over {@code ph}. A zero checksum is accepted over IPv4 (RFC 768: "no
     * checksum") and is {@link ParseError.Kind#BAD_VALUE} over IPv6 (RFC 8200 §8.1: receivers "MUST discard").
     */
    public static Parsed<UdpDatagram> parse(byte[] buf, int off, int len, PseudoHeader ph) {
        Wire.checkSlice(buf, off, len);
        Parsed<UdpDatagram> d = parseUnverified(buf, off, len);
        if (!(d instanceof Parsed.Ok<UdpDatagram> ok)) {
            return d;
        }
        UdpDatagram u = ok.value();
        if (u.checksum == 0) {
            if (ph.version() == 6) {
                return Parsed.err("udp.checksum", ParseError.Kind.BAD_VALUE, 6, "zero UDP checksum over IPv6");
            }
            return d;
        }
        int n = u.length();
        if (!Checksum.verifies(Checksum.add(ph.sum(IpProtocol.UDP, n), buf, off, n))) {
            return Parsed.err("udp.checksum", ParseError.Kind.BAD_CHECKSUM, 6, "checksum does not verify");
        }
        return d;
    }

    public static Parsed<UdpDatagram> parse(Bytes b, PseudoHeader ph) {
        return parse(b.array(), b.offset(), b.length(), ph);
    }

    /** Parses without verifying the checksum (for datagrams quoted in ICMP errors, or checksum offload). */
    public static Parsed<UdpDatagram> parseUnverified(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        if (len < HEADER_LENGTH) {
            return Wire.truncated("udp.header", 0, HEADER_LENGTH, len);
        }
        int length = Wire.u16(buf, off + 4);
        if (length < HEADER_LENGTH || length > len) {
            return Parsed.err(
                    "udp.length",
                    ParseError.Kind.BAD_LENGTH,
                    4,
                    "length " + length + " outside " + HEADER_LENGTH + ".." + len);
        }
        return Parsed.ok(new UdpDatagram(
                Wire.u16(buf, off),
                Wire.u16(buf, off + 2),
                Wire.u16(buf, off + 6),
                Bytes.copyOf(buf, off + HEADER_LENGTH, length - HEADER_LENGTH)));
    }

    /** The length field: header plus payload. */
    public int length() {
        return HEADER_LENGTH + payload.length();
    }

    /** Writes the datagram with a checksum over {@code ph}; returns {@link #length()}. */
    public int encodeInto(byte[] dst, int off, PseudoHeader ph) {
        int n = length();
        Wire.put16(dst, off, srcPort);
        Wire.put16(dst, off + 2, dstPort);
        Wire.put16(dst, off + 4, n);
        Wire.put16(dst, off + 6, 0);
        payload.copyTo(dst, off + HEADER_LENGTH);
        int c = Checksum.finish(Checksum.add(ph.sum(IpProtocol.UDP, n), dst, off, n));
        // RFC 768: "If the computed checksum is zero, it is transmitted as all ones".
        Wire.put16(dst, off + 6, c == 0 ? 0xFFFF : c);
        return n;
    }

    public byte[] encode(PseudoHeader ph) {
        byte[] b = new byte[length()];
        encodeInto(b, 0, ph);
        return b;
    }

    public UdpDatagram withChecksum(int c) {
        return new UdpDatagram(srcPort, dstPort, c, payload);
    }
}
