package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * The TCP header (RFC 9293 §3.1). The data offset is implied by the options ({@code 5 + options.length() / 4}); the
 * four reserved bits are ignored on parse and sent as zero (RFC 9293 §3.1: "must be zero ... receivers MUST ignore").
 *
 * <p>{@code checksum} is what {@link #parse} read; {@link TcpSegment#encodeInto} computes the real one, while
 * {@link #encodeInto} writes this field as is.
 *
 * @param srcPort 0..65535
 * @param dstPort 0..65535
 * @param seq SEG.SEQ, 32-bit unsigned (compare mod 2^32: {@code a - b < 0})
 * @param ack SEG.ACK, 32-bit unsigned; meaningful when {@link TcpFlags#ACK} is set
 * @param flags the control bits
 * @param window SEG.WND as sent, 0..65535 (unscaled)
 * @param checksum as received (0 for headers built locally)
 * @param urgentPointer SEG.UP, 0..65535; meaningful when {@link TcpFlags#URG} is set
 * @param options the options
 */
public record TcpHeader(
        int srcPort,
        int dstPort,
        int seq,
        int ack,
        TcpFlags flags,
        int window,
        int checksum,
        int urgentPointer,
        TcpOptions options) {

    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = MIN_LENGTH + TcpOptions.MAX_LENGTH;

    public TcpHeader {
        Wire.checkRange("srcPort", srcPort, 0, 0xFFFF);
        Wire.checkRange("dstPort", dstPort, 0, 0xFFFF);
        Objects.requireNonNull(flags, "flags");
        Wire.checkRange("window", window, 0, 0xFFFF);
        Wire.checkRange("checksum", checksum, 0, 0xFFFF);
        Wire.checkRange("urgentPointer", urgentPointer, 0, 0xFFFF);
        Objects.requireNonNull(options, "options");
    }

    public static Builder builder(int srcPort, int dstPort) {
        return new Builder(srcPort, dstPort);
    }

    /**
     * Parses the header at {@code buf[off..off+len)} (no checksum: it covers the payload and pseudo-header, see
     * {@link TcpSegment#parse}). The data offset must lie in 5..15 words and within {@code len}.
     */
    public static Parsed<TcpHeader> parse(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        if (len < MIN_LENGTH) {
            return Wire.truncated("tcp.header", 0, MIN_LENGTH, len);
        }
        int headerLength = (Wire.u8(buf, off + 12) >>> 4) * 4;
        if (headerLength < MIN_LENGTH) {
            return Parsed.err(
                    "tcp.data_offset", ParseError.Kind.BAD_LENGTH, 12, "header length " + headerLength + " < 20");
        }
        if (headerLength > len) {
            return Parsed.err(
                    "tcp.data_offset",
                    ParseError.Kind.BAD_LENGTH,
                    12,
                    "header length " + headerLength + " > segment length " + len);
        }
        Parsed<TcpOptions> options = TcpOptions.parse(buf, off + MIN_LENGTH, headerLength - MIN_LENGTH, MIN_LENGTH);
        if (!(options instanceof Parsed.Ok<TcpOptions> ok)) {
            return Parsed.err(options.error());
        }
        return Parsed.ok(new TcpHeader(
                Wire.u16(buf, off),
                Wire.u16(buf, off + 2),
                Wire.i32(buf, off + 4),
                Wire.i32(buf, off + 8),
                new TcpFlags(Wire.u8(buf, off + 13)),
                Wire.u16(buf, off + 14),
                Wire.u16(buf, off + 16),
                Wire.u16(buf, off + 18),
                ok.value()));
    }

    /** Header length in octets. */
    public int length() {
        return MIN_LENGTH + options.length();
    }

    /** The data offset field: header length in 32-bit words. */
    public int dataOffset() {
        return length() / 4;
    }

    /** Writes the header with this record's checksum field; returns {@link #length()}. */
    public int encodeInto(byte[] dst, int off) {
        Wire.put16(dst, off, srcPort);
        Wire.put16(dst, off + 2, dstPort);
        Wire.put32(dst, off + 4, seq);
        Wire.put32(dst, off + 8, ack);
        Wire.put8(dst, off + 12, dataOffset() << 4);
        Wire.put8(dst, off + 13, flags.bits());
        Wire.put16(dst, off + 14, window);
        Wire.put16(dst, off + 16, checksum);
        Wire.put16(dst, off + 18, urgentPointer);
        options.encodeInto(dst, off + MIN_LENGTH);
        return length();
    }

    public TcpHeader withChecksum(int c) {
        return new TcpHeader(srcPort, dstPort, seq, ack, flags, window, c, urgentPointer, options);
    }

    @Override
    public String toString() {
        return "TcpHeader[" + srcPort + ">" + dstPort + " " + flags + " seq=" + Integer.toUnsignedString(seq)
                + " ack=" + Integer.toUnsignedString(ack) + " win=" + window + " up=" + urgentPointer + " cksum=0x"
                + Integer.toHexString(checksum) + " " + options + "]";
    }

    /** Builds headers field by field: flags none, window 0, no options unless set. */
    public static final class Builder {
        private final int srcPort;
        private final int dstPort;
        private int seq;
        private int ack;
        private TcpFlags flags = TcpFlags.NONE;
        private int window;
        private int urgentPointer;
        private TcpOptions options = TcpOptions.NONE;

        private Builder(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        public Builder seq(int v) {
            seq = v;
            return this;
        }

        public Builder ack(int v) {
            ack = v;
            return this;
        }

        public Builder flags(TcpFlags v) {
            flags = v;
            return this;
        }

        /** Flags from the {@link TcpFlags} bit constants. */
        public Builder flags(int bits) {
            flags = new TcpFlags(bits);
            return this;
        }

        public Builder window(int v) {
            window = v;
            return this;
        }

        public Builder urgentPointer(int v) {
            urgentPointer = v;
            return this;
        }

        public Builder options(TcpOptions v) {
            options = v;
            return this;
        }

        public TcpHeader build() {
            return new TcpHeader(srcPort, dstPort, seq, ack, flags, window, 0, urgentPointer, options);
        }
    }
}
