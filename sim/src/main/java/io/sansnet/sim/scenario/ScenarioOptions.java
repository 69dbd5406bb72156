package io.sansnet.sim.scenario;

/**
 * The size of a scenario's workload: shrinking makes runs shorter by lowering it.
 *
 * @param messages requests the client makes (echo messages, pings)
 */
public record ScenarioOptions(int messages) {

    /** Twenty requests: enough for every fault to show at the drawn rates, a few milliseconds of wall time. */
    public static final int DEFAULT_MESSAGES = 20;

    /** Upper bound of {@link #messages}: keeps a run's memory and time bounded. */
    public static final int MAX_MESSAGES = 100_000;

    public static final ScenarioOptions DEFAULT = new ScenarioOptions(DEFAULT_MESSAGES);

    public ScenarioOptions {
        if (messages < 1 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("messages must be 1.." + MAX_MESSAGES + ": " + messages);
        }
    }
}
