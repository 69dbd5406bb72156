package io.sansnet.fuzz;

import java.util.Arrays;

/**
 * Reads a fuzzer's bytes front to back as a little script of operations. Past the end every read returns zero (or no
 * bytes), so any input is a valid script; {@link #hasMore()} ends the loop. The seed corpus is written in this layout
 * (see {@code fuzz/make-seeds.py}), which is why the targets do not use Jazzer's {@code FuzzedDataProvider}: its
 * numbers come from the end of the input, which makes seeds hard to write by hand.
 */
final class FuzzInput {
    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    boolean hasMore() {
        return pos < data.length;
    }

    int remaining() {
        return data.length - pos;
    }

    /** One byte as 0..255, or 0 past the end. */
    int u8() {
        return pos < data.length ? data[pos++] & 0xFF : 0;
    }

    /** Two bytes big-endian as 0..65535. */
    int u16() {
        return u8() << 8 | u8();
    }

    /** Four bytes big-endian. */
    int i32() {
        return u16() << 16 | u16();
    }

    boolean bool() {
        return (u8() & 1) != 0;
    }

    /** A value in {@code 0..bound-1}, from one byte when {@code bound <= 256}, else from two. */
    int below(int bound) {
        return (bound <= 256 ? u8() : u16()) % bound;
    }

    /** Exactly {@code n} bytes: what is left of the input, padded with zeros. */
    byte[] bytes(int n) {
        int have = Math.max(0, Math.min(n, data.length - pos));
        byte[] b = Arrays.copyOf(Arrays.copyOfRange(data, pos, pos + have), n);
        pos += have;
        return b;
    }

    /** Everything not read yet. */
    byte[] rest() {
        byte[] b = Arrays.copyOfRange(data, Math.min(pos, data.length), data.length);
        pos = data.length;
        return b;
    }
}
