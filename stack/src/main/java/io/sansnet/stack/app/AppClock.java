package io.sansnet.stack.app;

/** The owning loop's clock: virtual time in a simulation, a monotonic clock in a driver. Never the wall clock. */
@FunctionalInterface
public interface AppClock {

    /** Nanoseconds since the loop started; never goes backwards. */
    long nowNanos();
}
