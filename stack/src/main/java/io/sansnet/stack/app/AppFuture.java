package io.sansnet.stack.app;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A result that arrives later, on the owning loop. Unlike {@code CompletableFuture} it never runs a callback on
 * another thread and never blocks: a test that wants to wait runs its simulation until {@link #isDone()} (see the
 * simulator's {@code Simulation.await}).
 */
public interface AppFuture<T> {

    /** True once completed (successfully or not). */
    boolean isDone();

    /** The outcome, or null while not done. */
    AppResult<T> result();

    /**
     * Calls {@code callback} with the outcome on the owning loop: after completion, never synchronously inside this
     * call or inside the call that completes the future.
     */
    void onComplete(Consumer<AppResult<T>> callback);

    /** A future of {@code f} applied to this future's value; errors pass through unchanged. */
    <U> AppFuture<U> map(Function<? super T, ? extends U> f);

    /** A future that continues with {@code f}'s future once this one succeeds; errors pass through unchanged. */
    <U> AppFuture<U> flatMap(Function<? super T, AppFuture<U>> f);
}
