package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 6298 §2 and §5. */
class RttEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final RttEstimator e = new RttEstimator(S, 200 * MS, 60 * S, MS);

    @Test
    void initialRtoIsOneSecondUntilASample() { // RFC 6298 (2.1)
        assertThat(e.rtoNanos()).isEqualTo(S);
        assertThat(e.hasSample()).isFalse();
        assertThat(e.srttNanos()).isZero();
    }

    @Test
    void firstSampleSetsSrttAndHalfVariance() { // RFC 6298 (2.2)
        e.sample(100 * MS);
        assertThat(e.srttNanos()).isEqualTo(100 * MS);
        assertThat(e.rttvarNanos()).isEqualTo(50 * MS);
        assertThat(e.rtoNanos()).isEqualTo(300 * MS); // 100 + 4*50
    }

    @Test
    void laterSamplesSmoothWithAlphaAndBeta() { // RFC 6298 (2.3)
        e.sample(100 * MS);
        e.sample(200 * MS);
        // RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5; SRTT = 7/8*100 + 1/8*200 = 112.5
        assertThat(e.rttvarNanos()).isEqualTo(62_500_000L);
        assertThat(e.srttNanos()).isEqualTo(112_500_000L);
        assertThat(e.rtoNanos()).isEqualTo(362_500_000L);
    }

    @Test
    void rtoIsRoundedUpToTheMinimum() { // RFC 6298 (2.4), configurable floor
        e.sample(10 * MS);
        assertThat(e.rtoNanos()).isEqualTo(200 * MS);
    }

    @Test
    void granularityBoundsTheVarianceTerm() { // RFC 6298 (2.2): max(G, K*RTTVAR)
        RttEstimator fine = new RttEstimator(S, 1, 60 * S, 10 * MS);
        fine.sample(0);
        assertThat(fine.rtoNanos()).isEqualTo(10 * MS);
    }

    @Test
    void backoffDoublesUpToTheMaximumAndASampleClearsIt() { // RFC 6298 (5.5), (2.5)
        e.backoff();
        assertThat(e.rtoNanos()).isEqualTo(2 * S);
        e.backoff();
        assertThat(e.rtoNanos()).isEqualTo(4 * S);
        for (int i = 0; i < 100; i++) {
            e.backoff();
        }
        assertThat(e.rtoNanos()).isEqualTo(60 * S);
        e.sample(100 * MS);
        assertThat(e.backoffs()).isZero();
        assertThat(e.rtoNanos()).isEqualTo(300 * MS);
    }

    @Test
    void minAboveMaxIsRejected() {
        assertThatThrownBy(() -> new RttEstimator(S, 2 * S, S, MS)).isInstanceOf(IllegalArgumentException.class);
    }
}
