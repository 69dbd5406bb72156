package io.sansnet.stack.tcp;

/** Why a connection ended, and whose doing it was. */
public enum CloseReason {
    /** Both directions finished with acknowledged FINs. */
    GRACEFUL,
    /** The peer sent an acceptable RST in a synchronized state (RFC 9293 §3.10.7.4). */
    RESET,
    /** Retransmissions went unacknowledged past the retry limit or user timeout (RFC 9293 §3.8.3). */
    TIMED_OUT,
    /** Our user called {@code abort()}, or closed before the connection existed. */
    ABORTED,
    /** The connection request was refused: an acceptable RST answered our SYN (RFC 9293 §3.10.7.3). */
    REFUSED
}
