package io.sansnet.stack.tcp;

/**
 * A congestion-control algorithm: owns cwnd and ssthresh (in bytes) and reacts to the sender's ACK and loss events.
 * Loss <em>detection</em> (duplicate ACKs, SACK scoreboard, the retransmission timer) stays in {@link TcpConnection};
 * an algorithm only decides window sizes. Implementations: {@link NewReno} (RFC 5681, RFC 6582) and {@link Cubic}
 * (RFC 9438, the default).
 *
 * <p>Call order per ACK: outside recovery {@link #onAck}; a loss detected by duplicate ACKs or SACK calls
 * {@link #onCongestionEvent}; inside recovery {@link #onDupAckInRecovery} and {@link #onPartialAck}; recovery ends
 * with {@link #onRecoveryExit}. The first retransmission timeout for a segment calls {@link #onRetransmissionTimeout}.
 */
public interface CongestionControl {

    /** How fast recovery runs, which changes the window arithmetic inside it. */
    enum RecoveryMode {
        /** RFC 6582: the window is inflated by duplicate ACKs and deflated by partial ACKs. */
        NEW_RENO,
        /** RFC 6675: cwnd stays at ssthresh and the scoreboard's pipe estimate limits sending. */
        SACK
    }

    /** The congestion window in bytes. */
    long cwnd();

    /** The slow-start threshold in bytes ({@link Long#MAX_VALUE} until the first loss). */
    long ssthresh();

    /** SMSS in bytes (RFC 5681 §2), which all window arithmetic uses. */
    int smss();

    /** New data was cumulatively acknowledged outside loss recovery. */
    void onAck(long nowNanos, long ackedBytes, long srttNanos);

    /** Loss detected by duplicate ACKs or SACK (not by the timer): reduce the window and enter recovery. */
    void onCongestionEvent(long nowNanos, long flightSizeBytes, RecoveryMode mode);

    /** RFC 5681 §3.2 step 4: each further duplicate ACK in NewReno recovery inflates cwnd by SMSS. */
    void onDupAckInRecovery();

    /** RFC 6582 §3.2 step 5: a partial ACK in NewReno recovery deflates cwnd by the data it acknowledged. */
    void onPartialAck(long ackedBytes);

    /** Recovery ended: the cumulative ACK reached the recovery point. */
    void onRecoveryExit(long nowNanos, long flightSizeBytes, RecoveryMode mode);

    /** The first retransmission timeout for the oldest outstanding segment (RFC 5681 §3.1, eq. 4). */
    void onRetransmissionTimeout(long nowNanos, long flightSizeBytes);

    /**
     * The last reduction was unnecessary: every retransmission it caused was spurious (D-SACK, RFC 3708 §2; or the
     * timestamp test of RFC 3522 §2). Restores the window to what it was before (the "undo" of RFC 4015 §3.2 and
     * Linux's tcp_undo_cwnd_reduction): cwnd to at least {@code priorCwnd}, ssthresh to at least {@code
     * priorSsthresh}.
     */
    void onUndo(long priorCwnd, long priorSsthresh);

    /** The algorithm's name, as {@code ss -ti} prints it ("cubic", "reno"). */
    String name();

    /** RFC 5681 §3.1: the initial window IW from SMSS (2, 3 or 4 segments). */
    static long rfc5681InitialWindow(int smss) {
        if (smss > 2190) {
            return 2L * smss;
        } else if (smss > 1095) {
            return 3L * smss;
        }
        return 4L * smss;
    }
}
