package io.sansnet.stack.fault;

import io.sansnet.stack.rand.SplitMix64;
import java.util.List;
import java.util.Objects;

/**
 * The seeded per-packet fault model of one direction of a path: loss, duplication, reordering, corruption, delay and
 * jitter, as a pure function of the packet, the {@link FaultSpec} and the injected {@link SplitMix64} stream. Used by
 * the simulator's links and by the drivers' {@code --impair}; the same seed and the same packets give the same
 * decisions on every JVM.
 *
 * <p>Every call to {@link #apply} draws exactly {@link #DRAWS_PER_PACKET} values from the stream whatever happens to
 * the packet, so the n-th packet's decisions depend only on the seed and n (and that packet's bytes for the corrupted
 * bit), never on earlier outcomes or on which faults are enabled. Order of effects:
 *
 * <ol>
 *   <li>loss: a lost packet gives no delivery;
 *   <li>corruption: the delivered original gets one bit flipped in a copy (see {@link ChecksumCoverage} for which
 *       bits; the caller's array is never modified);
 *   <li>reordering: the original is held back an extra {@link FaultSpec#reorderDelayNanos()};
 *   <li>duplication: a second, unmodified, not held back copy follows, with its own jitter;
 *   <li>every delivery is due {@code delayNanos} plus a jitter drawn uniformly from {@code [0, jitterNanos]}.
 * </ol>
 *
 * Not thread-safe: one owner (a simulation or a driver loop).
 */
public final class FaultModel {

    /** Values drawn from the stream per {@link #apply} call: loss, duplicate, reorder, corrupt, bit, 2 jitters. */
    public static final int DRAWS_PER_PACKET = 7;

    private final SplitMix64 rng;
    private FaultSpec spec;

    private long offered;
    private long lost;
    private long duplicated;
    private long reordered;
    private long corrupted;
    private long corruptSkipped;
    private long delivered;

    public FaultModel(FaultSpec spec, SplitMix64 rng) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.rng = Objects.requireNonNull(rng, "rng");
    }

    public FaultSpec spec() {
        return spec;
    }

    /** Changes the settings from the next packet on (a link changed mid-run); the draws stay aligned. */
    public void setSpec(FaultSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /**
     * Decides the fate of one packet: no delivery (lost), one, or two (duplicated), each with its delay relative to
     * now. The first delivery is the original; when it is not corrupted its array is {@code packet} itself. The
     * duplicate is always a fresh copy.
     */
    public List<Delivery> apply(byte[] packet) {
        Objects.requireNonNull(packet, "packet");
        long uLoss = rng.nextLong();
        long uDuplicate = rng.nextLong();
        long uReorder = rng.nextLong();
        long uCorrupt = rng.nextLong();
        long rBit = rng.nextLong();
        long rJitter = rng.nextLong();
        long rJitterDuplicate = rng.nextLong();
        offered++;

        if (below(uLoss, spec.loss())) {
            lost++;
            return List.of();
        }
        byte[] original = packet;
        boolean isCorrupted = false;
        if (below(uCorrupt, spec.corrupt())) {
            long bit = ChecksumCoverage.pickBit(packet, rBit);
            if (bit < 0) {
                corruptSkipped++;
            } else {
                original = packet.clone();
                original[(int) (bit >>> 3)] ^= (byte) (1 << (bit & 7));
                isCorrupted = true;
                corrupted++;
            }
        }
        boolean isReordered = below(uReorder, spec.reorder());
        long delay = saturatedAdd(spec.delayNanos(), jitter(rJitter));
        if (isReordered) {
            reordered++;
            delay = saturatedAdd(delay, spec.reorderDelayNanos());
        }
        Delivery first = new Delivery(original, delay, false, isReordered, isCorrupted);
        if (below(uDuplicate, spec.duplicate())) {
            duplicated++;
            delivered += 2;
            Delivery copy = new Delivery(
                    packet.clone(), saturatedAdd(spec.delayNanos(), jitter(rJitterDuplicate)), true, false, false);
            return List.of(first, copy);
        }
        delivered++;
        return List.of(first);
    }

    /** A snapshot of what this model has done so far. */
    public FaultCounters counters() {
        return new FaultCounters(offered, lost, duplicated, reordered, corrupted, corruptSkipped, delivered);
    }

    /** True with probability p for a uniform 64-bit draw u: the top 53 bits as a fraction in [0, 1), compared. */
    private static boolean below(long u, double p) {
        return (u >>> 11) * 0x1.0p-53 < p;
    }

    private long jitter(long r) {
        long j = spec.jitterNanos();
        if (j == 0) {
            return 0;
        }
        return j == Long.MAX_VALUE ? r >>> 1 : Long.remainderUnsigned(r, j + 1);
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }
}
