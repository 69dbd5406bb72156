package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sansnet.check.PropertyFailedError;
import io.sansnet.check.PropertyRunner;
import io.sansnet.sim.scenario.Scenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import io.sansnet.sim.scenario.UdpEchoScenario;
import io.sansnet.stack.fault.SpecParse;
import io.sansnet.stack.fault.Units;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3: the test-only bug (the echo server drops every 7th message) fails a simulation property; the report's
 * replay command reproduces exactly that failure and fingerprint, and the shrunk fault plan has every rate at 0.
 */
class BrokenScenarioPropertyTest {

    private static final Pattern REPLAY = Pattern.compile("replay: (\\./sansnet sim [^\\n]*)");
    private static final Pattern FINGERPRINT = Pattern.compile("fingerprint: ([0-9a-f]{16})");

    @Test
    void theBrokenEchoServerFailsAPropertyWithAShrunkReplayableReport() {
        Scenario broken = Scenarios.byName("udp-echo-broken").orElseThrow();
        PropertyFailedError e = catchThrowableOfType(
                PropertyFailedError.class,
                () -> PropertyRunner.named("udpEchoBroken")
                        .tries(50)
                        .shrinkSteps(300)
                        .run(g -> SimCheck.assertScenario(g, broken, 40)));
        assertThat(e).as("the property must fail").isNotNull();
        String report = e.getMessage();
        assertThat(report).contains("-Dsansnet.seed=").contains("message 6 unanswered");

        // the shrunk failure is the last scenario report in the message
        String replay = lastMatch(REPLAY, report);
        String fingerprint = lastMatch(FINGERPRINT, report);
        assertThat(replay)
                .contains("--loss 0 ")
                .contains("--duplicate 0 ")
                .contains("--reorder 0 ")
                .contains("--corrupt 0 ")
                .contains("--schedule none")
                .contains("--messages 7 ");

        ScenarioResult again = ScenarioRunner.run(parse(replay));
        assertThat(again.passed()).isFalse();
        assertThat(again.violations())
                .containsExactly("message 6 unanswered after " + UdpEchoScenario.MAX_ATTEMPTS + " attempts");
        assertThat(again.fingerprint()).isEqualTo(fingerprint);
        assertThat(again.plan().faultRatesZero()).isTrue();
    }

    private static String lastMatch(Pattern p, String text) {
        Matcher m = p.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertThat(last).as(p + " in\n" + text).isNotNull();
        return last;
    }

    /** The request a {@code ./sansnet sim ...} line asks for (the flags that report lines use). */
    static ScenarioRunner.Request parse(String command) {
        String[] t = command.split(" ");
        String scenario = null;
        long seed = 0;
        Double loss = null, dup = null, reorder = null, corrupt = null;
        Long latency = null, jitter = null, bw = null;
        Integer mtu = null, messages = null;
        java.util.List<Disruption> schedule = null;
        for (int i = 2; i < t.length; i += 2) {
            String v = t[i + 1];
            switch (t[i]) {
                case "--scenario" -> scenario = v;
                case "--seed" -> seed = Long.parseLong(v);
                case "--loss" -> loss = ok(Units.probability("loss", v));
                case "--duplicate" -> dup = ok(Units.probability("duplicate", v));
                case "--reorder" -> reorder = ok(Units.probability("reorder", v));
                case "--corrupt" -> corrupt = ok(Units.probability("corrupt", v));
                case "--latency" -> latency = ok(Units.durationNanos("latency", v));
                case "--jitter" -> jitter = ok(Units.durationNanos("jitter", v));
                case "--bandwidth" -> bw = ok(Units.rateBitsPerSecond("bandwidth", v));
                case "--mtu" -> mtu = Integer.parseInt(v);
                case "--schedule" -> schedule = ok(Disruption.parseList("schedule", v));
                case "--messages" -> messages = Integer.parseInt(v);
                case "--pcap" -> {}
                default -> throw new AssertionError("unknown flag " + t[i]);
            }
        }
        return new ScenarioRunner.Request(
                Scenarios.byName(scenario).orElseThrow(),
                seed,
                new FaultPlan.Overrides(loss, dup, reorder, corrupt, latency, jitter, bw, mtu, schedule),
                messages == null ? ScenarioOptions.DEFAULT : new ScenarioOptions(messages));
    }

    private static <T> T ok(SpecParse<T> p) {
        return ((SpecParse.Ok<T>) p).value();
    }
}
