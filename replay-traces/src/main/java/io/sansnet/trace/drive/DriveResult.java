package io.sansnet.trace.drive;

/** How the replay of one captured connection went. */
public sealed interface DriveResult {
    /** The connection's number in the trace (as {@code replay --extract} counts them). */
    int connection();

    /** sansnet's segments were all valid and its application received the captured stream. */
    record Matched(int connection, DriveStats stats) implements DriveResult {}

    /** The first divergence; the replay stopped there. */
    record Diverged(int connection, Divergence divergence, DriveStats stats) implements DriveResult {}

    /** The capture lacks what a replay needs (the handshake, or bytes the replaced endpoint sent). */
    record NotDrivable(int connection, String reason) implements DriveResult {}

    /**
     * What happened during a replay.
     *
     * @param peerPacketsFed replayed packets handed to sansnet
     * @param segmentsChecked segments sansnet sent (all checked)
     * @param bytesSent stream bytes sansnet's application wrote and sansnet sent at least once
     * @param bytesDelivered stream bytes sansnet's application received
     * @param waits replayed packets that had to wait for sansnet to send what they acknowledge
     * @param clamped replayed packets whose ACK or SACK numbers were clamped to what sansnet had sent
     * @param deferredAcks pure ACKs from the peer that acknowledged, once sansnet had sent them, bytes a clamped
     *     packet acknowledged in the capture
     * @param resetsSent RSTs sansnet sent
     * @param corruptFed replayed packets that were corrupted on the network before the capture point, fed with a
     *     failing TCP checksum (see {@link DrivePlan})
     * @param segmentsDropped replayed segments sansnet's TCP dropped because they did not parse or verify (its
     *     {@code badSegments} counter): equal to {@code corruptFed} when sansnet drops what the captured receiver did
     * @param virtualNanos virtual time the replay took
     */
    record DriveStats(
            long peerPacketsFed,
            long segmentsChecked,
            long bytesSent,
            long bytesDelivered,
            long waits,
            long clamped,
            long deferredAcks,
            long resetsSent,
            long corruptFed,
            long segmentsDropped,
            long virtualNanos) {}
}
