package io.sansnet.http.server;

/**
 * The wall clock, injected (the protocol code never reads one itself): the simulator gives virtual time, drivers
 * {@code System::currentTimeMillis}. Used only for the {@code Date} header and the access log.
 */
@FunctionalInterface
public interface WallClock {
    /** Milliseconds since 1970-01-01T00:00:00Z. */
    long epochMillis();
}
