package io.sansnet.stack.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable run of bytes with value semantics ({@code equals} compares contents), used for payloads and options in
 * the wire records. Factories that take a caller's array copy it; {@link #slice} shares the storage, which is safe
 * because nobody holds a mutable reference to it.
 */
public final class Bytes {

    public static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private Bytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of {@code b}. */
    public static Bytes copyOf(byte[] b) {
        return copyOf(b, 0, b.length);
    }

    /** A copy of {@code len} bytes of {@code b} from {@code off}. */
    public static Bytes copyOf(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return EMPTY;
        }
        return new Bytes(Arrays.copyOfRange(b, off, off + len), 0, len);
    }

    /** A copy of the remaining bytes of {@code buf}; its position is not changed. */
    public static Bytes copyOf(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.duplicate().get(b);
        return new Bytes(b, 0, b.length);
    }

    /** Bytes from int values 0..255 (for tests and literals). */
    public static Bytes of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return new Bytes(b, 0, b.length);
    }

    /** Takes ownership of {@code b} without copying: the caller must never modify it again. */
    static Bytes adopt(byte[] b) {
        return b.length == 0 ? EMPTY : new Bytes(b, 0, b.length);
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** The byte at {@code i}, signed as Java bytes are. */
    public byte get(int i) {
        Objects.checkIndex(i, length);
        return array[offset + i];
    }

    /** The byte at {@code i} as 0..255. */
    public int getUnsigned(int i) {
        return get(i) & 0xFF;
    }

    /** The bytes {@code [off, off+len)}, sharing storage. */
    public Bytes slice(int off, int len) {
        Objects.checkFromIndexSize(off, len, length);
        if (len == 0) {
            return EMPTY;
        }
        if (off == 0 && len == length) {
            return this;
        }
        return new Bytes(array, offset + off, len);
    }

    /** A fresh copy as an array. */
    public byte[] toArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** Copies all bytes into {@code dst} at {@code dstOff}. */
    public void copyTo(byte[] dst, int dstOff) {
        System.arraycopy(array, offset, dst, dstOff, length);
    }

    /** A read-only buffer over the bytes (no copy). */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    /** Backing array, for zero-copy parsing inside this package: never modify it. */
    byte[] array() {
        return array;
    }

    /** Offset of the first byte in {@link #array()}. */
    int offset() {
        return offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other
                && Arrays.equals(
                        array, offset, offset + length, other.array, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    /** Hex of the first 64 bytes, then the total length. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(length, 64);
        for (int i = 0; i < shown; i++) {
            sb.append(Character.forDigit((array[offset + i] >> 4) & 0xF, 16))
                    .append(Character.forDigit(array[offset + i] & 0xF, 16));
        }
        if (shown < length) {
            sb.append("...");
        }
        return sb.append("](").append(length).append(" bytes)").toString();
    }
}
