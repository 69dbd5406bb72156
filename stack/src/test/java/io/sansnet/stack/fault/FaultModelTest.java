package io.sansnet.stack.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.testkit.TestPackets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultModelTest {

    private static final byte[] PING = TestPackets.ipv4(1, TestPackets.echo(8, new byte[56]));

    @Test
    void noneDeliversEveryPacketOnceUnchangedAtOnce() {
        FaultModel m = new FaultModel(FaultSpec.NONE, new SplitMix64(1));
        for (int i = 0; i < 100; i++) {
            List<Delivery> d = m.apply(PING);
            assertThat(d).hasSize(1);
            assertThat(d.get(0).packet()).isSameAs(PING);
            assertThat(d.get(0).delayNanos()).isZero();
            assertThat(d.get(0).duplicate() || d.get(0).reordered() || d.get(0).corrupted())
                    .isFalse();
        }
        assertThat(m.counters()).isEqualTo(new FaultCounters(100, 0, 0, 0, 0, 0, 100));
    }

    @Test
    void certainLossDropsEverything() {
        FaultModel m = new FaultModel(FaultSpec.NONE.withLoss(1), new SplitMix64(1));
        for (int i = 0; i < 50; i++) {
            assertThat(m.apply(PING)).isEmpty();
        }
        assertThat(m.counters().lost()).isEqualTo(50);
        assertThat(m.counters().delivered()).isZero();
    }

    @Test
    void certainDuplicationGivesOriginalThenCopy() {
        FaultModel m = new FaultModel(FaultSpec.NONE.withDuplicate(1), new SplitMix64(1));
        List<Delivery> d = m.apply(PING);
        assertThat(d).hasSize(2);
        assertThat(d.get(0).duplicate()).isFalse();
        assertThat(d.get(1).duplicate()).isTrue();
        assertThat(d.get(1).packet()).isEqualTo(PING).isNotSameAs(PING);
        assertThat(m.counters().delivered()).isEqualTo(2);
    }

    @Test
    void reorderedPacketIsHeldBackByReorderDelay() {
        FaultSpec spec = FaultSpec.NONE.withReorder(1).withDelayNanos(1_000).withReorderDelayNanos(5_000_000);
        Delivery d = new FaultModel(spec, new SplitMix64(1)).apply(PING).get(0);
        assertThat(d.reordered()).isTrue();
        assertThat(d.delayNanos()).isEqualTo(5_001_000);
    }

    @Test
    void jitterStaysWithinBoundsAndVaries() {
        FaultModel m = new FaultModel(FaultSpec.NONE.withDelayNanos(10_000).withJitterNanos(1_000), new SplitMix64(9));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2_000; i++) {
            long d = m.apply(PING).get(0).delayNanos();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isBetween(10_000L, 10_050L);
        assertThat(max).isBetween(10_950L, 11_000L);
    }

    @Test
    void callerArrayIsNeverModified() {
        byte[] p = TestPackets.copy(PING);
        FaultModel m = new FaultModel(FaultSpec.NONE.withCorrupt(1).withDuplicate(1), new SplitMix64(3));
        for (int i = 0; i < 100; i++) {
            List<Delivery> d = m.apply(p);
            assertThat(d.get(0).corrupted()).isTrue();
            assertThat(TestPackets.bitsDiffering(d.get(0).packet(), p)).isEqualTo(1);
            assertThat(d.get(1).packet()).isEqualTo(p);
        }
        assertThat(p).isEqualTo(PING);
    }

    @Test
    void sameSeedGivesSameDecisions() {
        FaultSpec spec = new FaultSpec(0.3, 0.1, 0.2, 0.05, 1_000_000, 500_000, 2_000_000);
        assertThat(trace(spec, 77)).isEqualTo(trace(spec, 77));
        assertThat(trace(spec, 77)).isNotEqualTo(trace(spec, 78));
    }

    @Test
    void drawsStayAlignedWhateverIsEnabled() {
        // The loss decision of packet n depends only on the seed and n: enabling other faults must not shift it.
        FaultSpec lossOnly = FaultSpec.NONE.withLoss(0.3);
        FaultSpec all = new FaultSpec(0.3, 0.5, 0.5, 0.5, 10, 10, 10);
        FaultModel a = new FaultModel(lossOnly, new SplitMix64(5));
        FaultModel b = new FaultModel(all, new SplitMix64(5));
        for (int i = 0; i < 1_000; i++) {
            assertThat(b.apply(PING).isEmpty())
                    .as("packet %d", i)
                    .isEqualTo(a.apply(PING).isEmpty());
        }
        SplitMix64 r = new SplitMix64(11);
        SplitMix64 expected = new SplitMix64(11);
        new FaultModel(all, r).apply(PING);
        for (int i = 0; i < FaultModel.DRAWS_PER_PACKET; i++) {
            expected.nextLong();
        }
        assertThat(r.nextLong()).isEqualTo(expected.nextLong());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 0x5eed})
    void ratesAreNearConfiguredForFixedSeeds(long seed) {
        // 20,000 packets: binomial standard deviations are about 0.0032 (p=0.3) and 0.0021 (p=0.1); the bounds allow
        // more than 5 of them, and the seeds are fixed, so the test cannot flake.
        FaultSpec spec = new FaultSpec(0.3, 0.1, 0.2, 0.05, 0, 0, 2_000_000);
        FaultModel m = new FaultModel(spec, new SplitMix64(seed));
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            m.apply(PING);
        }
        FaultCounters c = m.counters();
        long passed = n - c.lost();
        assertThat(c.offered()).isEqualTo(n);
        assertThat(c.lost() / (double) n).isBetween(0.28, 0.32);
        assertThat(c.duplicated() / (double) passed).isBetween(0.085, 0.115);
        assertThat(c.reordered() / (double) passed).isBetween(0.18, 0.22);
        assertThat(c.corrupted() / (double) passed).isBetween(0.04, 0.06);
        assertThat(c.delivered()).isEqualTo(passed + c.duplicated());
    }

    @Test
    void emptyPacketCannotBeCorrupted() {
        FaultModel m = new FaultModel(FaultSpec.NONE.withCorrupt(1), new SplitMix64(1));
        List<Delivery> d = m.apply(new byte[0]);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).corrupted()).isFalse();
        assertThat(m.counters().corruptSkipped()).isEqualTo(1);
    }

    @Test
    void specChangeAppliesFromNextPacket() {
        FaultModel m = new FaultModel(FaultSpec.NONE, new SplitMix64(1));
        assertThat(m.apply(PING)).hasSize(1);
        m.setSpec(FaultSpec.NONE.withLoss(1));
        assertThat(m.apply(PING)).isEmpty();
        assertThat(m.spec().loss()).isEqualTo(1.0);
    }

    private static List<String> trace(FaultSpec spec, long seed) {
        FaultModel m = new FaultModel(spec, new SplitMix64(seed));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            for (Delivery d : m.apply(PING)) {
                out.add(i + ":" + d.delayNanos() + d.duplicate() + d.reordered() + d.corrupted()
                        + java.util.Arrays.hashCode(d.packet()));
            }
        }
        return out;
    }
}
