package io.sansnet.stack.app;

/** A scheduled task that has not run yet can be cancelled. */
@FunctionalInterface
public interface Cancellable {

    /** Cancels the task; true when it had not run and now never will, false when it already ran or was cancelled. */
    boolean cancel();
}
