package io.sansnet.stack.fault;

/**
 * The outcome of parsing a piece of command-line text (an impairment SPEC, a probability, a duration, a rate): a value
 * or an error naming the bad key or value. Parsers returning this never throw on any input.
 *
 * @param <T> the type of the parsed value
 */
public sealed interface SpecParse<T> {

    /** The text was valid. */
    record Ok<T>(T value) implements SpecParse<T> {}

    /** The text was not valid; {@link SpecError#message()} says why. */
    record Err<T>(SpecError error) implements SpecParse<T> {}

    /** A failed parse of {@code key=value} for the stated reason. */
    static <T> SpecParse<T> err(String key, String value, String reason) {
        return new Err<>(new SpecError(key, value, reason));
    }
}
