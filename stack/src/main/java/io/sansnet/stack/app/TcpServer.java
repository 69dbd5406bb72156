package io.sansnet.stack.app;

/** A listening TCP port of a {@link TcpTransport}. Used from the owning loop only. */
public interface TcpServer {

    /** The listening port. */
    int localPort();

    /** Stops listening: later SYNs are answered with RST; connections not yet accepted are aborted. Idempotent. */
    void close();
}
