package io.sansnet.http.server;

/**
 * Answers one request. Runs on the connection's loop: it must not block; work that takes time returns a {@link
 * Reply#deferred deferred} reply completed later on the same loop. Whatever a handler does (throws, returns null,
 * answers twice, produces a body of the wrong length), the server keeps the connection's state consistent: an
 * exception before the response head is sent becomes 500, after it the connection is closed.
 */
@FunctionalInterface
public interface Handler {
    Reply handle(ServerRequest request) throws Exception;
}
