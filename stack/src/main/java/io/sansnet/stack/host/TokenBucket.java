package io.sansnet.stack.host;

/**
 * A token bucket on the caller's nanosecond clock, in integer arithmetic only (so every JVM decides the same way):
 * {@code ratePerSecond} tokens accrue per second up to {@code burst}; each allowed event spends one. Used to limit ICMP
 * error messages, as RFC 4443 §2.4 (f) recommends ("a token bucket ... B tokens ... N tokens per second") and RFC
 * 1812 §4.3.2.8 asks of IPv4 routers.
 *
 * <p>Credit is held in nanoseconds of accrual: one token is worth {@code 1e9 / ratePerSecond} ns. The bucket starts
 * full. A clock that goes backwards accrues nothing.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long nanosPerToken;
    private final long capacityNanos;
    private long creditNanos;
    private long lastNanos;
    private boolean started;

    /**
     * @param ratePerSecond tokens per second, at least 1
     * @param burst bucket size in tokens, at least 1
     */
    TokenBucket(int ratePerSecond, int burst) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive: " + ratePerSecond + ", " + burst);
        }
        this.nanosPerToken = Math.max(1, NANOS_PER_SECOND / ratePerSecond);
        this.capacityNanos = nanosPerToken * burst;
        this.creditNanos = capacityNanos;
    }

    /** True, spending one token, when one is available at {@code nowNanos}; false otherwise. */
    boolean tryAcquire(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
        } else if (nowNanos > lastNanos) {
            long elapsed = nowNanos - lastNanos;
            // a huge gap (or one that overflowed) fills the bucket: cap before adding so nothing overflows
            creditNanos = elapsed < 0 || elapsed >= capacityNanos - creditNanos ? capacityNanos : creditNanos + elapsed;
            lastNanos = nowNanos;
        }
        if (creditNanos >= nanosPerToken) {
            creditNanos -= nanosPerToken;
            return true;
        }
        return false;
    }
}
