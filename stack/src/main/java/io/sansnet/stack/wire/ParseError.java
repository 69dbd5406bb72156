package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * Why some bytes could not be parsed: the field at fault, the kind of fault, the byte offset where it was found
 * (relative to the start of the slice given to the parser) and a message for humans.
 *
 * @param field name of the field, e.g. {@code "ipv4.total_length"} or {@code "tcp.option.mss"}
 * @param kind what is wrong with it
 * @param offset byte offset of the field from the start of the parsed slice
 * @param message human-readable detail (never null)
 */
public record ParseError(String field, Kind kind, int offset, String message) {

    /** The kinds of malformed input. Counted by the host as drop reasons. */
    public enum Kind {
        /** Fewer bytes than the field or header needs. */
        TRUNCATED,
        /** The IP version nibble is not the expected one. */
        BAD_VERSION,
        /** A length field is impossible (below its minimum, beyond the data, not a multiple of its unit). */
        BAD_LENGTH,
        /** The checksum does not verify. */
        BAD_CHECKSUM,
        /** A field holds a value the protocol forbids (e.g. a zero UDP checksum over IPv6). */
        BAD_VALUE,
        /** A configured parsing limit was exceeded (e.g. too many IPv6 extension headers). */
        LIMIT_EXCEEDED
    }

    public ParseError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** This error as seen from an enclosing parser whose slice starts {@code delta} bytes earlier. */
    public ParseError shifted(int delta) {
        return new ParseError(field, kind, offset + delta, message);
    }

    @Override
    public String toString() {
        return kind + " " + field + " at " + offset + ": " + message;
    }
}
