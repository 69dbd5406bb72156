package io.sansnet.stack.tcp;

/**
 * CUBIC, <a href="https://www.rfc-editor.org/rfc/rfc9438">RFC 9438</a>: after a loss the window follows
 * {@code W_cubic(t) = C*(t-K)^3 + W_max} (§4.2), never below the Reno-friendly estimate W_est (§4.3), with fast
 * convergence (§4.7) and the timeout rule of §4.8. Window quantities in the formulas are in segments (SMSS units) and
 * t in seconds, as in the RFC; {@link #cwnd()} is in bytes.
 */
public final class Cubic extends WindowedCongestionControl {

    /** RFC 9438 §5.1: "C SHOULD be set to 0.4". */
    public static final double DEFAULT_C = 0.4;
    /** RFC 9438 §4.6: "β_cubic SHOULD be set to 0.7". */
    public static final double DEFAULT_BETA = 0.7;

    private final double c;
    private final double beta;

    /** W_max in segments: the window just before the last reduction (after fast convergence). */
    private double wMax;
    /** cwnd_prior in segments: cwnd when ssthresh was last set (§4.3). */
    private double cwndPrior;
    /** W_max before the last reduction, restored when that reduction is undone. */
    private double wMaxBeforeReduction;
    /** Start of the current congestion-avoidance epoch, or -1 when none has started. */
    private long epochStartNanos = -1;

    private double k;
    private double wEst;
    private double alpha;

    public Cubic(int smss, long initialWindowBytes) {
        this(smss, initialWindowBytes, DEFAULT_C, DEFAULT_BETA);
    }

    public Cubic(int smss, long initialWindowBytes, double c, double beta) {
        super(smss, initialWindowBytes);
        if (!(c > 0) || !(beta > 0 && beta < 1)) {
            throw new IllegalArgumentException("need C > 0 and 0 < beta < 1");
        }
        this.c = c;
        this.beta = beta;
        this.alpha = renoFriendlyAlpha(beta);
    }

    /** RFC 9438 §4.2 Figure 1: {@code W_cubic(t) = C*(t-K)^3 + W_max}. */
    public static double wCubic(double tSeconds, double k, double wMax, double c) {
        double d = tSeconds - k;
        return c * d * d * d + wMax;
    }

    /** RFC 9438 §4.2 Figure 2: {@code K = cubic_root((W_max - cwnd_epoch)/C)}. */
    public static double k(double wMax, double cwndEpoch, double c) {
        return Math.cbrt((wMax - cwndEpoch) / c);
    }

    /** RFC 9438 §4.3: {@code α_cubic = 3 * (1 - β_cubic) / (1 + β_cubic)}. */
    public static double renoFriendlyAlpha(double beta) {
        return 3 * (1 - beta) / (1 + beta);
    }

    /** W_max in segments. */
    public double wMax() {
        return wMax;
    }

    /** K in seconds for the current epoch (0 before one starts). */
    public double k() {
        return k;
    }

    /** The Reno-friendly estimate W_est in segments. */
    public double wEst() {
        return wEst;
    }

    @Override
    protected void congestionAvoidance(long nowNanos, long ackedBytes, long srttNanos) {
        double cwndSeg = (double) cwnd / smss;
        if (epochStartNanos < 0) {
            // §4.2: a new congestion-avoidance stage; cwnd_epoch is cwnd now. §4.8 (and a first stage with no loss):
            // W_max below cwnd_epoch means "W_max is set to the congestion window size at the beginning of the
            // current congestion avoidance stage", hence K = 0.
            epochStartNanos = nowNanos;
            if (wMax < cwndSeg) {
                wMax = cwndSeg;
            }
            k = k(wMax, cwndSeg, c);
            wEst = cwndSeg;
        }
        double segmentsAcked = (double) ackedBytes / smss;
        double t = (nowNanos - epochStartNanos) / 1e9;
        double rtt = srttNanos / 1e9;

        // §4.3: W_est = W_est + α_cubic * segments_acked / cwnd; α becomes 1 once W_est reaches cwnd_prior.
        wEst += alpha * segmentsAcked / cwndSeg;
        if (wEst >= cwndPrior) {
            alpha = 1;
        }
        double next;
        if (wCubic(t, k, wMax, c) < wEst) {
            // §4.3: "cwnd SHOULD be set to W_est" (Reno-friendly region)
            next = wEst;
        } else {
            // §4.4/§4.5: target = W_cubic(t + RTT) within [cwnd, 1.5*cwnd]; cwnd += (target - cwnd)/cwnd per ACK
            double target = wCubic(t + rtt, k, wMax, c);
            target = Math.max(cwndSeg, Math.min(1.5 * cwndSeg, target));
            next = cwndSeg + (target - cwndSeg) / cwndSeg * segmentsAcked;
        }
        cwnd = Math.max(cwnd, (long) (next * smss));
    }

    @Override
    protected long reducedSsthresh(long flightSizeBytes) {
        double cwndSeg = (double) cwnd / smss;
        wMaxBeforeReduction = wMax;
        // §4.7 fast convergence: "if cwnd < W_max ... W_max = cwnd * (1 + β_cubic) / 2, else W_max = cwnd"
        wMax = cwndSeg < wMax ? cwndSeg * (1 + beta) / 2 : cwndSeg;
        cwndPrior = cwndSeg;
        // §4.6: "ssthresh = cwnd * β_cubic", never below 2 segments
        return Math.max((long) (cwnd * beta), 2L * smss);
    }

    @Override
    protected void onReduction(long nowNanos) {
        epochStartNanos = -1;
        alpha = renoFriendlyAlpha(beta);
    }

    @Override
    protected void onTimeoutReduction(long nowNanos) {
        // §4.8: after a timeout the next stage starts with K = 0 and W_max = cwnd at its start.
        epochStartNanos = -1;
        wMax = 0;
        alpha = renoFriendlyAlpha(beta);
    }

    @Override
    protected void onUndoReduction() {
        // Like Linux's CUBIC undo: the reduction never happened, so neither did its W_max update; a new epoch starts.
        wMax = Math.max(wMax, wMaxBeforeReduction);
        epochStartNanos = -1;
    }

    @Override
    public String name() {
        return "cubic";
    }
}
