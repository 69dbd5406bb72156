package io.sansnet.stack.tcp;

/**
 * What the application learns from a connection, drained with {@link TcpConnection#pollEvent()}. A connection raises
 * {@link Closed} exactly once, and nothing after it.
 */
public sealed interface TcpEvent {
    /** The three-way handshake completed: the connection is ESTABLISHED. */
    record Connected() implements TcpEvent {}

    /**
     * New in-order data can be read. Edge-triggered: raised again only after the user called {@code receive}.
     *
     * @param available octets readable when the event was raised
     */
    record Readable(int available) implements TcpEvent {}

    /** Send-buffer space opened after a {@code send} accepted less than it was offered. */
    record Writable(int free) implements TcpEvent {}

    /**
     * RFC 9293 §3.8.5: the peer marked urgent data. The data itself stays inline in the stream (RFC 6093 §4); this
     * event reports where the urgent data ends. Raised each time the urgent pointer advances.
     *
     * @param offsetInStream the urgent mark as a stream offset: the number of octets of the peer's stream (counted
     *     from its first data octet, 0) before the first octet following the urgent data
     */
    record UrgentMark(long offsetInStream) implements TcpEvent {}

    /** The peer's FIN arrived in order: after the readable data, the stream ends. */
    record PeerFinished() implements TcpEvent {}

    /**
     * The conversation is over. For GRACEFUL it is raised on entering TIME-WAIT (or CLOSED from LAST-ACK); the
     * connection may then linger in TIME-WAIT for 2*MSL, which only its host cares about.
     */
    record Closed(CloseReason reason) implements TcpEvent {}
}
