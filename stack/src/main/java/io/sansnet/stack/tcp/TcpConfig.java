package io.sansnet.stack.tcp;

/**
 * Per-connection TCP settings and limits. Every default names its source; times are nanoseconds, sizes octets.
 *
 * @param maxSegmentSize the MSS we announce and the largest payload we send (RFC 9293 §3.7.1; 1460 = 1500-octet MTU
 *     minus 40 octets of IPv4 and TCP headers). The host clamps it to the path MTU.
 * @param defaultPeerMss the send MSS when the peer's SYN has no MSS option (RFC 9293 §3.7.1: 536 for IPv4, 1220 for
 *     IPv6)
 * @param sendBufferBytes bound on octets queued but not yet acknowledged
 * @param receiveBufferBytes bound on octets received but not yet read, out-of-order ones included; the most the
 *     receive window ever offers
 * @param maxOutOfOrderRanges bound on separate out-of-order ranges held for reassembly
 * @param maxScoreboardRanges bound on SACKed ranges the sender remembers (RFC 6675 scoreboard)
 * @param initialRtoNanos RFC 6298 (2.1): 1 second
 * @param minRtoNanos RFC 6298 (2.4): 1 second (Linux uses 200 ms; simulations lower it)
 * @param maxRtoNanos RFC 6298 (2.5): at least 60 seconds
 * @param clockGranularityNanos G of RFC 6298 §2: 1 ms
 * @param maxRetries retransmission timeouts in a row before the connection times out (RFC 9293 §3.8.3 "R2"; 15 as
 *     Linux's tcp_retries2)
 * @param maxSynRetries SYN or SYN-ACK retransmissions before a connect fails (6 as Linux's tcp_syn_retries)
 * @param userTimeoutNanos RFC 9293 §3.8.4 user timeout: the longest data may stay unacknowledged; 0 turns it off
 * @param mslNanos the Maximum Segment Lifetime; TIME-WAIT lasts 2*MSL (RFC 9293 §3.4.2: "2 minutes")
 * @param ackDelayNanos the delayed-ACK timer (RFC 9293 §3.8.6.3: "MUST be less than 0.5 seconds"; 200 ms as BSD)
 * @param noDelay true turns Nagle's algorithm off (RFC 9293 §3.7.4: on by default)
 * @param windowScaling offer window scaling (RFC 7323 §2)
 * @param sack offer SACK (RFC 2018)
 * @param timestamps offer timestamps (RFC 7323 §3)
 * @param congestionControl the algorithm; CUBIC by default as in Linux
 * @param initialWindowSegments IW in segments, or 0 for RFC 5681 §3.1's 2-4 segments
 * @param challengeAcksPerSecond RFC 5961 §7 rate limit on challenge ACKs per connection
 * @param keepAliveIdleNanos idle time before the first keep-alive probe, or 0 for none (RFC 9293 §3.8.4: keep-alives
 *     "MUST default to off" and the interval "MUST default to no less than two hours")
 * @param keepAliveIntervalNanos time between unanswered keep-alive probes (75 s as Linux's tcp_keepalive_intvl)
 * @param keepAliveProbes unanswered probes before the connection times out (9 as Linux's tcp_keepalive_probes)
 * @param invalidAckIntervalNanos the least time between two ACKs sent in reply to unacceptable segments without data
 *     (RFC 9293 §3.10.7.4 "an acknowledgment should be sent in reply"; PAWS drops are not limited), per connection:
 *     two endpoints that disagree on sequence numbers (a half-open connection) would otherwise answer each other's
 *     ACKs forever. 500 ms as Linux's {@code net.ipv4.tcp_invalid_ratelimit} (see also RFC 5961 §7); 0 turns the
 *     limit off
 */
public record TcpConfig(
        int maxSegmentSize,
        int defaultPeerMss,
        int sendBufferBytes,
        int receiveBufferBytes,
        int maxOutOfOrderRanges,
        int maxScoreboardRanges,
        long initialRtoNanos,
        long minRtoNanos,
        long maxRtoNanos,
        long clockGranularityNanos,
        int maxRetries,
        int maxSynRetries,
        long userTimeoutNanos,
        long mslNanos,
        long ackDelayNanos,
        boolean noDelay,
        boolean windowScaling,
        boolean sack,
        boolean timestamps,
        CongestionAlgorithm congestionControl,
        int initialWindowSegments,
        int challengeAcksPerSecond,
        long keepAliveIdleNanos,
        long keepAliveIntervalNanos,
        int keepAliveProbes,
        long invalidAckIntervalNanos) {

    /** The congestion-control algorithms on offer. */
    public enum CongestionAlgorithm {
        CUBIC,
        NEW_RENO
    }

    /** The smallest send MSS we accept from a peer (Linux's tcp_min_snd_mss is 48; a 64-octet floor bounds overhead). */
    public static final int MIN_PEER_MSS = 64;

    public static final TcpConfig DEFAULT = builder().build();

    public TcpConfig {
        if (maxSegmentSize < MIN_PEER_MSS || maxSegmentSize > 65535) {
            throw new IllegalArgumentException("maxSegmentSize out of range: " + maxSegmentSize);
        }
        if (defaultPeerMss < MIN_PEER_MSS || sendBufferBytes <= 0 || receiveBufferBytes <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (receiveBufferBytes > (1 << 30)) {
            throw new IllegalArgumentException("RFC 7323 §2.3: a window is at most 2^30 octets");
        }
        if (minRtoNanos <= 0 || minRtoNanos > maxRtoNanos || initialRtoNanos <= 0) {
            throw new IllegalArgumentException("need 0 < minRto <= maxRto");
        }
        if (maxOutOfOrderRanges <= 0 || maxScoreboardRanges <= 0 || mslNanos < 0 || ackDelayNanos < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (keepAliveIdleNanos < 0 || keepAliveIntervalNanos <= 0 || keepAliveProbes <= 0) {
            throw new IllegalArgumentException("keep-alive settings must be positive (idle 0 = off)");
        }
        if (invalidAckIntervalNanos < 0) {
            throw new IllegalArgumentException("invalidAckIntervalNanos must not be negative (0 = off)");
        }
        if (congestionControl == null) {
            throw new IllegalArgumentException("congestionControl");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxSegmentSize = maxSegmentSize;
        b.defaultPeerMss = defaultPeerMss;
        b.sendBufferBytes = sendBufferBytes;
        b.receiveBufferBytes = receiveBufferBytes;
        b.maxOutOfOrderRanges = maxOutOfOrderRanges;
        b.maxScoreboardRanges = maxScoreboardRanges;
        b.initialRtoNanos = initialRtoNanos;
        b.minRtoNanos = minRtoNanos;
        b.maxRtoNanos = maxRtoNanos;
        b.clockGranularityNanos = clockGranularityNanos;
        b.maxRetries = maxRetries;
        b.maxSynRetries = maxSynRetries;
        b.userTimeoutNanos = userTimeoutNanos;
        b.mslNanos = mslNanos;
        b.ackDelayNanos = ackDelayNanos;
        b.noDelay = noDelay;
        b.windowScaling = windowScaling;
        b.sack = sack;
        b.timestamps = timestamps;
        b.congestionControl = congestionControl;
        b.initialWindowSegments = initialWindowSegments;
        b.challengeAcksPerSecond = challengeAcksPerSecond;
        b.keepAliveIdleNanos = keepAliveIdleNanos;
        b.keepAliveIntervalNanos = keepAliveIntervalNanos;
        b.keepAliveProbes = keepAliveProbes;
        b.invalidAckIntervalNanos = invalidAckIntervalNanos;
        return b;
    }

    /** Builds a {@link TcpConfig}; every field starts at the default documented on the record. */
    public static final class Builder {
        private static final long MS = 1_000_000L;
        private static final long S = 1_000_000_000L;

        private int maxSegmentSize = 1460;
        private int defaultPeerMss = 536;
        private int sendBufferBytes = 256 * 1024;
        private int receiveBufferBytes = 256 * 1024;
        private int maxOutOfOrderRanges = 32;
        private int maxScoreboardRanges = 64;
        private long initialRtoNanos = S;
        private long minRtoNanos = S;
        private long maxRtoNanos = 60 * S;
        private long clockGranularityNanos = MS;
        private int maxRetries = 15;
        private int maxSynRetries = 6;
        private long userTimeoutNanos = 0;
        private long mslNanos = 120 * S;
        private long ackDelayNanos = 200 * MS;
        private boolean noDelay = false;
        private boolean windowScaling = true;
        private boolean sack = true;
        private boolean timestamps = true;
        private CongestionAlgorithm congestionControl = CongestionAlgorithm.CUBIC;
        private int initialWindowSegments = 0;
        private int challengeAcksPerSecond = 100;
        private long keepAliveIdleNanos = 0;
        private long keepAliveIntervalNanos = 75 * S;
        private int keepAliveProbes = 9;
        private long invalidAckIntervalNanos = 500 * MS;

        /** Turns keep-alive on after {@code v} nanoseconds idle (2 hours is the RFC 9293 §3.8.4 floor for a default). */
        public Builder keepAliveIdleNanos(long v) {
            keepAliveIdleNanos = v;
            return this;
        }

        public Builder keepAliveIntervalNanos(long v) {
            keepAliveIntervalNanos = v;
            return this;
        }

        public Builder keepAliveProbes(int v) {
            keepAliveProbes = v;
            return this;
        }

        public Builder maxSegmentSize(int v) {
            maxSegmentSize = v;
            return this;
        }

        public Builder defaultPeerMss(int v) {
            defaultPeerMss = v;
            return this;
        }

        public Builder sendBufferBytes(int v) {
            sendBufferBytes = v;
            return this;
        }

        public Builder receiveBufferBytes(int v) {
            receiveBufferBytes = v;
            return this;
        }

        public Builder maxOutOfOrderRanges(int v) {
            maxOutOfOrderRanges = v;
            return this;
        }

        public Builder maxScoreboardRanges(int v) {
            maxScoreboardRanges = v;
            return this;
        }

        public Builder initialRtoNanos(long v) {
            initialRtoNanos = v;
            return this;
        }

        public Builder minRtoNanos(long v) {
            minRtoNanos = v;
            return this;
        }

        public Builder maxRtoNanos(long v) {
            maxRtoNanos = v;
            return this;
        }

        public Builder clockGranularityNanos(long v) {
            clockGranularityNanos = v;
            return this;
        }

        public Builder maxRetries(int v) {
            maxRetries = v;
            return this;
        }

        public Builder maxSynRetries(int v) {
            maxSynRetries = v;
            return this;
        }

        public Builder userTimeoutNanos(long v) {
            userTimeoutNanos = v;
            return this;
        }

        public Builder mslNanos(long v) {
            mslNanos = v;
            return this;
        }

        public Builder ackDelayNanos(long v) {
            ackDelayNanos = v;
            return this;
        }

        public Builder noDelay(boolean v) {
            noDelay = v;
            return this;
        }

        public Builder windowScaling(boolean v) {
            windowScaling = v;
            return this;
        }

        public Builder sack(boolean v) {
            sack = v;
            return this;
        }

        public Builder timestamps(boolean v) {
            timestamps = v;
            return this;
        }

        public Builder congestionControl(CongestionAlgorithm v) {
            congestionControl = v;
            return this;
        }

        public Builder initialWindowSegments(int v) {
            initialWindowSegments = v;
            return this;
        }

        public Builder challengeAcksPerSecond(int v) {
            challengeAcksPerSecond = v;
            return this;
        }

        /** The least time between ACKs answering unacceptable segments without data; 0 turns the limit off. */
        public Builder invalidAckIntervalNanos(long v) {
            invalidAckIntervalNanos = v;
            return this;
        }

        public TcpConfig build() {
            return new TcpConfig(
                    maxSegmentSize,
                    defaultPeerMss,
                    sendBufferBytes,
                    receiveBufferBytes,
                    maxOutOfOrderRanges,
                    maxScoreboardRanges,
                    initialRtoNanos,
                    minRtoNanos,
                    maxRtoNanos,
                    clockGranularityNanos,
                    maxRetries,
                    maxSynRetries,
                    userTimeoutNanos,
                    mslNanos,
                    ackDelayNanos,
                    noDelay,
                    windowScaling,
                    sack,
                    timestamps,
                    congestionControl,
                    initialWindowSegments,
                    challengeAcksPerSecond,
                    keepAliveIdleNanos,
                    keepAliveIntervalNanos,
                    keepAliveProbes,
                    invalidAckIntervalNanos);
        }
    }
}
