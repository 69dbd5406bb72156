package io.sansnet.stack.tcp;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The eleven connection states of <a href="https://www.rfc-editor.org/rfc/rfc9293#section-3.3.2">RFC 9293 §3.3.2</a>
 * and the legal moves between them (Figure 5, plus the RST and timeout exits every state has).
 */
public enum TcpState {
    /** No connection: the TCB is gone (or not yet made). */
    CLOSED,
    /** Waiting for a connection request from any remote TCP peer and port. */
    LISTEN,
    /** Sent a connection request, waiting for a matching one. */
    SYN_SENT,
    /** Received and sent a connection request, waiting for its acknowledgement. */
    SYN_RECEIVED,
    /** An open connection: data flows both ways. */
    ESTABLISHED,
    /** We closed: waiting for the peer's FIN or the ACK of ours. */
    FIN_WAIT_1,
    /** Our FIN is acknowledged: waiting for the peer's FIN. */
    FIN_WAIT_2,
    /** The peer closed: waiting for our user to close. */
    CLOSE_WAIT,
    /** Both closed at once: waiting for the ACK of our FIN. */
    CLOSING,
    /** The peer closed first, then we did: waiting for the ACK of our FIN. */
    LAST_ACK,
    /** Both FINs exchanged: waiting 2*MSL so old duplicates die out. */
    TIME_WAIT;

    private static final Map<TcpState, Set<TcpState>> NEXT = new EnumMap<>(TcpState.class);

    static {
        NEXT.put(CLOSED, EnumSet.of(LISTEN, SYN_SENT));
        NEXT.put(LISTEN, EnumSet.of(SYN_RECEIVED, SYN_SENT, CLOSED));
        NEXT.put(SYN_SENT, EnumSet.of(SYN_RECEIVED, ESTABLISHED, CLOSED));
        NEXT.put(SYN_RECEIVED, EnumSet.of(ESTABLISHED, FIN_WAIT_1, CLOSE_WAIT, LISTEN, CLOSED));
        NEXT.put(ESTABLISHED, EnumSet.of(FIN_WAIT_1, CLOSE_WAIT, CLOSED));
        NEXT.put(FIN_WAIT_1, EnumSet.of(FIN_WAIT_2, CLOSING, TIME_WAIT, CLOSED));
        NEXT.put(FIN_WAIT_2, EnumSet.of(TIME_WAIT, CLOSED));
        NEXT.put(CLOSE_WAIT, EnumSet.of(LAST_ACK, CLOSED));
        NEXT.put(CLOSING, EnumSet.of(TIME_WAIT, CLOSED));
        NEXT.put(LAST_ACK, EnumSet.of(CLOSED));
        NEXT.put(TIME_WAIT, EnumSet.of(CLOSED));
    }

    /** Whether RFC 9293's diagram (with RST/timeout exits) allows moving from this state to {@code next}. */
    public boolean canMoveTo(TcpState next) {
        return NEXT.get(this).contains(next);
    }

    /** States after the handshake completed ("synchronized states", RFC 9293 §3.5.2 group 3), or SYN-RECEIVED. */
    public boolean isSynchronized() {
        return this != CLOSED && this != LISTEN && this != SYN_SENT;
    }
}
