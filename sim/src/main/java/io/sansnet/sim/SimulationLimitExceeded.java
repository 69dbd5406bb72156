package io.sansnet.sim;

/** A run went past a {@link SimLimits} bound: the scenario livelocks or never settles. */
public final class SimulationLimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which limit. */
    public enum Limit {
        VIRTUAL_TIME,
        EVENTS
    }

    private final Limit limit;

    SimulationLimitExceeded(Limit limit, String message) {
        super(message);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
