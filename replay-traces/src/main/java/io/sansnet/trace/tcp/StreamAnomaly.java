package io.sansnet.trace.tcp;

/**
 * Something in a captured TCP byte stream that is not a clean in-order delivery. Offsets count stream bytes from 0
 * (the byte after the SYN, or the first byte seen when the capture began mid-connection).
 */
public sealed interface StreamAnomaly {
    /** The packet ({@code frame.number}) where it was seen; for a gap, the last packet of the connection. */
    long frameNumber();

    /** Every byte was delivered before: a retransmission. */
    record Retransmission(long frameNumber, Side from, long offset, int length) implements StreamAnomaly {}

    /** Bytes arrived that overlap delivered ones with different content; the first copy is kept (like tshark). */
    record ConflictingOverlap(long frameNumber, Side from, long offset, int length) implements StreamAnomaly {}

    /** Bytes arrived beyond the next expected offset and were held until the hole filled. */
    record OutOfOrder(long frameNumber, Side from, long offset, long expected) implements StreamAnomaly {}

    /**
     * Bytes that never arrived in the capture: the stream is delivered only up to {@code offset}; {@code
     * missingBytes} are absent before the next held data (or before the FIN).
     */
    record Gap(long frameNumber, Side from, long offset, long missingBytes) implements StreamAnomaly {}

    /** Payload after the sender's FIN. */
    record DataAfterFin(long frameNumber, Side from, long offset, int length) implements StreamAnomaly {}

    /** The TCP checksum does not verify (common for captures of locally sent packets: checksum offload). */
    record BadChecksum(long frameNumber, Side from) implements StreamAnomaly {}

    /** A {@link ReassemblyLimits} limit was reached; bytes past it are counted but not kept. */
    record LimitReached(long frameNumber, Side from, String limit) implements StreamAnomaly {}
}
