package io.sansnet.trace.pcap;

import java.math.BigInteger;

/**
 * A timestamp unit of {@code base^-exponent} seconds: pcapng's {@code if_tsresol} option (draft-ietf-opsawg-pcapng
 * §4.2: "If the Most Significant Bit is equal to zero, the remaining bits indicates the resolution of the timestamp
 * as a negative power of 10 ... If the Most Significant Bit is equal to one, the remaining bits indicates the
 * resolution as negative power of 2").
 *
 * @param base 10 or 2
 * @param exponent 0..127
 */
public record TimestampResolution(int base, int exponent) {
    /** The pcapng default and classic pcap's usual unit. */
    public static final TimestampResolution MICROSECONDS = new TimestampResolution(10, 6);
    /** What sansnet writes ({@code if_tsresol = 9}). */
    public static final TimestampResolution NANOSECONDS = new TimestampResolution(10, 9);

    /** Returned by {@link #toNanos} when the result does not fit in a signed 64-bit count of nanoseconds. */
    static final long OUT_OF_RANGE = Long.MIN_VALUE;

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public TimestampResolution {
        if (base != 10 && base != 2) {
            throw new IllegalArgumentException("base must be 10 or 2: " + base);
        }
        if (exponent < 0 || exponent > 127) {
            throw new IllegalArgumentException("exponent must be 0..127: " + exponent);
        }
    }

    /** Decodes the one-byte {@code if_tsresol} value. */
    public static TimestampResolution fromTsresol(int value) {
        return (value & 0x80) != 0
                ? new TimestampResolution(2, value & 0x7f)
                : new TimestampResolution(10, value & 0x7f);
    }

    /** The one-byte {@code if_tsresol} value. */
    public int tsresol() {
        return base == 2 ? 0x80 | exponent : exponent;
    }

    /**
     * Converts an unsigned 64-bit count of units to nanoseconds (rounding towards zero), or {@link #OUT_OF_RANGE}.
     */
    long toNanos(long unsignedUnits) {
        if (base == 10 && exponent <= 9) {
            if (unsignedUnits < 0) {
                return OUT_OF_RANGE;
            }
            long factor = pow10(9 - exponent);
            return unsignedUnits > Long.MAX_VALUE / factor ? OUT_OF_RANGE : unsignedUnits * factor;
        }
        // Rare resolutions (picoseconds, powers of two): exact arithmetic.
        BigInteger units = new BigInteger(Long.toUnsignedString(unsignedUnits));
        BigInteger scaled = units.multiply(NANOS_PER_SECOND);
        BigInteger nanos = base == 2 ? scaled.shiftRight(exponent) : scaled.divide(BigInteger.TEN.pow(exponent));
        return nanos.compareTo(LONG_MAX) > 0 ? OUT_OF_RANGE : nanos.longValueExact();
    }

    private static long pow10(int n) {
        long r = 1;
        for (int i = 0; i < n; i++) {
            r *= 10;
        }
        return r;
    }

    @Override
    public String toString() {
        return base + "^-" + exponent + " s";
    }
}
