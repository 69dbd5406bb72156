package io.sansnet.stack.tcp;

import static io.sansnet.stack.tcp.TcpScript.LOCAL_ISS;
import static io.sansnet.stack.tcp.TcpScript.REMOTE_ISS;
import static io.sansnet.stack.tcp.TcpScript.WINDOW;
import static io.sansnet.stack.tcp.TcpScript.filler;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TcpStatus#outOfOrderQueued()}, {@link TcpConnection#closeReason()} and {@link TcpSocket#closeReason()}. */
class TcpAccessorsTest {
    private static final int L = LOCAL_ISS + 1;
    private static final int R = REMOTE_ISS + 1;

    @Test
    void outOfOrderOctetsHeldForReassemblyAreReportedInStatus() {
        TcpScript s = TcpScript.established();
        assertThat(s.c.status().outOfOrderQueued()).isZero();
        s.send(Seg.ACK.seq(R + 100).ack(L).win(WINDOW).data("xyz"));
        s.send(Seg.ACK.seq(R + 200).ack(L).win(WINDOW).data("0123456789"));
        assertThat(s.c.status().outOfOrderQueued()).isEqualTo(13);
        assertThat(s.c.status().receiveQueued()).isZero();
        // filling the first hole makes "xyz" readable; "0123456789" still waits for octets 103..199
        s.send(Seg.ACK.seq(R).ack(L).win(WINDOW).data(filler(100)));
        assertThat(s.c.status().outOfOrderQueued()).isEqualTo(10);
        assertThat(s.c.status().receiveQueued()).isEqualTo(103);
    }

    @Test
    void connectionCloseReasonIsNullUntilItEnds() {
        TcpScript s = TcpScript.established();
        assertThat(s.c.closeReason()).isNull();
        s.send(Seg.RST.seq(R));
        assertThat(s.c.closeReason()).isEqualTo(CloseReason.RESET);
        s.c.abort(); // a later abort does not change why it ended
        assertThat(s.c.closeReason()).isEqualTo(CloseReason.RESET);
        s.expectEvents(new TcpEvent.Closed(CloseReason.RESET));
    }

    @Test
    void socketCloseReasonMatchesItsClosedEvent() {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").build();
        TcpLayer layer = new TcpLayer(cfg, new SplitMix64(7));
        List<TcpEvent> events = new ArrayList<>();
        AppResult<TcpSocket> r = layer.connect(IpAddress.of("198.18.0.1"), 80, (sock, e) -> events.add(e), 0);
        assertThat(r).isInstanceOf(AppResult.Ok.class);
        TcpSocket socket = ((AppResult.Ok<TcpSocket>) r).value();
        assertThat(socket.closeReason()).isNull();
        socket.abort();
        assertThat(socket.closeReason()).isEqualTo(CloseReason.ABORTED);
        assertThat(events).contains(new TcpEvent.Closed(CloseReason.ABORTED));
    }
}
