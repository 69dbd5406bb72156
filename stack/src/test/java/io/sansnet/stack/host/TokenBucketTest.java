package io.sansnet.stack.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void burstThenRate() {
        TokenBucket b = new TokenBucket(10, 3);
        long t = 5_000;
        assertThat(b.tryAcquire(t)).isTrue();
        assertThat(b.tryAcquire(t)).isTrue();
        assertThat(b.tryAcquire(t)).isTrue();
        assertThat(b.tryAcquire(t)).isFalse();
        assertThat(b.tryAcquire(t + 99_999_999)).isFalse();
        assertThat(b.tryAcquire(t + 100_000_000)).isTrue();
        assertThat(b.tryAcquire(t + 100_000_000)).isFalse();
    }

    @Test
    void longIdleRefillsOnlyToTheBurst() {
        TokenBucket b = new TokenBucket(10, 2);
        b.tryAcquire(0);
        b.tryAcquire(0);
        int allowed = 0;
        for (int i = 0; i < 5; i++) {
            allowed += b.tryAcquire(Long.MAX_VALUE - 10) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(2);
    }

    @Test
    void aClockGoingBackwardsAccruesNothing() {
        TokenBucket b = new TokenBucket(1, 1);
        assertThat(b.tryAcquire(Long.MIN_VALUE + 5)).isTrue();
        assertThat(b.tryAcquire(Long.MIN_VALUE)).isFalse();
        assertThat(b.tryAcquire(Long.MIN_VALUE + 1_000_000_005L)).isTrue();
    }
}
