package io.sansnet.stack.tcp;

/**
 * The retransmission-timeout estimator of <a href="https://www.rfc-editor.org/rfc/rfc6298">RFC 6298</a>: SRTT, RTTVAR,
 * RTO with a configurable floor and ceiling, and exponential backoff. All times are nanoseconds.
 *
 * <p>Karn's rule (RFC 6298 §3: "RTT samples MUST NOT be made using segments that were retransmitted") is the caller's
 * side: {@link TcpConnection} times only segments sent once. This class only never lets a sample undo a backoff until
 * the next sample arrives, which is the second half of Karn's algorithm (§5 (5.5)-(5.7)).
 */
public final class RttEstimator {

    /** RFC 6298 §2: "α = 1/8" (as a shift). */
    private static final int ALPHA_SHIFT = 3;
    /** RFC 6298 §2: "β = 1/4" (as a shift). */
    private static final int BETA_SHIFT = 2;
    /** RFC 6298 §2: "K = 4". */
    private static final int K = 4;

    private final long minRtoNanos;
    private final long maxRtoNanos;
    private final long granularityNanos;

    private boolean hasSample;
    private long srttNanos;
    private long rttvarNanos;
    private long baseRtoNanos;
    private int backoffs;

    /**
     * @param initialRtoNanos RFC 6298 (2.1): "Until a round-trip time (RTT) measurement has been made ... the sender SHOULD
     *     set RTO <- 1 second"
     * @param minRtoNanos RFC 6298 (2.4): "Whenever RTO is computed, if it is less than 1 second, then the RTO SHOULD be
     *     rounded up to 1 second" (simulations lower it)
     * @param maxRtoNanos RFC 6298 (2.5): "A maximum value MAY be placed on RTO provided it is at least 60 seconds"
     * @param granularityNanos the clock granularity G of RFC 6298 §2
     */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos, long granularityNanos) {
        if (minRtoNanos <= 0 || minRtoNanos > maxRtoNanos) {
            throw new IllegalArgumentException("need 0 < minRto <= maxRto");
        }
        this.minRtoNanos = minRtoNanos;
        this.maxRtoNanos = maxRtoNanos;
        this.granularityNanos = granularityNanos;
        this.baseRtoNanos = clamp(initialRtoNanos);
    }

    /** Feeds one RTT measurement R (RFC 6298 §2 (2.2)/(2.3)) and clears any backoff. */
    public void sample(long rttNanos) {
        long r = Math.max(rttNanos, 0);
        if (!hasSample) {
            // (2.2) SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max (G, K*RTTVAR)
            srttNanos = r;
            rttvarNanos = r / 2;
            hasSample = true;
        } else {
            // (2.3) RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|; SRTT <- (1 - alpha) * SRTT + alpha * R'
            long delta = Math.abs(srttNanos - r);
            rttvarNanos = rttvarNanos - (rttvarNanos >> BETA_SHIFT) + (delta >> BETA_SHIFT);
            srttNanos = srttNanos - (srttNanos >> ALPHA_SHIFT) + (r >> ALPHA_SHIFT);
        }
        baseRtoNanos = clamp(srttNanos + Math.max(granularityNanos, K * rttvarNanos));
        backoffs = 0;
    }

    /**
     * RFC 6298 (5.7): "If the timer expires awaiting the ACK of a SYN segment and the TCP implementation is using an RTO
     * less than 3 seconds, the RTO MUST be re-initialized to 3 seconds when data transmission begins". Only without a
     * sample (a retransmitted SYN gives none, by Karn's rule).
     */
    public void afterSynTimeout() {
        if (!hasSample) {
            baseRtoNanos = Math.max(baseRtoNanos, clamp(SYN_TIMEOUT_FALLBACK_NANOS));
        }
        backoffs = 0;
    }

    /** RFC 6298 (5.7): 3 seconds. */
    static final long SYN_TIMEOUT_FALLBACK_NANOS = 3_000_000_000L;

    /** RFC 6298 (5.5): "The host MUST set RTO <- RTO * 2 ("back off the timer")", up to the maximum. */
    public void backoff() {
        if (backoffs < 62) {
            backoffs++;
        }
    }

    /** Drops the backoff without a sample (a new ACK arrived for data not retransmitted). */
    public void resetBackoff() {
        backoffs = 0;
    }

    /** The current RTO including backoff, within [minRto, maxRto]. */
    public long rtoNanos() {
        long rto = baseRtoNanos;
        for (int i = 0; i < backoffs && rto < maxRtoNanos; i++) {
            rto <<= 1;
        }
        return Math.min(rto, maxRtoNanos);
    }

    /** How many times the RTO has been doubled since the last sample. */
    public int backoffs() {
        return backoffs;
    }

    public boolean hasSample() {
        return hasSample;
    }

    /** SRTT in nanoseconds, or 0 before the first sample. */
    public long srttNanos() {
        return hasSample ? srttNanos : 0;
    }

    /** RTTVAR in nanoseconds, or 0 before the first sample. */
    public long rttvarNanos() {
        return hasSample ? rttvarNanos : 0;
    }

    private long clamp(long rto) {
        return Math.max(minRtoNanos, Math.min(maxRtoNanos, rto));
    }
}
