package io.sansnet.stack.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of a TCP header (RFC 9293 §3.1-3.2): MSS (RFC 9293 §3.7.1), window scale and timestamps (RFC 7323),
 * SACK-permitted and SACK blocks (RFC 2018), and any other option kept opaque in {@link #unknown}.
 *
 * <p>Encoding is canonical, as Linux lays a SYN out: MSS, SACK-permitted and timestamps (each NOP-aligned), NOP and
 * window scale, NOP NOP and SACK blocks, then unknown options, padded with EOL to a multiple of 4 octets. If that
 * aligned layout would exceed {@link #MAX_LENGTH}, the NOPs are left out. Parsing accepts any order and padding; when
 * an option appears twice the last one wins (as in Linux's {@code tcp_parse_options}); a known kind with an unexpected
 * length is kept in {@link #unknown} and otherwise ignored (Linux ignores it too).
 *
 * @param mss maximum segment size, 0..65535, if present
 * @param windowScale shift count as sent, 0..255, if present (RFC 7323 §2.3: receivers use at most 14)
 * @param sackPermitted whether SACK-permitted is present
 * @param timestamps TSval and TSecr, if present
 * @param sackBlocks SACK blocks in wire order, at most {@link #MAX_SACK_BLOCKS}
 * @param unknown other options in wire order
 */
public record TcpOptions(
        OptionalInt mss,
        OptionalInt windowScale,
        boolean sackPermitted,
        Optional<Timestamps> timestamps,
        List<SackBlock> sackBlocks,
        List<Unknown> unknown) {

    /** RFC 9293 §3.1: the data offset (4 bits, 32-bit words) leaves at most 40 octets for options. */
    public static final int MAX_LENGTH = 40;
    /** RFC 2018 §3: 40 octets hold at most 4 SACK blocks. */
    public static final int MAX_SACK_BLOCKS = 4;

    public static final int KIND_EOL = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    public static final TcpOptions NONE =
            new TcpOptions(OptionalInt.empty(), OptionalInt.empty(), false, Optional.empty(), List.of(), List.of());

    /**
     * A SACK block (RFC 2018 §3): the first sequence number of a received block and the one after its last.
     *
     * @param left left edge, 32-bit unsigned
     * @param right right edge, 32-bit unsigned
     */
    public record SackBlock(int left, int right) {
        @Override
        public String toString() {
            return Integer.toUnsignedString(left) + "-" + Integer.toUnsignedString(right);
        }
    }

    /**
     * The timestamps option (RFC 7323 §3).
     *
     * @param tsVal the sender's clock, 32-bit unsigned
     * @param tsEcr the echoed TSval, 32-bit unsigned
     */
    public record Timestamps(int tsVal, int tsEcr) {
        @Override
        public String toString() {
            return "TSval " + Integer.toUnsignedString(tsVal) + " TSecr " + Integer.toUnsignedString(tsEcr);
        }
    }

    /**
     * An option this codec does not interpret, carried as kind and data (the octets after kind and length).
     *
     * @param kind 2..255
     * @param data at most 38 octets
     */
    public record Unknown(int kind, Bytes data) {
        public Unknown {
            Wire.checkRange("kind", kind, 2, 255);
            Objects.requireNonNull(data, "data");
            Wire.checkRange("option data length", data.length(), 0, MAX_LENGTH - 2);
            if (isWellFormedKnown(kind, data.length() + 2)) {
                throw new IllegalArgumentException("kind " + kind + " with length " + (data.length() + 2)
                        + " is a known option, not an unknown one");
            }
        }

        int length() {
            return 2 + data.length();
        }
    }

    public TcpOptions {
        Objects.requireNonNull(mss, "mss");
        Objects.requireNonNull(windowScale, "windowScale");
        Objects.requireNonNull(timestamps, "timestamps");
        sackBlocks = List.copyOf(sackBlocks);
        unknown = List.copyOf(unknown);
        if (mss.isPresent()) {
            Wire.checkRange("mss", mss.getAsInt(), 0, 0xFFFF);
        }
        if (windowScale.isPresent()) {
            Wire.checkRange("windowScale", windowScale.getAsInt(), 0, 255);
        }
        Wire.checkRange("SACK blocks", sackBlocks.size(), 0, MAX_SACK_BLOCKS);
        int tight = tightLength(mss, windowScale, sackPermitted, timestamps, sackBlocks, unknown);
        if (pad4(tight) > MAX_LENGTH) {
            throw new IllegalArgumentException("options need " + tight + " octets, at most " + MAX_LENGTH);
        }
    }

    private static boolean isWellFormedKnown(int kind, int length) {
        return switch (kind) {
            case KIND_MSS -> length == 4;
            case KIND_WINDOW_SCALE -> length == 3;
            case KIND_SACK_PERMITTED -> length == 2;
            case KIND_TIMESTAMPS -> length == 10;
            case KIND_SACK -> length >= 10 && (length - 2) % 8 == 0 && (length - 2) / 8 <= MAX_SACK_BLOCKS;
            default -> false;
        };
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static int tightLength(
            OptionalInt mss,
            OptionalInt windowScale,
            boolean sackPermitted,
            Optional<Timestamps> timestamps,
            List<SackBlock> sackBlocks,
            List<Unknown> unknown) {
        int n = (mss.isPresent() ? 4 : 0)
                + (windowScale.isPresent() ? 3 : 0)
                + (sackPermitted ? 2 : 0)
                + (timestamps.isPresent() ? 10 : 0)
                + (sackBlocks.isEmpty() ? 0 : 2 + 8 * sackBlocks.size());
        for (Unknown u : unknown) {
            n += u.length();
        }
        return n;
    }

    private int alignedLength() {
        int n = mss.isPresent() ? 4 : 0;
        if (sackPermitted || timestamps.isPresent()) {
            n += timestamps.isPresent() ? 12 : 4;
        }
        n += windowScale.isPresent() ? 4 : 0;
        n += sackBlocks.isEmpty() ? 0 : 4 + 8 * sackBlocks.size();
        for (Unknown u : unknown) {
            n += u.length();
        }
        return pad4(n);
    }

    private boolean aligned() {
        return alignedLength() <= MAX_LENGTH;
    }

    /** Encoded length in octets, a multiple of 4, at most {@link #MAX_LENGTH}. */
    public int length() {
        return aligned()
                ? alignedLength()
                : pad4(tightLength(mss, windowScale, sackPermitted, timestamps, sackBlocks, unknown));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public TcpOptions withMss(int v) {
        return new TcpOptions(OptionalInt.of(v), windowScale, sackPermitted, timestamps, sackBlocks, unknown);
    }

    public TcpOptions withWindowScale(int v) {
        return new TcpOptions(mss, OptionalInt.of(v), sackPermitted, timestamps, sackBlocks, unknown);
    }

    public TcpOptions withSackPermitted() {
        return new TcpOptions(mss, windowScale, true, timestamps, sackBlocks, unknown);
    }

    public TcpOptions withTimestamps(int tsVal, int tsEcr) {
        return new TcpOptions(
                mss, windowScale, sackPermitted, Optional.of(new Timestamps(tsVal, tsEcr)), sackBlocks, unknown);
    }

    public TcpOptions withSackBlocks(List<SackBlock> blocks) {
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, blocks, unknown);
    }

    public TcpOptions withUnknown(List<Unknown> u) {
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, sackBlocks, u);
    }

    /**
     * Parses the options area {@code buf[off..off+len)}; {@code base} is the area's offset in the TCP header, for error
     * offsets (20 when called on a header).
     */
    public static Parsed<TcpOptions> parse(byte[] buf, int off, int len, int base) {
        Wire.checkSlice(buf, off, len);
        OptionalInt mss = OptionalInt.empty();
        OptionalInt windowScale = OptionalInt.empty();
        boolean sackPermitted = false;
        Optional<Timestamps> timestamps = Optional.empty();
        List<SackBlock> sackBlocks = List.of();
        List<Unknown> unknown = new ArrayList<>();
        int i = 0;
        while (i < len) {
            int kind = Wire.u8(buf, off + i);
            if (kind == KIND_EOL) {
                break; // RFC 9293 §3.1: the end of the option list; the rest is padding
            }
            if (kind == KIND_NOP) {
                i++;
                continue;
            }
            // RFC 9293 §3.1: "a TCP implementation MUST be able to receive a TCP Option in any segment"... "MUST
            // be prepared to handle an illegal option length (e.g., zero)".
            if (i + 1 >= len) {
                return Parsed.err(
                        "tcp.option.length",
                        ParseError.Kind.TRUNCATED,
                        base + i,
                        "option kind " + kind + " has no length");
            }
            int optLen = Wire.u8(buf, off + i + 1);
            if (optLen < 2 || optLen > len - i) {
                return Parsed.err(
                        "tcp.option.length",
                        ParseError.Kind.BAD_LENGTH,
                        base + i + 1,
                        "option kind " + kind + " length " + optLen + ", " + (len - i) + " octets left");
            }
            int d = off + i + 2;
            if (!isWellFormedKnown(kind, optLen)) {
                unknown.add(new Unknown(kind, Bytes.copyOf(buf, d, optLen - 2)));
            } else if (kind == KIND_MSS) {
                mss = OptionalInt.of(Wire.u16(buf, d));
            } else if (kind == KIND_WINDOW_SCALE) {
                windowScale = OptionalInt.of(Wire.u8(buf, d));
            } else if (kind == KIND_SACK_PERMITTED) {
                sackPermitted = true;
            } else if (kind == KIND_TIMESTAMPS) {
                timestamps = Optional.of(new Timestamps(Wire.i32(buf, d), Wire.i32(buf, d + 4)));
            } else { // KIND_SACK
                List<SackBlock> blocks = new ArrayList<>();
                for (int b = 0; b < (optLen - 2) / 8; b++) {
                    blocks.add(new SackBlock(Wire.i32(buf, d + 8 * b), Wire.i32(buf, d + 8 * b + 4)));
                }
                sackBlocks = blocks;
            }
            i += optLen;
        }
        return Parsed.ok(new TcpOptions(mss, windowScale, sackPermitted, timestamps, sackBlocks, unknown));
    }

    /** Writes the options, padded to {@link #length()}; returns that length. */
    public int encodeInto(byte[] dst, int off) {
        boolean nops = aligned();
        int p = off;
        if (mss.isPresent()) {
            p = put(dst, p, KIND_MSS, 4);
            Wire.put16(dst, p, mss.getAsInt());
            p += 2;
        }
        if (sackPermitted && timestamps.isPresent()) {
            p = put(dst, p, KIND_SACK_PERMITTED, 2);
        } else if (nops && (sackPermitted || timestamps.isPresent())) {
            dst[p++] = KIND_NOP;
            dst[p++] = KIND_NOP;
        }
        if (sackPermitted && timestamps.isEmpty()) {
            p = put(dst, p, KIND_SACK_PERMITTED, 2);
        }
        if (timestamps.isPresent()) {
            p = put(dst, p, KIND_TIMESTAMPS, 10);
            Wire.put32(dst, p, timestamps.get().tsVal());
            Wire.put32(dst, p + 4, timestamps.get().tsEcr());
            p += 8;
        }
        if (windowScale.isPresent()) {
            if (nops) {
                dst[p++] = KIND_NOP;
            }
            p = put(dst, p, KIND_WINDOW_SCALE, 3);
            dst[p++] = (byte) windowScale.getAsInt();
        }
        if (!sackBlocks.isEmpty()) {
            if (nops) {
                dst[p++] = KIND_NOP;
                dst[p++] = KIND_NOP;
            }
            p = put(dst, p, KIND_SACK, 2 + 8 * sackBlocks.size());
            for (SackBlock b : sackBlocks) {
                Wire.put32(dst, p, b.left());
                Wire.put32(dst, p + 4, b.right());
                p += 8;
            }
        }
        for (Unknown u : unknown) {
            p = put(dst, p, u.kind(), u.length());
            u.data().copyTo(dst, p);
            p += u.data().length();
        }
        int end = off + length();
        while (p < end) {
            dst[p++] = KIND_EOL;
        }
        return end - off;
    }

    private static int put(byte[] dst, int p, int kind, int length) {
        dst[p] = (byte) kind;
        dst[p + 1] = (byte) length;
        return p + 2;
    }
}
