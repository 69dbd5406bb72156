package io.sansnet.http;

/** The application asked the connection to do something HTTP/1.1 forbids in the current state (API misuse). */
public final class LocalProtocolError extends HttpProtocolError {
    private static final long serialVersionUID = 1L;

    public LocalProtocolError(String message) {
        this(message, 400);
    }

    public LocalProtocolError(String message, int statusHint) {
        super(message, statusHint);
    }
}
