package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.3.2: the eleven states, each reachable by a script, and the legal moves between them. */
class TcpStateTest {

    @Test
    void elevenStatesRfc9293Section3_3_2() {
        assertThat(TcpState.values()).hasSize(11);
    }

    @Test
    void everyStateIsReachedByItsFixture() {
        Map<TcpState, Supplier<TcpScript>> fixtures = Map.ofEntries(
                Map.entry(TcpState.LISTEN, TcpScript::listen),
                Map.entry(TcpState.SYN_SENT, TcpScript::synSent),
                Map.entry(TcpState.SYN_RECEIVED, TcpScript::synReceived),
                Map.entry(TcpState.ESTABLISHED, TcpScript::established),
                Map.entry(TcpState.FIN_WAIT_1, TcpScript::finWait1),
                Map.entry(TcpState.FIN_WAIT_2, TcpScript::finWait2),
                Map.entry(TcpState.CLOSE_WAIT, TcpScript::closeWait),
                Map.entry(TcpState.CLOSING, TcpScript::closing),
                Map.entry(TcpState.LAST_ACK, TcpScript::lastAck),
                Map.entry(TcpState.TIME_WAIT, TcpScript::timeWait));
        EnumSet<TcpState> reached = EnumSet.noneOf(TcpState.class);
        fixtures.forEach((state, fixture) -> {
            assertThat(fixture.get().state()).as("fixture for %s", state).isEqualTo(state);
            reached.add(state);
        });
        TcpScript closed = TcpScript.established();
        closed.c.abort();
        reached.add(closed.state());
        assertThat(reached).isEqualTo(EnumSet.allOf(TcpState.class));
    }

    @Test
    void theDiagramForbidsShortcuts() {
        assertThat(TcpState.CLOSED.canMoveTo(TcpState.ESTABLISHED)).isFalse();
        assertThat(TcpState.LISTEN.canMoveTo(TcpState.ESTABLISHED)).isFalse();
        assertThat(TcpState.TIME_WAIT.canMoveTo(TcpState.ESTABLISHED)).isFalse();
        assertThat(TcpState.FIN_WAIT_2.canMoveTo(TcpState.CLOSING)).isFalse();
        assertThat(TcpState.SYN_SENT.canMoveTo(TcpState.SYN_RECEIVED)).isTrue(); // simultaneous open
        assertThat(TcpState.FIN_WAIT_1.canMoveTo(TcpState.CLOSING)).isTrue(); // simultaneous close
        for (TcpState s : TcpState.values()) {
            if (s != TcpState.CLOSED) {
                assertThat(s.canMoveTo(TcpState.CLOSED))
                        .as("%s can end (RST, abort or timeout)", s)
                        .isTrue();
            }
        }
    }

    @Test
    void sendBeforeTheHandshakeCompletesIsQueued() {
        TcpScript s = TcpScript.synSent();
        assertThat(s.sendText("early")).isEqualTo(5);
        s.recvNothing();
        s.send(Seg.SYN_ACK
                .seq(TcpScript.REMOTE_ISS)
                .ack(TcpScript.LOCAL_ISS + 1)
                .win(TcpScript.WINDOW));
        s.recv(Seg.PSH_ACK
                .seq(TcpScript.LOCAL_ISS + 1)
                .ack(TcpScript.REMOTE_ISS + 1)
                .win(TcpScript.WINDOW)
                .data("early"));
    }
}
