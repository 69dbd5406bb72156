package io.sansnet.http;

/**
 * An HTTP/1.1 protocol violation, typed by whose fault it was (h11's {@code ProtocolError}): {@link LocalProtocolError}
 * when the application misused the API, {@link RemoteProtocolError} when the peer sent something invalid. Both carry
 * the status a server should answer with ({@link #statusHint()}), e.g. 400, 413, 414, 431, 501, 505.
 */
public abstract sealed class HttpProtocolError extends Exception permits LocalProtocolError, RemoteProtocolError {
    private static final long serialVersionUID = 1L;
    private final int statusHint;

    HttpProtocolError(String message, int statusHint) {
        super(message, null, false, false);
        this.statusHint = statusHint;
    }

    /** The HTTP status that describes this error best (400 unless a more specific one applies). */
    public int statusHint() {
        return statusHint;
    }
}
