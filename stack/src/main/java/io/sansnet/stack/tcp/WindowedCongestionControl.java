package io.sansnet.stack.tcp;

/**
 * The parts of RFC 5681/6582 every loss-based algorithm shares: slow start, the fast-recovery window arithmetic and
 * the reaction to a timeout. Subclasses supply congestion avoidance and the multiplicative decrease.
 */
public abstract class WindowedCongestionControl implements CongestionControl {

    protected final int smss;
    protected long cwnd;
    protected long ssthresh =
            Long.MAX_VALUE; // RFC 5681 §3.1: "initial value of ssthresh SHOULD be set arbitrarily high"

    protected WindowedCongestionControl(int smss, long initialWindowBytes) {
        if (smss <= 0 || initialWindowBytes < smss) {
            throw new IllegalArgumentException("need smss > 0 and IW >= smss");
        }
        this.smss = smss;
        this.cwnd = initialWindowBytes;
    }

    @Override
    public final long cwnd() {
        return cwnd;
    }

    @Override
    public final long ssthresh() {
        return ssthresh;
    }

    @Override
    public final int smss() {
        return smss;
    }

    @Override
    public final void onAck(long nowNanos, long ackedBytes, long srttNanos) {
        if (ackedBytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            // RFC 5681 §3.1 eq. 2: slow start, "cwnd += min (N, SMSS)"
            cwnd += Math.min(ackedBytes, smss);
        } else {
            congestionAvoidance(nowNanos, ackedBytes, srttNanos);
        }
    }

    @Override
    public final void onCongestionEvent(long nowNanos, long flightSizeBytes, RecoveryMode mode) {
        ssthresh = reducedSsthresh(flightSizeBytes);
        onReduction(nowNanos);
        // RFC 5681 §3.2 step 3 / RFC 6582: "cwnd = ssthresh + 3*SMSS" (inflated by the three duplicate ACKs);
        // RFC 6675 §5 step 4.2: with SACK, "cwnd = ssthresh" and the pipe estimate governs.
        cwnd = mode == RecoveryMode.NEW_RENO ? ssthresh + 3L * smss : ssthresh;
    }

    @Override
    public final void onDupAckInRecovery() {
        // RFC 5681 §3.2 step 4: "cwnd MUST be incremented by SMSS" for each additional duplicate ACK.
        cwnd += smss;
    }

    @Override
    public final void onPartialAck(long ackedBytes) {
        // RFC 6582 §3.2 step 5: "deflate the congestion window by the amount of new data acknowledged ...
        // If the partial ACK acknowledges at least one SMSS of new data, then add back SMSS bytes".
        cwnd = Math.max(smss, cwnd - ackedBytes + (ackedBytes >= smss ? smss : 0));
    }

    @Override
    public final void onRecoveryExit(long nowNanos, long flightSizeBytes, RecoveryMode mode) {
        if (mode == RecoveryMode.NEW_RENO) {
            // RFC 6582 §3.2 step 3 (full ACK), option 1: "Set cwnd to min (ssthresh, max(FlightSize, SMSS) + SMSS)"
            cwnd = Math.min(ssthresh, Math.max(flightSizeBytes, smss) + smss);
        } else {
            cwnd = ssthresh;
        }
    }

    @Override
    public final void onRetransmissionTimeout(long nowNanos, long flightSizeBytes) {
        ssthresh = reducedSsthresh(flightSizeBytes);
        onTimeoutReduction(nowNanos);
        // RFC 5681 §3.1: "cwnd MUST be set to no more than the loss window, LW, which equals 1 full-sized segment"
        cwnd = smss;
    }

    @Override
    public final void onUndo(long priorCwnd, long priorSsthresh) {
        cwnd = Math.max(cwnd, priorCwnd);
        ssthresh = Math.max(ssthresh, priorSsthresh);
        onUndoReduction();
    }

    /** Hook called after an undo restored cwnd and ssthresh. */
    protected void onUndoReduction() {}

    /** Congestion avoidance for one ACK of {@code ackedBytes} (cwnd >= ssthresh). */
    protected abstract void congestionAvoidance(long nowNanos, long ackedBytes, long srttNanos);

    /** The new ssthresh after a loss, from the flight size (NewReno) or cwnd (CUBIC). */
    protected abstract long reducedSsthresh(long flightSizeBytes);

    /** Hook called at a fast-recovery reduction after ssthresh was set. */
    protected void onReduction(long nowNanos) {}

    /** Hook called at a timeout reduction after ssthresh was set. */
    protected void onTimeoutReduction(long nowNanos) {}
}
