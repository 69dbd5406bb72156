package io.sansnet.stack.wire;

/** Big-endian field access for the codecs. Callers check bounds first. */
final class Wire {
    private Wire() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static int i32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    static void put8(byte[] b, int i, int v) {
        b[i] = (byte) v;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void checkRange(String what, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " " + v + " outside " + lo + ".." + hi);
        }
    }

    /**
     * The slice a parser is given must lie within its array: that is the caller's contract, checked up front (an
     * {@link IndexOutOfBoundsException} is a caller bug, not bad input). Within the slice any bytes are fine.
     */
    static void checkSlice(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
    }

    static <T> Parsed<T> truncated(String field, int offset, int need, int have) {
        return Parsed.err(field, ParseError.Kind.TRUNCATED, offset, "need " + need + " bytes, have " + have);
    }
}
