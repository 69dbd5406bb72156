package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sansnet.stack.tcp.CongestionControl.RecoveryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9438 (CUBIC). Expected values were computed by hand from the RFC's formulas, not by this code. */
class CubicTest {
    private static final int SMSS = 1000;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    // RFC 9438 §4.2 Figure 2: K = cubic_root((W_max - cwnd_epoch)/C); Figure 1: W_cubic(t) = C*(t-K)^3 + W_max.
    @ParameterizedTest(name = "W_max={0} cwnd_epoch={1} C={2}")
    @CsvSource({
        // W_max, cwnd_epoch, C,   K,        W(0),  W(1),       W(2),       W(5),        W(10)
        "100, 70, 0.4, 4.217163, 70, 86.680764, 95.640336, 100.191899, 177.353999",
        "50, 35, 0.4, 3.347165, 35, 44.827617, 49.022038, 51.806129, 167.782372",
        "1000, 700, 0.4, 9.085603, 700, 788.555094, 857.704741, 972.720998, 1000.305819",
        "100, 70, 0.1, 6.694330, 70, 81.535915, 89.655233, 99.513600, 103.612257",
        "80, 40, 0.4, 4.641589, 40, 60.683310, 72.626806, 80.018416, 141.541503",
    })
    void kAndWcubicMatchRfc9438Section4_2(
            double wMax, double epoch, double c, double k, double w0, double w1, double w2, double w5, double w10) {
        double kk = Cubic.k(wMax, epoch, c);
        assertThat(kk).isCloseTo(k, within(1e-6));
        assertThat(Cubic.wCubic(0, kk, wMax, c)).isCloseTo(w0, within(1e-6));
        assertThat(Cubic.wCubic(1, kk, wMax, c)).isCloseTo(w1, within(1e-6));
        assertThat(Cubic.wCubic(2, kk, wMax, c)).isCloseTo(w2, within(1e-6));
        assertThat(Cubic.wCubic(kk, kk, wMax, c)).isCloseTo(wMax, within(1e-9)); // the plateau at t = K
        assertThat(Cubic.wCubic(5, kk, wMax, c)).isCloseTo(w5, within(1e-6));
        assertThat(Cubic.wCubic(10, kk, wMax, c)).isCloseTo(w10, within(1e-6));
    }

    @Test
    void renoFriendlyAlphaRfc9438Section4_3() {
        // α = 3(1-β)/(1+β) = 0.9/1.7
        assertThat(Cubic.renoFriendlyAlpha(0.7)).isCloseTo(0.529412, within(1e-6));
    }

    @Test
    void multiplicativeDecreaseRfc9438Section4_6() {
        Cubic cubic = new Cubic(SMSS, 100 * SMSS);
        cubic.onCongestionEvent(0, 100 * SMSS, RecoveryMode.SACK);
        assertThat(cubic.ssthresh()).isEqualTo(70 * SMSS); // cwnd * 0.7
        assertThat(cubic.cwnd()).isEqualTo(70 * SMSS);
        assertThat(cubic.wMax()).isCloseTo(100, within(1e-9)); // no earlier W_max: W_max = cwnd
    }

    @Test
    void fastConvergenceRfc9438Section4_7() {
        Cubic cubic = new Cubic(SMSS, 100 * SMSS);
        cubic.onCongestionEvent(0, 100 * SMSS, RecoveryMode.SACK); // W_max 100, cwnd 70
        cubic.onRecoveryExit(0, 0, RecoveryMode.SACK);
        // a second loss below W_max: W_max = cwnd * (1 + β) / 2 = 70 * 0.85 = 59.5
        cubic.onCongestionEvent(S, 70 * SMSS, RecoveryMode.SACK);
        assertThat(cubic.wMax()).isCloseTo(59.5, within(1e-9));
        assertThat(cubic.cwnd()).isEqualTo(49 * SMSS);
    }

    @Test
    void congestionAvoidanceFollowsWcubicOfTPlusRtt() {
        Cubic cubic = new Cubic(SMSS, 100 * SMSS);
        cubic.onCongestionEvent(0, 100 * SMSS, RecoveryMode.SACK);
        cubic.onRecoveryExit(0, 0, RecoveryMode.SACK);
        // first CA ACK at t=0 starts the epoch: cwnd_epoch = 70, K = 4.217163
        cubic.onAck(10 * S, SMSS, 100 * MS);
        assertThat(cubic.k()).isCloseTo(4.217163, within(1e-6));
        // Drive one window of ACKs per 100 ms RTT for 20 s: the window must track W_cubic(t), ending above
        // W_max (convex region) and stay within 1.5x growth per step (§4.4/§4.5).
        long prev = cubic.cwnd();
        for (int i = 1; i <= 200; i++) {
            long t = 10 * S + i * 100 * MS;
            long perAck = cubic.cwnd() / 10; // one window acknowledged per RTT, in ten ACKs
            for (int a = 0; a < 10; a++) {
                cubic.onAck(t, perAck, 100 * MS);
            }
            assertThat(cubic.cwnd()).isGreaterThanOrEqualTo(prev);
            assertThat(cubic.cwnd()).isLessThanOrEqualTo((long) (prev * 1.5) + SMSS);
            prev = cubic.cwnd();
            if (i == 42) { // t = 4.2 s ≈ K: the window is near W_max = 100 segments
                assertThat(cubic.cwnd() / (double) SMSS).isBetween(97.0, 102.0);
            }
        }
        // at t = 20 s, W_cubic(20.1) = 0.4*(20.1-4.217)^3 + 100 ≈ 1703 segments; cwnd lags W_cubic(t+RTT) by at most
        // one step, and is well into the convex region
        assertThat(cubic.cwnd() / (double) SMSS).isBetween(1200.0, 1710.0);
    }

    @Test
    void renoFriendlyRegionWinsForShortRtts() { // §4.3: with a tiny RTT and small W_max, W_est grows faster
        Cubic cubic = new Cubic(SMSS, 4 * SMSS);
        cubic.onCongestionEvent(0, 4 * SMSS, RecoveryMode.SACK); // W_max 4, cwnd 2.8
        cubic.onRecoveryExit(0, 0, RecoveryMode.SACK);
        long t = 0;
        for (int i = 0; i < 50; i++) {
            cubic.onAck(t, SMSS, MS);
            t += MS;
        }
        // after 50 ACKs in 50 ms, W_cubic(0.05) is below W_max = 4 while W_est grew by α/cwnd per ACK, then by 1/cwnd
        assertThat(cubic.wEst()).isGreaterThan(4);
        assertThat(cubic.cwnd()).isEqualTo((long) (cubic.wEst() * SMSS));
    }

    @Test
    void timeoutSetsLossWindowAndRestartsWithKZero() { // §4.8
        Cubic cubic = new Cubic(SMSS, 50 * SMSS);
        cubic.onRetransmissionTimeout(0, 50 * SMSS);
        assertThat(cubic.cwnd()).isEqualTo(SMSS);
        assertThat(cubic.ssthresh()).isEqualTo(35 * SMSS);
        // slow start to ssthresh, then the first CA ACK starts an epoch with K = 0
        while (cubic.cwnd() < cubic.ssthresh()) {
            cubic.onAck(S, SMSS, 10 * MS);
        }
        cubic.onAck(2 * S, SMSS, 10 * MS);
        assertThat(cubic.k()).isCloseTo(0, within(1e-9));
    }
}
