package io.sansnet.driver;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A call from a user thread handed to a driver's loop thread, the caller waiting for its result. */
public final class LoopCalls {
    private LoopCalls() {}

    /**
     * Hands {@code call} to the loop through {@code handOver} and waits up to {@code wait} for its result: CLOSED
     * when the wait is interrupted or the loop does not answer in time; an unchecked exception thrown by the call is
     * rethrown here (and, on the loop, left to the loop's own handling).
     */
    public static <T> AppResult<T> await(
            Consumer<Runnable> handOver, Supplier<AppResult<T>> call, String loopName, Duration wait) {
        CompletableFuture<AppResult<T>> f = new CompletableFuture<>();
        handOver.accept(() -> {
            try {
                f.complete(call.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
                throw e;
            }
        });
        try {
            return f.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AppResult.err(AppError.Kind.CLOSED, "interrupted while waiting for the loop of " + loopName);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return AppResult.err(AppError.Kind.CLOSED, "the loop of " + loopName + " does not answer (closed?)");
        }
    }
}
