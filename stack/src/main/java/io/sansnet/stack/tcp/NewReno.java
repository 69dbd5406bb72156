package io.sansnet.stack.tcp;

/**
 * NewReno: slow start and congestion avoidance of <a href="https://www.rfc-editor.org/rfc/rfc5681#section-3.1">RFC
 * 5681 §3.1</a>, fast retransmit/fast recovery of RFC 5681 §3.2 with the partial-ACK handling of <a
 * href="https://www.rfc-editor.org/rfc/rfc6582#section-3.2">RFC 6582 §3.2</a>. The recovery arithmetic is shared
 * with {@link Cubic} through {@link WindowedCongestionControl}; this class adds the additive increase.
 */
public final class NewReno extends WindowedCongestionControl {

    public NewReno(int smss, long initialWindowBytes) {
        super(smss, initialWindowBytes);
    }

    @Override
    protected void congestionAvoidance(long nowNanos, long ackedBytes, long srttNanos) {
        // RFC 5681 §3.1 eq. 3: "cwnd += SMSS*SMSS/cwnd" on every ACK (at least one byte, as the RFC notes).
        cwnd += Math.max(1, (long) smss * smss / cwnd);
    }

    @Override
    protected long reducedSsthresh(long flightSizeBytes) {
        // RFC 5681 §3.1 eq. 4: "ssthresh = max (FlightSize / 2, 2*SMSS)"
        return Math.max(flightSizeBytes / 2, 2L * smss);
    }

    @Override
    public String name() {
        return "reno";
    }
}
