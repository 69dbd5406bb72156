package io.sansnet.sim.scenario;

import io.sansnet.sim.ChannelStats;
import io.sansnet.sim.FaultPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one seeded scenario run: everything {@code sim} prints except the wall time.
 *
 * @param scenario the scenario's name
 * @param seed the run's seed
 * @param plan the fault plan it ran with
 * @param given the values the user gave (the rest were drawn from the seed)
 * @param options the workload size
 * @param virtualTimeNanos virtual time when the run ended
 * @param events simulation events run
 * @param stats what the links did
 * @param violations the invariants that failed (empty: the run passed)
 * @param facts the scenario's own {@code key: value} facts
 * @param fingerprint the determinism fingerprint
 */
public record ScenarioResult(
        String scenario,
        String scenarioFlags,
        long seed,
        FaultPlan plan,
        FaultPlan.Overrides given,
        ScenarioOptions options,
        long virtualTimeNanos,
        long events,
        ChannelStats stats,
        List<String> violations,
        List<String[]> facts,
        String fingerprint) {

    public ScenarioResult {
        violations = List.copyOf(violations);
        facts = List.copyOf(facts);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** {@code pass}, or {@code fail: <first violated invariant>}. */
    public String outcome() {
        return passed() ? "pass" : "fail: " + violations.get(0);
    }

    /** The one-line command that replays this run with its capture in {@code pcapFile}. */
    public String replayCommand(String pcapFile) {
        StringBuilder sb = new StringBuilder("./sansnet sim --scenario ")
                .append(scenario)
                .append(" --seed ")
                .append(seed);
        if (!scenarioFlags.isEmpty()) {
            sb.append(' ').append(scenarioFlags);
        }
        String flags = given.flags();
        if (!flags.isEmpty()) {
            sb.append(' ').append(flags);
        }
        if (options.messages() != ScenarioOptions.DEFAULT_MESSAGES) {
            sb.append(" --messages ").append(options.messages());
        }
        return sb.append(" --pcap ").append(pcapFile).toString();
    }

    /** The default capture file name for a replay of this run. */
    public String defaultPcapName() {
        return scenario + "-" + seed + ".pcapng";
    }

    /**
     * The fields {@code sim} prints, in order, without the wall time (which only the CLI knows): scenario, seed, the
     * fault settings, virtual-time, events, sent, lost, duplicated, reordered, corrupted, outcome, fingerprint.
     */
    public List<String[]> fields() {
        List<String[]> f = new ArrayList<>();
        f.add(new String[] {"scenario", scenario});
        f.add(new String[] {"seed", Long.toString(seed)});
        f.addAll(plan.fields());
        f.add(new String[] {"virtual-time", formatNanos(virtualTimeNanos)});
        f.add(new String[] {"events", Long.toString(events)});
        f.add(new String[] {"sent", Long.toString(stats.offered())});
        f.add(new String[] {"lost", Long.toString(stats.lost())});
        f.add(new String[] {"duplicated", Long.toString(stats.duplicated())});
        f.add(new String[] {"reordered", Long.toString(stats.reordered())});
        f.add(new String[] {"corrupted", Long.toString(stats.corrupted())});
        f.add(new String[] {"outcome", outcome()});
        f.add(new String[] {"fingerprint", fingerprint});
        return f;
    }

    /** Seconds with nanosecond precision: {@code 1.234567890s}. */
    public static String formatNanos(long nanos) {
        return nanos / 1_000_000_000L + "." + String.format(Locale.ROOT, "%09d", nanos % 1_000_000_000L) + "s";
    }
}
