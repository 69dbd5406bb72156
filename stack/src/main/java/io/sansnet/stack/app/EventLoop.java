package io.sansnet.stack.app;

/**
 * The loop that owns a host: a clock, timers, and a queue of tasks that run one at a time on the loop's thread (see
 * the package documentation for the threading model).
 */
public interface EventLoop extends AppClock {

    /**
     * Runs {@code task} on the loop {@code delayNanos} after {@link #nowNanos()}; a delay of 0 runs it after the tasks
     * already due now. Tasks due at the same instant run in the order they were scheduled.
     */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the loop as soon as possible, after the current callback returns. */
    default void execute(Runnable task) {
        schedule(0, task);
    }

    /** A new promise whose callbacks run on this loop. */
    default <T> Promise<T> newPromise() {
        return new Promise<>(this);
    }

    /** A future that completes (with null) after {@code delayNanos}: a sleep that blocks nobody. */
    default AppFuture<Void> sleep(long delayNanos) {
        Promise<Void> p = newPromise();
        schedule(delayNanos, () -> p.complete(null));
        return p;
    }
}
