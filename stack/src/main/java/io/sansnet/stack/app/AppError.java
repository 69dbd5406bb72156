package io.sansnet.stack.app;

import java.util.Objects;

/**
 * Why an application request failed: a value, not an exception, so callers handle every kind.
 *
 * @param kind what went wrong
 * @param detail a message for humans (never null)
 */
public record AppError(Kind kind, String detail) {

    /** The kinds of failure. New transports add constants here (name not found, say). */
    public enum Kind {
        /** The local port is already bound. */
        ADDRESS_IN_USE,
        /** The host has no address of the destination's IP version, or no route to it. */
        NO_ROUTE,
        /** The datagram does not fit (larger than the protocol allows or than the host will fragment). */
        MESSAGE_TOO_BIG,
        /** The socket was closed, or its host crashed. */
        CLOSED,
        /** The host's send queue is full; try again later. */
        WOULD_BLOCK,
        /** A deadline passed before the operation completed. */
        TIMED_OUT,
        /** An argument is out of range (a port outside 0..65535, say). */
        INVALID_ARGUMENT,
        /** The transport does not offer this operation. */
        UNSUPPORTED,
        /** The peer refused the connection: a RST answered our SYN (RFC 9293 §3.10.7.3). */
        REFUSED,
        /** The connection was reset (a RST arrived, RFC 9293 §3.10.7.4) or aborted before it was established. */
        RESET
    }

    public AppError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
