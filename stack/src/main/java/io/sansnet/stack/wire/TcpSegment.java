package io.sansnet.stack.wire;

import java.util.Objects;

/** A TCP segment: header and payload, with the checksum over the IPv4 or IPv6 pseudo-header (RFC 9293 §3.1). */
public record TcpSegment(TcpHeader header, Bytes payload) {

    public TcpSegment {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Parses and verifies the segment at {@code buf[off..off+len)}, where {@code len} is the IP payload length (TCP has
     * no length field). The checksum is verified first, so a corrupted segment reports
     * {@link ParseError.Kind#BAD_CHECKSUM} rather than whatever field the corruption hit.
     */
    public static Parsed<TcpSegment> parse(byte[] buf, int off, int len, PseudoHeader ph) {
        Wire.checkSlice(buf, off, len);
        if (len < TcpHeader.MIN_LENGTH) {
            return Wire.truncated("tcp.header", 0, TcpHeader.MIN_LENGTH, len);
        }
        // RFC 9293 §3.1 "Checksum": over the pseudo-header, the header and the data.
        if (!Checksum.verifies(Checksum.add(ph.sum(IpProtocol.TCP, len), buf, off, len))) {
            return Parsed.err("tcp.checksum", ParseError.Kind.BAD_CHECKSUM, 16, "checksum does not verify");
        }
        return parseUnverified(buf, off, len);
    }

    public static Parsed<TcpSegment> parse(Bytes b, PseudoHeader ph) {
        return parse(b.array(), b.offset(), b.length(), ph);
    }

    /** Parses without verifying the checksum (quoted segments in ICMP errors, offloaded paths, tests). */
    public static Parsed<TcpSegment> parseUnverified(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        Parsed<TcpHeader> h = TcpHeader.parse(buf, off, len);
        if (!(h instanceof Parsed.Ok<TcpHeader> ok)) {
            return Parsed.err(h.error());
        }
        int hl = (Wire.u8(buf, off + 12) >>> 4) * 4;
        return Parsed.ok(new TcpSegment(ok.value(), Bytes.copyOf(buf, off + hl, len - hl)));
    }

    /** Octets on the wire: header plus payload. */
    public int length() {
        return header.length() + payload.length();
    }

    /** SEG.LEN (RFC 9293 §3.4): payload octets plus one for SYN and one for FIN. */
    public int sequenceLength() {
        return payload.length()
                + (header.flags().syn() ? 1 : 0)
                + (header.flags().fin() ? 1 : 0);
    }

    /** Writes the segment with a checksum over {@code ph}; returns {@link #length()}. */
    public int encodeInto(byte[] dst, int off, PseudoHeader ph) {
        int n = header.withChecksum(0).encodeInto(dst, off);
        payload.copyTo(dst, off + n);
        int total = n + payload.length();
        Wire.put16(dst, off + 16, Checksum.finish(Checksum.add(ph.sum(IpProtocol.TCP, total), dst, off, total)));
        return total;
    }

    public byte[] encode(PseudoHeader ph) {
        byte[] b = new byte[length()];
        encodeInto(b, 0, ph);
        return b;
    }

    public TcpSegment withChecksum(int c) {
        return new TcpSegment(header.withChecksum(c), payload);
    }
}
