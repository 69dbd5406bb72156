package io.sansnet.http;

/**
 * The peer violated HTTP/1.1. A server answers with {@link #statusHint()} (when it can still send a response) and
 * closes the connection: after a framing error the byte stream can no longer be trusted (RFC 9112 §11.2).
 */
public final class RemoteProtocolError extends HttpProtocolError {
    private static final long serialVersionUID = 1L;

    public RemoteProtocolError(String message) {
        this(message, 400);
    }

    public RemoteProtocolError(String message, int statusHint) {
        super(message, statusHint);
    }
}
