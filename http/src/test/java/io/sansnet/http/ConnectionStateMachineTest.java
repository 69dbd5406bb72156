package io.sansnet.http;

import static io.sansnet.http.ConnectionStateMachine.Trigger.CONNECTION_CLOSED;
import static io.sansnet.http.ConnectionStateMachine.Trigger.DATA;
import static io.sansnet.http.ConnectionStateMachine.Trigger.END_OF_MESSAGE;
import static io.sansnet.http.ConnectionStateMachine.Trigger.INFORMATIONAL_RESPONSE;
import static io.sansnet.http.ConnectionStateMachine.Trigger.REQUEST;
import static io.sansnet.http.ConnectionStateMachine.Trigger.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.http.ConnectionStateMachine.Switch;
import org.junit.jupiter.api.Test;

/** The transition table on its own, as h11's test_state.py does. */
class ConnectionStateMachineTest {
    private final ConnectionStateMachine cs = new ConnectionStateMachine();

    private void assertStates(HttpState client, HttpState server) {
        assertThat(cs.state(Role.CLIENT)).as("client").isEqualTo(client);
        assertThat(cs.state(Role.SERVER)).as("server").isEqualTo(server);
    }

    @Test
    void oneKeepAliveCycleEndsWithBothDoneAndRestarts() throws Exception {
        cs.processEvent(Role.CLIENT, REQUEST, null);
        assertStates(HttpState.SEND_BODY, HttpState.SEND_RESPONSE);
        cs.processEvent(Role.CLIENT, DATA, null);
        cs.processEvent(Role.CLIENT, END_OF_MESSAGE, null);
        cs.processEvent(Role.SERVER, INFORMATIONAL_RESPONSE, null);
        cs.processEvent(Role.SERVER, RESPONSE, null);
        cs.processEvent(Role.SERVER, END_OF_MESSAGE, null);
        assertStates(HttpState.DONE, HttpState.DONE);
        cs.startNextCycle();
        assertStates(HttpState.IDLE, HttpState.IDLE);
    }

    @Test
    void missingTransitionsAreRefusedByName() {
        assertThatThrownBy(() -> cs.processEvent(Role.CLIENT, RESPONSE, null))
                .isInstanceOf(LocalProtocolError.class)
                .hasMessage("can't handle event type RESPONSE when role=CLIENT and state=IDLE");
        assertThatThrownBy(() -> cs.processEvent(Role.SERVER, END_OF_MESSAGE, null))
                .isInstanceOf(LocalProtocolError.class);
    }

    @Test
    void keepAliveOffTurnsDoneIntoMustClose() throws Exception {
        cs.processEvent(Role.CLIENT, REQUEST, null);
        cs.processKeepAliveDisabled();
        cs.processEvent(Role.CLIENT, END_OF_MESSAGE, null);
        assertStates(HttpState.MUST_CLOSE, HttpState.SEND_RESPONSE);
        assertThatThrownBy(cs::startNextCycle).isInstanceOf(LocalProtocolError.class);
    }

    @Test
    void aClosedClientLeavesTheServerMustClose() throws Exception {
        cs.processEvent(Role.CLIENT, CONNECTION_CLOSED, null);
        assertStates(HttpState.CLOSED, HttpState.MUST_CLOSE);
    }

    @Test
    void anErrorDisablesKeepAlive() {
        cs.processError(Role.CLIENT);
        assertThat(cs.keepAlive()).isFalse();
        assertStates(HttpState.ERROR, HttpState.IDLE);
    }

    @Test
    void upgradeProposalWaitsForTheServerDecision() throws Exception {
        cs.processClientSwitchProposal(Switch.UPGRADE);
        cs.processEvent(Role.CLIENT, REQUEST, null);
        cs.processEvent(Role.CLIENT, END_OF_MESSAGE, null);
        assertStates(HttpState.MIGHT_SWITCH_PROTOCOL, HttpState.SEND_RESPONSE);
        cs.processEvent(Role.SERVER, INFORMATIONAL_RESPONSE, Switch.UPGRADE);
        assertStates(HttpState.SWITCHED_PROTOCOL, HttpState.SWITCHED_PROTOCOL);
    }

    @Test
    void aFinalResponseDeclinesTheProposal() throws Exception {
        cs.processClientSwitchProposal(Switch.CONNECT);
        cs.processEvent(Role.CLIENT, REQUEST, null);
        cs.processEvent(Role.CLIENT, END_OF_MESSAGE, null);
        cs.processEvent(Role.SERVER, RESPONSE, null);
        assertStates(HttpState.DONE, HttpState.SEND_BODY);
        assertThat(cs.hasPendingSwitchProposal()).isFalse();
    }

    @Test
    void switchWithoutProposalIsRefused() throws Exception {
        cs.processEvent(Role.CLIENT, REQUEST, null);
        assertThatThrownBy(() -> cs.processEvent(Role.SERVER, INFORMATIONAL_RESPONSE, Switch.UPGRADE))
                .isInstanceOf(LocalProtocolError.class);
    }
}
