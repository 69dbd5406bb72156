package io.sansnet.check;

import java.nio.charset.StandardCharsets;

/**
 * A private copy of SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), so that {@code check} depends on nothing but
 * JUnit. The same algorithm and constants as {@code io.sansnet.stack.rand.SplitMix64}.
 */
final class Rng {
    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** A uniform value in {@code [0, bound)} where {@code bound} is read as unsigned; 0 means 2^64. */
    long nextUnsigned(long bound) {
        if (bound == 0) {
            return nextLong();
        }
        long limit = Long.remainderUnsigned(-bound, bound); // 2^64 mod bound: rejecting below it removes the bias
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, limit) >= 0) {
                return Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** A uniform double in {@code [0, 1)} from the top 53 bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** The seed of try {@code index} of a run: independent streams for neighbouring indices. */
    static long trySeed(long runSeed, int index) {
        return mix(mix(runSeed) + GOLDEN_GAMMA * (index + 1L));
    }

    /** The default run seed of a property: stable across runs and machines, different per property. */
    static long runSeedFor(String propertyName) {
        return mix(fnv1a64(propertyName) ^ GOLDEN_GAMMA);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
