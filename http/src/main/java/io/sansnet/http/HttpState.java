package io.sansnet.http;

/**
 * The state of one party (client or server) of an HTTP/1.1 connection, as in h11's {@code _state.py}.
 * Both parties' states live in {@link ConnectionStateMachine}; its tables are the only place where they change.
 */
public enum HttpState {
    /** Between messages: nothing of the next message has been sent. */
    IDLE,
    /** Server only: a request was received, no final response head sent yet (1xx may be sent). */
    SEND_RESPONSE,
    /** The head was sent; body data and then EndOfMessage follow. */
    SEND_BODY,
    /** The message was completed; waiting for the other party to finish its message. */
    DONE,
    /** The message was completed but the connection cannot be reused: the only way on is closing. */
    MUST_CLOSE,
    /** This party closed its side of the connection. */
    CLOSED,
    /** Client only: it proposed Upgrade or CONNECT and waits for the server's decision. */
    MIGHT_SWITCH_PROTOCOL,
    /** The connection left HTTP/1.1 (101 to an Upgrade, 2xx to CONNECT); the bytes are no longer ours. */
    SWITCHED_PROTOCOL,
    /** This party violated the protocol (or the application misused the API on its behalf). */
    ERROR
}
