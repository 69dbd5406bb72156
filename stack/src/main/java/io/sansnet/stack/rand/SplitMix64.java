package io.sansnet.stack.rand;

import java.nio.charset.StandardCharsets;

/**
 * The project's seeded pseudo-random generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014). Every random decision in the core comes from one of these, injected by the caller:
 * the same seed gives the same sequence on every JVM.
 *
 * <p>{@link #fork(String)} derives an independent stream for a named component from this generator's seed, so
 * adding a component does not change another component's draws. Not thread-safe: one owner at a time.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final long seed;
    private long state;

    public SplitMix64(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    /** The seed this generator started from. */
    public long seed() {
        return seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** A uniform int in {@code [0, bound)}; {@code bound} must be positive. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) nextLong(bound);
    }

    /** A uniform long in {@code [0, bound)} without modulo bias; {@code bound} must be positive. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long limit = Long.remainderUnsigned(-bound, bound); // 2^64 mod bound
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, limit) >= 0 || limit == 0) {
                return Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** A uniform double in {@code [0, 1)} from the top 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** True with probability {@code p} (a fraction 0..1). Draws exactly once whatever p is. */
    public boolean chance(double p) {
        return nextDouble() < p;
    }

    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i += 8) {
            long r = nextLong();
            for (int j = 0; j < 8 && i + j < out.length; j++) {
                out[i + j] = (byte) (r >>> (8 * j));
            }
        }
    }

    /** An independent generator for the component called {@code name}: depends on this seed and the name only. */
    public SplitMix64 fork(String name) {
        return new SplitMix64(derive(seed, name));
    }

    /** The seed of the stream for {@code name} under {@code rootSeed}: {@code mix(rootSeed ^ fnv1a64(name))}. */
    public static long derive(long rootSeed, String name) {
        return mix(rootSeed ^ fnv1a64(name) ^ GOLDEN_GAMMA);
    }

    /** The SplitMix64 finaliser (variant 13 of Stafford's mixers). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-8 bytes of {@code s}: a stable hash (unlike {@link String#hashCode} it is 64-bit). */
    public static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
