package io.sansnet.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs the {@link Fixtures} through the JUnit test kit and checks what {@link Property} reports. */
class PropertyHarnessTest {
    private static final Pattern REPLAY_SEED = Pattern.compile("-Dsansnet\\.seed=(-?\\d+)");

    private static EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameter(Fixtures.ENABLE, "true")
                .configurationParameters(parameters)
                .execute();
    }

    private static PropertyFailedError failureOf(Class<?> fixture, Map<String, String> parameters) {
        EngineExecutionResults results = run(fixture, parameters);
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        Event failed = results.testEvents().failed().stream().findFirst().orElseThrow();
        Throwable t = failed.getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(t).isInstanceOf(PropertyFailedError.class);
        return (PropertyFailedError) t;
    }

    private static PropertyFailedError failureOf(Class<?> fixture) {
        return failureOf(fixture, Map.of());
    }

    @Test
    void aFailingPropertyReportsItsTrySeedAndTheCommandThatReplaysIt() {
        PropertyFailedError e = failureOf(Fixtures.FailsAt1000.class);

        String property = "Fixtures$FailsAt1000#lessThan1000";
        assertThat(e.property()).isEqualTo(property);
        assertThat(e.tryIndex()).isGreaterThanOrEqualTo(0);
        long runSeed = Rng.runSeedFor(property);
        assertThat(e.seed()).isEqualTo(PropertyRunner.trySeed(runSeed, e.tryIndex()));
        assertThat(e.replayCommand())
                .isEqualTo("mvn -pl check -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='" + property
                        + "' -Dsansnet.seed=" + e.seed());
        assertThat(e.getMessage())
                .contains("Property " + property + " failed on try " + (e.tryIndex() + 1) + " of 1000")
                .contains("seed " + e.seed())
                .contains(e.replayCommand())
                .contains("x = 1000");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class).isNotInstanceOf(PropertyFailedError.class);
        Matcher m = REPLAY_SEED.matcher(e.getMessage());
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(e.seed());
    }

    @Test
    void replayingThePrintedSeedFailsTheSameWayInOneTry() {
        PropertyFailedError first = failureOf(Fixtures.FailsAt1000.class);
        Matcher m = REPLAY_SEED.matcher(first.getMessage());
        assertThat(m.find()).isTrue();

        PropertyFailedError replay = failureOf(Fixtures.FailsAt1000.class, Map.of("sansnet.seed", m.group(1)));

        assertThat(replay.seed()).isEqualTo(first.seed());
        assertThat(replay.tryIndex()).isEqualTo(-1);
        assertThat(replay.getMessage()).contains("failed when replaying seed " + first.seed());
        assertThat(replay.getCause()).hasSameClassAs(first.getCause());
        assertThat(replay.getCause().getMessage()).isEqualTo(first.getCause().getMessage());
        assertThat(replay.counterexample()).isEqualTo(first.counterexample());
        assertThat(replay.replayCommand()).isEqualTo(first.replayCommand());
    }

    @Test
    void anIntegerShrinksToTheExactBoundary() {
        PropertyFailedError e = failureOf(Fixtures.FailsAt1000.class);

        assertThat(e.counterexample()).contains("intBetween(0, 10000) = 1000\n");
        assertThat(e.getMessage()).contains("Shrunk counterexample");
        // the original failing value is kept as the cause, the shrunk one is reported and attached
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.getSuppressed()[0].getMessage()).contains("1000");
    }

    @Test
    void shrinkingKeepsToTheOriginalFailureAndDoesNotSlipToAnother() {
        PropertyFailedError e = failureOf(Fixtures.TwoBugs.class);

        assertThat(e.getCause()).hasMessageContaining("to be less than");
        assertThat(e.counterexample()).contains("x = 5000\n");
    }

    @Test
    void aListShrinksToTheShortestFailingListOfSimplestElements() {
        PropertyFailedError e = failureOf(Fixtures.FailsOnLongLists.class);

        assertThat(e.counterexample()).contains("xs = [0, 0, 0, 0, 0]\n").contains("listOf(0, 50) = size 5\n");
    }

    @Test
    void aListShrinksToTheOneOffendingElementAtItsBoundary() {
        PropertyFailedError e = failureOf(Fixtures.FailsOnBigElement.class);

        assertThat(e.counterexample()).contains("xs = [50]\n");
    }

    @Test
    void anUncheckedExceptionFailsThePropertyAndBytesShrinkShorterAndToZero() {
        PropertyFailedError e = failureOf(Fixtures.ThrowsOnMarkerByte.class);

        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(e.counterexample()).contains("bytes(0, 64) = [3 bytes] 0000ab\n");
        assertThat(e.getSuppressed()[0]).hasMessage("marker at 2");
    }

    @Test
    void shrinkingIsDeterministic() {
        PropertyFailedError a = failureOf(Fixtures.FailsOnBigElement.class);
        PropertyFailedError b = failureOf(Fixtures.FailsOnBigElement.class);

        assertThat(b.getMessage()).isEqualTo(a.getMessage());
    }

    @Test
    void aPassingPropertyRunsTheConfiguredNumberOfTries() {
        Fixtures.Passing.TRIES.set(0);
        EngineExecutionResults results = run(Fixtures.Passing.class, Map.of());

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(Fixtures.Passing.TRIES.get()).isEqualTo(123);
        assertThat(reportEntries(results))
                .containsExactly("tries=123 discarded=0 runSeed=" + Rng.runSeedFor("Fixtures$Passing#inBounds"));
    }

    @Test
    void aPropertyCanBeDeclaredThroughTheUsersOwnMetaAnnotation() {
        Fixtures.MetaAnnotated.TRIES.set(0);
        run(Fixtures.MetaAnnotated.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));

        assertThat(Fixtures.MetaAnnotated.TRIES.get()).isEqualTo(17);
    }

    @Test
    void exploreRunsTheExploreTriesAndTheTriesParameterStillWins() {
        Fixtures.Exploring.TRIES.set(0);
        run(Fixtures.Exploring.class, Map.of()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(Fixtures.Exploring.TRIES.get()).isEqualTo(5);

        Fixtures.Exploring.TRIES.set(0);
        run(Fixtures.Exploring.class, Map.of("sansnet.explore", "true"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(Fixtures.Exploring.TRIES.get()).isEqualTo(31);

        Fixtures.Exploring.TRIES.set(0);
        run(Fixtures.Exploring.class, Map.of("sansnet.explore", "true", "sansnet.tries", "3"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(Fixtures.Exploring.TRIES.get()).isEqualTo(3);

        // without exploreTries, explore keeps the property's own count
        Fixtures.Passing.TRIES.set(0);
        run(Fixtures.Passing.class, Map.of("sansnet.explore", "true"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(Fixtures.Passing.TRIES.get()).isEqualTo(123);
    }

    @Test
    void theTriesParameterOverridesTheAnnotation() {
        Fixtures.Passing.TRIES.set(0);
        run(Fixtures.Passing.class, Map.of("sansnet.tries", "7")).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(Fixtures.Passing.TRIES.get()).isEqualTo(7);
    }

    @Test
    void theSameRunSeedGivesTheSameDrawsAndAnotherRunSeedOthers() {
        List<Long> first = recordedDraws(Map.of());
        List<Long> second = recordedDraws(Map.of());
        List<Long> pinned = recordedDraws(Map.of("sansnet.runSeed", "42"));
        List<Long> pinnedAgain = recordedDraws(Map.of("sansnet.runSeed", "42"));

        assertThat(first).hasSize(50).isEqualTo(second).doesNotHaveDuplicates();
        assertThat(pinned).isEqualTo(pinnedAgain).isNotEqualTo(first);
        assertThat(pinned.get(3))
                .isEqualTo(Gen.fromSeed(PropertyRunner.trySeed(42, 3)).nextLong());
    }

    @Test
    void aPropertyWhoseTriesAreAllDiscardedFails() {
        EngineExecutionResults results = run(Fixtures.AlwaysDiscarded.class, Map.of());

        results.testEvents().assertStatistics(s -> s.failed(1));
        Throwable t = results.testEvents().failed().stream()
                .findFirst()
                .orElseThrow()
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(t).hasMessageContaining("all 20 tries were discarded");
    }

    @Test
    void aPropertyThatDoesNotFailAgainFromItsSeedIsReportedAsNondeterministic() {
        Fixtures.Flaky.CALLS.set(0);
        PropertyFailedError e = failureOf(Fixtures.Flaky.class);

        assertThat(e.tryIndex()).isZero();
        assertThat(e.getMessage()).contains("WARNING: re-running this try from its seed passed");
    }

    private static List<Long> recordedDraws(Map<String, String> parameters) {
        Fixtures.Recording.DRAWS.clear();
        run(Fixtures.Recording.class, parameters).testEvents().assertStatistics(s -> s.succeeded(1));
        return new ArrayList<>(Fixtures.Recording.DRAWS);
    }

    private static List<String> reportEntries(EngineExecutionResults results) {
        List<String> out = new ArrayList<>();
        results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
                .forEach(r -> out.add(r.getKeyValuePairs().get("sansnet.property")));
        return out;
    }
}
