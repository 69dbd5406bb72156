package io.sansnet.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Property classes that {@link PropertyHarnessTest} runs through the JUnit test kit, several of them failing on
 * purpose. They are disabled unless the configuration parameter {@value #ENABLE} is set, so that ordinary discovery
 * (an IDE scanning the package) does not run them.
 */
final class Fixtures {
    static final String ENABLE = "sansnet.check.fixtures";

    private Fixtures() {}

    static final class OnlyThroughTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ENABLE)
                            .filter("true"::equals)
                            .isPresent()
                    ? ConditionEvaluationResult.enabled("run by PropertyHarnessTest")
                    : ConditionEvaluationResult.disabled("a fixture of PropertyHarnessTest, failing on purpose");
        }
    }

    @ExtendWith(OnlyThroughTestKit.class)
    static class FailsAt1000 {
        @Property
        void lessThan1000(Gen g) {
            int x = g.intBetween(0, 10_000);
            g.note("x", x);
            assertThat(x).isLessThan(1000);
        }
    }

    /** Small values fail another check: shrinking must stay with the original failure, not slip to that one. */
    @ExtendWith(OnlyThroughTestKit.class)
    static class TwoBugs {
        @Property
        void below5000(Gen g) {
            int x = g.intBetween(0, 10_000);
            g.note("x", x);
            if (x < 10) {
                throw new AssertionError("the other bug: " + x);
            }
            assertThat(x).isLessThan(5000);
        }
    }

    @ExtendWith(OnlyThroughTestKit.class)
    static class FailsOnLongLists {
        @Property
        void shorterThanFive(Gen g) {
            List<Integer> xs = g.listOf(0, 50, h -> h.intBetween(-1000, 1000));
            g.note("xs", xs);
            assertThat(xs).hasSizeLessThan(5);
        }
    }

    @ExtendWith(OnlyThroughTestKit.class)
    static class FailsOnBigElement {
        @Property
        void allBelow50(Gen g) {
            List<Integer> xs = g.listOf(0, 30, h -> h.intBetween(0, 1000));
            g.note("xs", xs);
            assertThat(xs).allMatch(x -> x < 50);
        }
    }

    /** A parser-like property that throws an unchecked exception (not an AssertionError) on some inputs. */
    @ExtendWith(OnlyThroughTestKit.class)
    static class ThrowsOnMarkerByte {
        @Property(tries = 5000)
        void neverThrows(Gen g) {
            byte[] b = g.bytes(0, 64);
            for (int i = 2; i < b.length; i++) {
                if (b[i] == (byte) 0xAB) {
                    throw new IllegalStateException("marker at " + i);
                }
            }
        }
    }

    @ExtendWith(OnlyThroughTestKit.class)
    static class Passing {
        static final AtomicInteger TRIES = new AtomicInteger();

        @Property(tries = 123)
        void inBounds(Gen g) {
            TRIES.incrementAndGet();
            assertThat(g.intBetween(-5, 5)).isBetween(-5, 5);
        }
    }

    @ExtendWith(OnlyThroughTestKit.class)
    static class Exploring {
        static final AtomicInteger TRIES = new AtomicInteger();

        @Property(tries = 5, exploreTries = 31)
        void inBounds(Gen g) {
            TRIES.incrementAndGet();
            assertThat(g.intBetween(0, 9)).isBetween(0, 9);
        }
    }

    /** Records each try's first draw, to compare two runs. */
    @ExtendWith(OnlyThroughTestKit.class)
    static class Recording {
        static final List<Long> DRAWS = new ArrayList<>();

        @Property(tries = 50)
        void record(Gen g) {
            DRAWS.add(g.nextLong());
            assertThat(DRAWS).isNotEmpty();
        }
    }

    /** A user's own annotation, meta-annotated with {@code @Property}. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    @Property(tries = 17)
    @interface SeventeenTries {}

    @ExtendWith(OnlyThroughTestKit.class)
    static class MetaAnnotated {
        static final AtomicInteger TRIES = new AtomicInteger();

        @SeventeenTries
        void counted(Gen g) {
            TRIES.incrementAndGet();
            assertThat(g.bytes(1, 3)).isNotEmpty();
        }
    }

    @ExtendWith(OnlyThroughTestKit.class)
    static class AlwaysDiscarded {
        @Property(tries = 20)
        void assumesFalse(Gen g) {
            Assumptions.assumeTrue(g.intBetween(0, 10) > 10, "never");
        }
    }

    /** Fails only on its first try ever: not deterministic, which the report must say. */
    @ExtendWith(OnlyThroughTestKit.class)
    static class Flaky {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Property(tries = 10)
        void failsOnce(Gen g) {
            g.bool();
            assertThat(CALLS.getAndIncrement()).isPositive();
        }
    }
}
