package io.sansnet.stack.fault;

import java.util.Objects;

/**
 * Why a piece of command-line text was rejected.
 *
 * @param key the key or flag the value belongs to (for example {@code loss}); empty when there is none
 * @param value the offending text as given
 * @param reason what is wrong with it, in words (for example {@code "must be a fraction 0..1"})
 */
public record SpecError(String key, String value, String reason) {
    public SpecError {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
    }

    /** A one-line message for a user, naming the key and the value: {@code loss=1.5: must be a fraction 0..1}. */
    public String message() {
        return (key.isEmpty() ? "'" + value + "'" : key + "=" + value) + ": " + reason;
    }
}
