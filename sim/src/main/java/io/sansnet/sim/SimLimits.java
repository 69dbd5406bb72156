package io.sansnet.sim;

/**
 * Bounds that stop a run which livelocks: a run that passes either fails with {@link SimulationLimitExceeded}.
 *
 * @param maxVirtualTimeNanos no event runs later than this virtual time
 * @param maxEvents no more than this many events run in one simulation
 */
public record SimLimits(long maxVirtualTimeNanos, long maxEvents) {

    /** One virtual hour: far longer than any scenario needs, short enough to stop a retry storm quickly. */
    public static final long DEFAULT_MAX_VIRTUAL_TIME_NANOS = 3_600_000_000_000L;

    /** Ten million events: a few seconds of wall time, far more than a scenario needs. */
    public static final long DEFAULT_MAX_EVENTS = 10_000_000L;

    public static final SimLimits DEFAULT = new SimLimits(DEFAULT_MAX_VIRTUAL_TIME_NANOS, DEFAULT_MAX_EVENTS);

    public SimLimits {
        if (maxVirtualTimeNanos <= 0 || maxEvents <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
