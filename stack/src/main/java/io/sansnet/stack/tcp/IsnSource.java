package io.sansnet.stack.tcp;

/**
 * Chooses initial sequence numbers and timestamp offsets. {@link Rfc6528Isn} is the real one; tests script fixed
 * numbers.
 */
public interface IsnSource {
    /** The ISS for a new connection on {@code tuple} at {@code nowNanos}. */
    int isn(FourTuple tuple, long nowNanos);

    /** The offset added to the millisecond clock for TSval on {@code tuple} (RFC 7323 §5.4 recommends randomising). */
    int timestampOffset(FourTuple tuple);
}
