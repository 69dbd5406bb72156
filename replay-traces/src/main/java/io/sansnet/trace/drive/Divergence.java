package io.sansnet.trace.drive;

/**
 * The first point where sansnet, driven by a trace, did not behave as the captured endpoint did (or broke a rule of
 * TCP).
 *
 * @param frameNumber the capture's packet ({@code frame.number}, 1-based) it is attributed to: the packet whose bytes
 *     sansnet delivered differently, the packet whose acknowledgment sansnet never earned, the captured packet whose
 *     payload differs from the expected stream or whose bad checksum shows it was altered after capture, or, for an invalid segment of sansnet's, the last packet fed before
 *     sansnet emitted it (0 when none had been fed)
 * @param timeNanos virtual time since the connection's first captured packet
 * @param kind what went wrong
 * @param detail one line for a person
 */
public record Divergence(long frameNumber, long timeNanos, Kind kind, String detail) {

    /** What diverged. */
    public enum Kind {
        /** A segment sansnet sent breaks a rule: checksum, window, ACK, flags, options, payload. */
        INVALID_SEGMENT,
        /** sansnet's application received bytes that differ from the replayed peer's captured stream. */
        STREAM_MISMATCH,
        /** sansnet's application received fewer bytes (or no end of stream) than the capture shows. */
        STREAM_INCOMPLETE,
        /** The capture's peer acknowledged bytes sansnet never sent. */
        MISSING_OUTPUT,
        /** A captured segment's payload differs from the expected stream given for the replay. */
        TRACE_MISMATCH,
        /**
         * A captured segment fails its TCP checksum although its sender's checksums are not offloaded and no later
         * segment retransmits it: the capture's receiver accepted it, so the capture was changed after it was taken
         * (see {@link DrivePlan}). Reported before anything is fed.
         */
        CORRUPT_CAPTURE,
        /** The replay exceeded {@link DriveConfig#maxSteps()}. */
        NO_PROGRESS
    }

    /** {@code packet N: detail}. */
    public String describe() {
        return "packet " + frameNumber + " (t=" + String.format(java.util.Locale.ROOT, "%.6f", timeNanos / 1e9)
                + " s): " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + detail;
    }
}
