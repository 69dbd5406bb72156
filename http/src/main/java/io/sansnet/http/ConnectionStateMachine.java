package io.sansnet.http;

import static io.sansnet.http.HttpState.CLOSED;
import static io.sansnet.http.HttpState.DONE;
import static io.sansnet.http.HttpState.ERROR;
import static io.sansnet.http.HttpState.IDLE;
import static io.sansnet.http.HttpState.MIGHT_SWITCH_PROTOCOL;
import static io.sansnet.http.HttpState.MUST_CLOSE;
import static io.sansnet.http.HttpState.SEND_BODY;
import static io.sansnet.http.HttpState.SEND_RESPONSE;
import static io.sansnet.http.HttpState.SWITCHED_PROTOCOL;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * The states of both parties of one HTTP/1.1 connection and every rule that moves them (a port of h11's
 * {@code _state.py}). Read first: RFC 9112 §9 (connection management), RFC 9110 §7.8 (Upgrade), §9.3.6 (CONNECT).
 *
 * <p>Rules of this file: all state changes of both parties happen here, nowhere else; the file does not know which
 * role is ours (the same table checks what we send and what we receive); a transition missing from {@link
 * #EVENT_TRIGGERED} is a protocol error ("can't handle X when role=Y and state=Z").
 *
 * <p>Two kinds of transitions: <em>event-triggered</em> ones, when a party sends an event, and <em>state-triggered</em>
 * ones, applied after every change until nothing moves (keep-alive off turns DONE into MUST_CLOSE, a close by one
 * side makes the other MUST_CLOSE, an accepted switch proposal moves the client to SWITCHED_PROTOCOL).
 */
final class ConnectionStateMachine {

    /** The kinds of events that move states, with the server's switch answers as separate triggers. */
    enum Trigger {
        REQUEST,
        INFORMATIONAL_RESPONSE,
        RESPONSE,
        DATA,
        END_OF_MESSAGE,
        CONNECTION_CLOSED,
        /** The server's view of the client sending its Request. */
        CLIENT_REQUEST,
        /** 101 Switching Protocols answering a pending Upgrade proposal. */
        INFORMATIONAL_RESPONSE_SWITCH_UPGRADE,
        /** 2xx answering a pending CONNECT. */
        RESPONSE_SWITCH_CONNECT
    }

    /** What a client can propose to leave HTTP/1.1 for. */
    enum Switch {
        UPGRADE,
        CONNECT
    }

    private static final Map<Role, Map<HttpState, Map<Trigger, HttpState>>> EVENT_TRIGGERED = new EnumMap<>(Role.class);

    private static void on(Role role, HttpState from, Trigger trigger, HttpState to) {
        EVENT_TRIGGERED
                .computeIfAbsent(role, r -> new EnumMap<>(HttpState.class))
                .computeIfAbsent(from, s -> new EnumMap<>(Trigger.class))
                .put(trigger, to);
    }

    static {
        // Client: a request head, its body, then wait; the connection may close whenever no message is in flight.
        on(Role.CLIENT, IDLE, Trigger.REQUEST, SEND_BODY);
        on(Role.CLIENT, IDLE, Trigger.CONNECTION_CLOSED, CLOSED);
        on(Role.CLIENT, SEND_BODY, Trigger.DATA, SEND_BODY);
        on(Role.CLIENT, SEND_BODY, Trigger.END_OF_MESSAGE, DONE);
        on(Role.CLIENT, DONE, Trigger.CONNECTION_CLOSED, CLOSED);
        on(Role.CLIENT, MUST_CLOSE, Trigger.CONNECTION_CLOSED, CLOSED);
        on(Role.CLIENT, CLOSED, Trigger.CONNECTION_CLOSED, CLOSED);
        // Server: it may answer before any request (e.g. 400 to garbage, 408), or after one; 1xx keeps it in
        // SEND_RESPONSE; 101 to an Upgrade or 2xx to a CONNECT leaves HTTP.
        on(Role.SERVER, IDLE, Trigger.CONNECTION_CLOSED, CLOSED);
        on(Role.SERVER, IDLE, Trigger.RESPONSE, SEND_BODY);
        on(Role.SERVER, IDLE, Trigger.CLIENT_REQUEST, SEND_RESPONSE);
        on(Role.SERVER, SEND_RESPONSE, Trigger.INFORMATIONAL_RESPONSE, SEND_RESPONSE);
        on(Role.SERVER, SEND_RESPONSE, Trigger.RESPONSE, SEND_BODY);
        on(Role.SERVER, SEND_RESPONSE, Trigger.INFORMATIONAL_RESPONSE_SWITCH_UPGRADE, SWITCHED_PROTOCOL);
        on(Role.SERVER, SEND_RESPONSE, Trigger.RESPONSE_SWITCH_CONNECT, SWITCHED_PROTOCOL);
        on(Role.SERVER, SEND_BODY, Trigger.DATA, SEND_BODY);
        on(Role.SERVER, SEND_BODY, Trigger.END_OF_MESSAGE, DONE);
        on(Role.SERVER, DONE, Trigger.CONNECTION_CLOSED, CLOSED);
        on(Role.SERVER, MUST_CLOSE, Trigger.CONNECTION_CLOSED, CLOSED);
        on(Role.SERVER, CLOSED, Trigger.CONNECTION_CLOSED, CLOSED);
    }

    private final EnumMap<Role, HttpState> states = new EnumMap<>(Role.class);
    private boolean keepAlive = true;
    private final EnumSet<Switch> pendingSwitchProposals = EnumSet.noneOf(Switch.class);

    ConnectionStateMachine() {
        states.put(Role.CLIENT, IDLE);
        states.put(Role.SERVER, IDLE);
    }

    HttpState state(Role role) {
        return states.get(role);
    }

    boolean keepAlive() {
        return keepAlive;
    }

    boolean hasPendingSwitch(Switch s) {
        return pendingSwitchProposals.contains(s);
    }

    boolean hasPendingSwitchProposal() {
        return !pendingSwitchProposals.isEmpty();
    }

    /** RFC 9112 §9.3: once either side says "close" (or is HTTP/1.0 without keep-alive), this cycle is the last. */
    void processKeepAliveDisabled() {
        keepAlive = false;
        fireStateTriggeredTransitions();
    }

    /** The client sent Upgrade (RFC 9110 §7.8) or CONNECT (§9.3.6); the server decides with its response. */
    void processClientSwitchProposal(Switch s) {
        pendingSwitchProposals.add(s);
        fireStateTriggeredTransitions();
    }

    /**
     * {@code role} violated the protocol: its state is ERROR for good, and the connection cannot be reused (the byte
     * stream can no longer be trusted, RFC 9112 §11.2), so a response still sent says "close".
     */
    void processError(Role role) {
        states.put(role, ERROR);
        keepAlive = false;
        fireStateTriggeredTransitions();
    }

    /**
     * {@code role} sends an event of kind {@code trigger}; {@code serverSwitch} is the proposal a server response
     * accepts (101 for UPGRADE, 2xx for CONNECT), else null.
     */
    void processEvent(Role role, Trigger trigger, Switch serverSwitch) throws LocalProtocolError {
        Trigger t = trigger;
        if (serverSwitch != null) {
            if (role != Role.SERVER) throw new LocalProtocolError("only a server accepts a protocol switch");
            if (!pendingSwitchProposals.contains(serverSwitch))
                throw new LocalProtocolError("switch to " + serverSwitch + " without a pending proposal");
            t = serverSwitch == Switch.UPGRADE
                    ? Trigger.INFORMATIONAL_RESPONSE_SWITCH_UPGRADE
                    : Trigger.RESPONSE_SWITCH_CONNECT;
        }
        // A final response that is not a switch declines every proposal (RFC 9110 §7.8: the server "ignores" Upgrade).
        if (serverSwitch == null && trigger == Trigger.RESPONSE) pendingSwitchProposals.clear();
        fireEventTriggeredTransition(role, t);
        // The server's state follows the client's request: it now owes a response.
        if (trigger == Trigger.REQUEST) fireEventTriggeredTransition(Role.SERVER, Trigger.CLIENT_REQUEST);
        fireStateTriggeredTransitions();
    }

    private void fireEventTriggeredTransition(Role role, Trigger trigger) throws LocalProtocolError {
        HttpState from = states.get(role);
        HttpState to = EVENT_TRIGGERED
                .getOrDefault(role, Map.of())
                .getOrDefault(from, Map.of())
                .get(trigger);
        if (to == null)
            throw new LocalProtocolError(
                    "can't handle event type " + trigger + " when role=" + role + " and state=" + from);
        states.put(role, to);
    }

    /** Applies the state-triggered transitions until none applies (they are idempotent, so one pass each suffices). */
    private void fireStateTriggeredTransitions() {
        while (true) {
            HttpState startClient = states.get(Role.CLIENT), startServer = states.get(Role.SERVER);
            // A client that proposed a switch and finished its request waits for the server's decision ...
            if (!pendingSwitchProposals.isEmpty() && startClient == DONE)
                states.put(Role.CLIENT, MIGHT_SWITCH_PROTOCOL);
            // ... and goes back to DONE if the server declined.
            if (pendingSwitchProposals.isEmpty() && states.get(Role.CLIENT) == MIGHT_SWITCH_PROTOCOL)
                states.put(Role.CLIENT, DONE);
            // Without keep-alive, finishing a message means closing next.
            if (!keepAlive) {
                for (Role r : Role.values()) if (states.get(r) == DONE) states.put(r, MUST_CLOSE);
            }
            HttpState c = states.get(Role.CLIENT), s = states.get(Role.SERVER);
            // Joint rules (h11 STATE_TRIGGERED_TRANSITIONS):
            if (c == MIGHT_SWITCH_PROTOCOL && s == SWITCHED_PROTOCOL) states.put(Role.CLIENT, SWITCHED_PROTOCOL);
            // A client that closed (or failed) gets no more responses after the current one.
            else if (c == CLOSED && (s == DONE || s == IDLE)) states.put(Role.SERVER, MUST_CLOSE);
            else if (c == ERROR && s == DONE) states.put(Role.SERVER, MUST_CLOSE);
            // A server that closed (or failed) gets no more requests.
            else if ((c == DONE || c == IDLE) && s == CLOSED) states.put(Role.CLIENT, MUST_CLOSE);
            else if (c == DONE && s == ERROR) states.put(Role.CLIENT, MUST_CLOSE);
            if (states.get(Role.CLIENT) == startClient && states.get(Role.SERVER) == startServer) return;
        }
    }

    /** Both finished a keep-alive cycle: reset for the next request (RFC 9112 §9.3 persistence). */
    void startNextCycle() throws LocalProtocolError {
        if (states.get(Role.CLIENT) != DONE || states.get(Role.SERVER) != DONE)
            throw new LocalProtocolError("not in a reusable state: client=" + states.get(Role.CLIENT) + " server="
                    + states.get(Role.SERVER));
        // keepAlive is necessarily true here (else DONE would have become MUST_CLOSE) and no proposal is pending.
        states.put(Role.CLIENT, IDLE);
        states.put(Role.SERVER, IDLE);
    }
}
