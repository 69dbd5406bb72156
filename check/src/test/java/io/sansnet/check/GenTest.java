package io.sansnet.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The generator on its own, and the harness checking itself. */
class GenTest {

    @Property(tries = 3000)
    void intsAndLongsStayWithinTheirBounds(Gen g) {
        int lo = g.intBetween(Integer.MIN_VALUE, Integer.MAX_VALUE);
        int hi = g.intBetween(lo, Integer.MAX_VALUE);
        assertThat(g.intBetween(lo, hi)).isBetween(lo, hi);
        long llo = g.longBetween(Long.MIN_VALUE, Long.MAX_VALUE);
        long lhi = g.longBetween(llo, Long.MAX_VALUE);
        assertThat(g.longBetween(llo, lhi)).isBetween(llo, lhi);
        assertThat(g.probability()).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
    }

    @Property(tries = 2000)
    void sizesStayWithinTheirBounds(Gen g) {
        int min = g.intBetween(0, 40);
        int max = g.intBetween(min, 80);
        assertThat(g.bytes(min, max).length).isBetween(min, max);
        assertThat(g.listOf(min, max, Gen::bool)).hasSizeBetween(min, max);
    }

    @Property(tries = 10)
    void otherParametersAreStillResolvedByJUnit(Gen g, TestInfo info) {
        assertThat(info.getTestMethod()).isPresent();
        assertThat(g).isNotNull();
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndAnotherSeedOthers() {
        assertThat(script(Gen.fromSeed(7))).isEqualTo(script(Gen.fromSeed(7)));
        assertThat(script(Gen.fromSeed(7))).isNotEqualTo(script(Gen.fromSeed(8)));
        assertThat(Gen.fromSeed(7).seed()).isEqualTo(7);
    }

    @Test
    void recordingDoesNotChangeTheDraws() {
        assertThat(script(Gen.recording(99))).isEqualTo(script(Gen.fromSeed(99)));
    }

    @Test
    void replayingTheRecordedChoicesGivesTheSameValues() {
        Gen recorded = Gen.recording(5);
        List<Object> values = script(recorded);

        assertThat(script(Gen.replaying(5, recorded.tape().values()))).isEqualTo(values);
    }

    @Test
    void aReplayedChoiceOutOfBoundsOrMissingBecomesTheSimplestValue() {
        Gen g = Gen.replaying(0, new long[] {5000, 7, 3});

        assertThat(g.intBetween(0, 100)).isZero(); // 5000 is out of bounds
        assertThat(g.intBetween(0, 10)).isEqualTo(7);
        assertThat(g.intBetween(-10, -5)).isEqualTo(-5); // 3 is out of bounds: the bound nearest zero
        assertThat(g.intBetween(20, 30)).isEqualTo(20); // past the end
        assertThat(g.bytes(2, 9)).containsExactly(0, 0);
        assertThat(g.bool()).isFalse();
        assertThat(g.probability()).isZero();
    }

    @Test
    void drawsAreRoughlyUniformAndEdgesComeOften() {
        Gen g = Gen.fromSeed(1);
        int[] buckets = new int[10];
        for (int i = 0; i < 10_000; i++) {
            buckets[g.intBetween(0, 9)]++;
        }
        assertThat(java.util.Arrays.stream(buckets).boxed().toList()).allMatch(n -> n > 700 && n < 1400);

        Set<Integer> seen = new HashSet<>();
        Set<Integer> lengths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(g.intBetween(-1_000_000, 1_000_000));
            lengths.add(g.bytes(0, 1500).length);
        }
        assertThat(seen).contains(-1_000_000, -999_999, 0, 1, 999_999, 1_000_000);
        assertThat(lengths).contains(0, 1, 2, 1499, 1500);
    }

    @Test
    void chanceHonoursItsProbability() {
        Gen g = Gen.fromSeed(3);
        int hits = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(g.chance(0)).isFalse();
            assertThat(g.chance(1)).isTrue();
            hits += g.chance(0.25) ? 1 : 0;
        }
        assertThat(hits).isBetween(180, 320);
        assertThatThrownBy(() -> g.chance(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.chance(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pickReachesEveryOption() {
        Gen g = Gen.fromSeed(11);
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            picked.add(g.pick("a", "b", "c"));
            picked.add(g.pick(List.of("d", "e")));
        }
        assertThat(picked).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThatThrownBy(() -> g.pick(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badRangesAreRejected() {
        Gen g = Gen.fromSeed(0);
        assertThatThrownBy(() -> g.intBetween(2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.bytes(-1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.listOf(4, 3, Gen::bool)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRunnerWorksWithoutJUnitAndItsPrintedSeedReplays() {
        PropertyRunner.Body body = g -> {
            long x = g.longBetween(-1_000_000_000_000L, 1_000_000_000_000L);
            g.note("x", x);
            if (x <= -123_456_789) {
                throw new IllegalArgumentException("too small: " + x);
            }
        };
        PropertyFailedError e = (PropertyFailedError)
                catchThrowable(() -> PropertyRunner.named("plain").tries(200).run(body));

        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.counterexample()).contains("x = -123456789\n");
        assertThat(e.replayCommand()).isEqualTo("-Dsansnet.seed=" + e.seed());
        PropertyFailedError again = (PropertyFailedError) catchThrowable(
                () -> PropertyRunner.named("plain").replaySeed(e.seed()).run(body));
        assertThat(again.counterexample()).isEqualTo(e.counterexample());
        assertThat(again.getCause()).hasMessage(e.getCause().getMessage());
    }

    @Test
    void aProbabilityShrinksTowardsZeroUpToTheFailingBoundary() {
        PropertyFailedError e = (PropertyFailedError) catchThrowable(() -> PropertyRunner.named("rate")
                .run(g -> {
                    double loss = g.probability();
                    g.note("loss", loss);
                    if (loss > 0.3) {
                        throw new AssertionError("too lossy: " + loss);
                    }
                }));

        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("loss = (\\S+)\n").matcher(e.counterexample());
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThan(0.3).isLessThan(0.3 + 1e-15);
    }

    @Test
    void shrinkingAbandonsReplaysThatWouldNeverEnd() {
        // on simplest values (false forever) this loop never ends: the shrinker must give such candidates up
        Throwable e = catchThrowable(() -> PropertyRunner.named("loop").tries(5).run(g -> {
            int n = 0;
            while (!g.bool()) {
                n++;
            }
            throw new IllegalStateException("after " + n + " falses");
        }));

        assertThat(e).isInstanceOf(PropertyFailedError.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(((PropertyFailedError) e).counterexample()).contains("bool() = true\n");
    }

    @Test
    void aPassingRunReportsItsTriesAndDiscards() {
        PropertyRunner.Summary s = PropertyRunner.named("p")
                .tries(40)
                .runSeed(1)
                .run(g -> org.junit.jupiter.api.Assumptions.assumeTrue(g.bool()));

        assertThat(s.tries()).isEqualTo(40);
        assertThat(s.discarded()).isBetween(1, 39);
        assertThat(s.runSeed()).isEqualTo(1);
    }

    @Test
    void theReplayCommandNamesTheModuleRelativeToTheRoot() {
        assertThat(PropertyExtension.module("/work/main", "/work/main/stack")).isEqualTo("stack");
        assertThat(PropertyExtension.module("/work/main", "/work/main/a/b")).isEqualTo("a/b");
        assertThat(PropertyExtension.module("/work/main", "/work/main")).isEmpty();
        assertThat(PropertyExtension.module(null, "/x/sim")).isEqualTo("sim");
    }

    @Test
    void seedsParseAsPrintedOrInHex() {
        assertThat(PropertyExtension.parseLong("k", "-303823626781813498")).isEqualTo(-303823626781813498L);
        assertThat(PropertyExtension.parseLong("k", "18446744073709551615")).isEqualTo(-1L);
        assertThat(PropertyExtension.parseLong("k", "0xff")).isEqualTo(255L);
        assertThatThrownBy(() -> PropertyExtension.parseLong("sansnet.seed", "12abc"))
                .hasMessageContaining("sansnet.seed must be a long");
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }

    /** Exercises every kind of draw. */
    private static List<Object> script(Gen g) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(g.nextLong());
            out.add(g.intBetween(-5, 500));
            out.add(g.longBetween(Long.MIN_VALUE, Long.MAX_VALUE));
            out.add(g.bool());
            out.add(g.chance(0.5));
            out.add(g.probability());
            out.add(List.of(g.bytes(0, 40)).stream()
                    .map(java.util.Arrays::toString)
                    .toList());
            out.add(g.listOf(0, 5, h -> h.intBetween(0, 3)));
            out.add(g.pick("x", "y", "z"));
        }
        return out;
    }
}
