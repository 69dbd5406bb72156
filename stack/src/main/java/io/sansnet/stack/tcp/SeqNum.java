package io.sansnet.stack.tcp;

/**
 * A TCP sequence number: 32 bits compared modulo 2^32 (RFC 9293 §3.4, "all arithmetic dealing with sequence numbers
 * must be performed modulo 2**32").
 *
 * <p>Comparisons follow serial-number arithmetic (RFC 1982): {@code a < b} when {@code b - a}, taken as a signed 32-bit
 * difference, is positive. They are meaningful only for numbers less than 2^31 apart, which TCP guarantees because no
 * window exceeds 2^30 (RFC 7323 §2.3). The static methods on {@code int} are used on the per-segment path; the record is
 * the value handed to users and tests.
 *
 * @param value the 32 bits, as a Java int (so 0xFFFFFFFF is {@code -1})
 */
public record SeqNum(int value) implements Comparable<SeqNum> {

    public static SeqNum of(long unsigned) {
        return new SeqNum((int) unsigned);
    }

    /** This number plus {@code n} octets, wrapping modulo 2^32. */
    public SeqNum add(long n) {
        return new SeqNum(add(value, n));
    }

    /** The signed distance {@code this - other}: positive when this is after other. */
    public int sub(SeqNum other) {
        return sub(value, other.value);
    }

    public boolean lt(SeqNum o) {
        return lt(value, o.value);
    }

    public boolean le(SeqNum o) {
        return le(value, o.value);
    }

    public boolean gt(SeqNum o) {
        return gt(value, o.value);
    }

    public boolean ge(SeqNum o) {
        return ge(value, o.value);
    }

    /** {@code start <= this < start + size}, the window test of RFC 9293 §3.4 (size 0 contains nothing). */
    public boolean inWindow(SeqNum start, long size) {
        return inWindow(value, start.value, size);
    }

    /** The value as an unsigned number 0..2^32-1. */
    public long unsigned() {
        return Integer.toUnsignedLong(value);
    }

    /** Serial order relative to {@code o}; not a total order over all 2^32 values (it is not transitive). */
    @Override
    public int compareTo(SeqNum o) {
        return Integer.signum(sub(value, o.value));
    }

    @Override
    public String toString() {
        return Long.toString(unsigned());
    }

    // --- int arithmetic for the per-segment path ---

    public static int add(int seq, long n) {
        return (int) (seq + n);
    }

    /** {@code a - b} as a signed 32-bit distance. */
    public static int sub(int a, int b) {
        return a - b;
    }

    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    public static int max(int a, int b) {
        return ge(a, b) ? a : b;
    }

    public static int min(int a, int b) {
        return le(a, b) ? a : b;
    }

    /** {@code start <= seq < start + size} modulo 2^32; {@code size} is 0..2^32. */
    public static boolean inWindow(int seq, int start, long size) {
        return Integer.toUnsignedLong(seq - start) < size;
    }
}
