package io.sansnet.stack.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The writable side of an {@link AppFuture}, owned by one {@link EventLoop}: completed once, on that loop, and its
 * callbacks are handed to the loop with {@link EventLoop#execute}, so they run after the completing call returns.
 * Not thread-safe: the loop is its only user.
 */
public final class Promise<T> implements AppFuture<T> {

    private final EventLoop loop;
    private AppResult<T> result;
    private List<Consumer<AppResult<T>>> callbacks = new ArrayList<>();

    public Promise(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** Completes with {@code value}; false when already complete (the first outcome wins). */
    public boolean complete(T value) {
        return finish(AppResult.ok(value));
    }

    /** Completes with {@code error}; false when already complete. */
    public boolean fail(AppError error) {
        return finish(new AppResult.Err<>(error));
    }

    /** Completes with {@code outcome}; false when already complete. */
    public boolean finish(AppResult<T> outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (result != null) {
            return false;
        }
        result = outcome;
        List<Consumer<AppResult<T>>> waiting = callbacks;
        callbacks = null;
        for (Consumer<AppResult<T>> cb : waiting) {
            loop.execute(() -> cb.accept(outcome));
        }
        return true;
    }

    @Override
    public boolean isDone() {
        return result != null;
    }

    @Override
    public AppResult<T> result() {
        return result;
    }

    @Override
    public void onComplete(Consumer<AppResult<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        if (result == null) {
            callbacks.add(callback);
        } else {
            AppResult<T> r = result;
            loop.execute(() -> callback.accept(r));
        }
    }

    @Override
    public <U> AppFuture<U> map(Function<? super T, ? extends U> f) {
        Promise<U> next = new Promise<>(loop);
        onComplete(r -> {
            if (r instanceof AppResult.Ok<T> ok) {
                next.complete(f.apply(ok.value()));
            } else {
                next.fail(r.error());
            }
        });
        return next;
    }

    @Override
    public <U> AppFuture<U> flatMap(Function<? super T, AppFuture<U>> f) {
        Promise<U> next = new Promise<>(loop);
        onComplete(r -> {
            if (r instanceof AppResult.Ok<T> ok) {
                f.apply(ok.value()).onComplete(next::finish);
            } else {
                next.fail(r.error());
            }
        });
        return next;
    }

    @Override
    public String toString() {
        return result == null ? "Promise[pending]" : "Promise[" + result + "]";
    }
}
