package io.sansnet.stack.wire;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of parsing untrusted bytes: a value or a typed {@link ParseError}. Parsers in this package never throw on
 * any input bytes; they return {@link Err} instead.
 *
 * <pre>{@code
 * Parsed<Ipv4Packet> p = Ipv4Packet.parse(buf, 0, n);
 * if (p instanceof Parsed.Ok<Ipv4Packet> ok) handle(ok.value());
 * else counters.drop(p.error().kind());
 * }</pre>
 */
public sealed interface Parsed<T> {

    /** A successfully parsed value. */
    record Ok<T>(T value) implements Parsed<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A parse failure. */
    record Err<T>(ParseError error) implements Parsed<T> {
        public Err {
            Objects.requireNonNull(error, "error");
        }
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> err(String field, ParseError.Kind kind, int offset, String message) {
        return new Err<>(new ParseError(field, kind, offset, message));
    }

    static <T> Parsed<T> err(ParseError error) {
        return new Err<>(error);
    }

    /** True for {@link Ok}. */
    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value of an {@link Ok}; throws {@link IllegalStateException} (API misuse) on an {@link Err}. */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("not parsed: " + ((Err<T>) this).error());
    }

    /** The error of an {@link Err}; throws {@link IllegalStateException} (API misuse) on an {@link Ok}. */
    default ParseError error() {
        if (this instanceof Err<T> err) {
            return err.error();
        }
        throw new IllegalStateException("parsed fine: " + ((Ok<T>) this).value());
    }

    /** The value, or {@code null} on an error. */
    default T orNull() {
        return this instanceof Ok<T> ok ? ok.value() : null;
    }

    default <U> Parsed<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Err<>(((Err<T>) this).error());
    }

    default <U> Parsed<U> flatMap(Function<? super T, Parsed<U>> f) {
        if (this instanceof Ok<T> ok) {
            return f.apply(ok.value());
        }
        return new Err<>(((Err<T>) this).error());
    }
}
