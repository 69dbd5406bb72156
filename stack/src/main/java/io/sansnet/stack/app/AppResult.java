package io.sansnet.stack.app;

import java.util.Objects;

/** The outcome of an application request: a value or an {@link AppError}. */
public sealed interface AppResult<T> {

    /** The request succeeded (the value may be null for {@code Void} results). */
    record Ok<T>(T value) implements AppResult<T> {}

    /** The request failed. */
    record Err<T>(AppError error) implements AppResult<T> {
        public Err {
            Objects.requireNonNull(error, "error");
        }
    }

    static <T> AppResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> AppResult<T> err(AppError.Kind kind, String detail) {
        return new Err<>(new AppError(kind, detail));
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value of an {@link Ok}; throws {@link IllegalStateException} (API misuse) on an {@link Err}. */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("failed: " + ((Err<T>) this).error());
    }

    /** The error of an {@link Err}; throws {@link IllegalStateException} (API misuse) on an {@link Ok}. */
    default AppError error() {
        if (this instanceof Err<T> err) {
            return err.error();
        }
        throw new IllegalStateException("succeeded: " + ((Ok<T>) this).value());
    }
}
