package io.sansnet.http.server;

import java.nio.ByteBuffer;

/**
 * A response body produced on demand (pull): the server asks for bytes only when the transport can take them, so a
 * slow client slows the producer down instead of filling memory (backpressure).
 *
 * <p>Called on the connection's loop only. A source that returns 0 (nothing ready now) must later call the callback
 * given to {@link #onReady} when it has more; the server then asks again.
 */
public interface BodySource {

    /** {@link #read} result: the body is complete. */
    int END = -1;

    /**
     * Copies the next bytes into {@code dst} (at most {@code dst.remaining()}).
     *
     * @return the number of bytes copied, 0 when none are ready yet, or {@link #END} when the body is complete
     */
    int read(ByteBuffer dst) throws Exception;

    /** Registers the callback to run when a read that returned 0 could now make progress. Default: never needed. */
    default void onReady(Runnable callback) {}

    /** The response ended (completely or not): release what the source holds. Idempotent. */
    default void close() {}
}
