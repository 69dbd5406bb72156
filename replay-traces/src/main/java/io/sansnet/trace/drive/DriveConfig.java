package io.sansnet.trace.drive;

import io.sansnet.stack.tcp.TcpConfig;

/**
 * How a trace drives sansnet's TCP. Times are virtual nanoseconds.
 *
 * @param tcp sansnet's connection settings; {@code windowScaling}, {@code sack} and {@code timestamps} are overridden
 *     per connection to offer what the replaced endpoint offered in its captured SYN or SYN-ACK, so the options
 *     negotiated with the replayed peer are the captured ones (MSS and window-scale factor stay sansnet's own). The
 *     default raises the buffers to 16 MiB and the out-of-order and SACK-scoreboard ranges to 1024, because the
 *     replayed peer sends what the captured endpoint's (Linux-sized, up to megabytes) window allowed and never
 *     retransmits what the captured endpoint received.
 * @param maxAckWaitNanos how long (virtual time) a replayed packet that acknowledges bytes sansnet has not sent yet
 *     waits for the application's next write to send them; afterwards its ACK and SACK numbers are clamped to what
 *     sansnet sent and the rest is acknowledged once sansnet sends it. Default 250 ms: more than the skew between
 *     capture points of the corpus, under the 1 s minimum RTO (RFC 6298 (2.4)) so waiting never provokes a
 *     retransmission timeout on its own.
 * @param settleNanos after the last replayed packet and application action, sansnet's timers still run for this long
 *     (default 1 s: delayed ACKs and the last retransmissions); its later timers (TIME-WAIT) do not matter
 * @param maxSteps bound on the steps (packets, application actions, timer firings) of one connection's replay; a
 *     replay that needs more is reported as a divergence (default 10 000 000)
 * @param seed seeds sansnet's ISN, ephemeral port and timestamp offset (RFC 6528 keys)
 */
public record DriveConfig(TcpConfig tcp, long maxAckWaitNanos, long settleNanos, long maxSteps, long seed) {
    public static final int DEFAULT_BUFFER_BYTES = 16 << 20;
    public static final int DEFAULT_RANGES = 1024;
    public static final long DEFAULT_MAX_ACK_WAIT_NANOS = 250_000_000L;
    public static final long DEFAULT_SETTLE_NANOS = 1_000_000_000L;
    public static final long DEFAULT_MAX_STEPS = 10_000_000L;
    public static final long DEFAULT_SEED = 0x5a5a_2026L;

    public static final DriveConfig DEFAULT = new DriveConfig(
            TcpConfig.builder()
                    .sendBufferBytes(DEFAULT_BUFFER_BYTES)
                    .receiveBufferBytes(DEFAULT_BUFFER_BYTES)
                    .maxOutOfOrderRanges(DEFAULT_RANGES)
                    .maxScoreboardRanges(DEFAULT_RANGES)
                    .build(),
            DEFAULT_MAX_ACK_WAIT_NANOS,
            DEFAULT_SETTLE_NANOS,
            DEFAULT_MAX_STEPS,
            DEFAULT_SEED);

    public DriveConfig {
        if (tcp == null) {
            throw new IllegalArgumentException("tcp");
        }
        if (maxAckWaitNanos < 0 || settleNanos < 0 || maxSteps < 1) {
            throw new IllegalArgumentException("waits must be >= 0 and maxSteps >= 1");
        }
    }

    public DriveConfig withSeed(long s) {
        return new DriveConfig(tcp, maxAckWaitNanos, settleNanos, maxSteps, s);
    }
}
