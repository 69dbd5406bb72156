package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.tcp.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A simulated host offers TCP to application code: connect, listen, refusal, and a crash that loses connections. */
class TcpSimHostTest {

    private final Simulation sim = Simulation.create(5);
    private final SimHost a = sim.addHost("a", "198.18.0.1", "fd00:5a::1");
    private final SimHost b = sim.addHost("b", "198.18.0.2", "fd00:5a::2");

    TcpSimHostTest() {
        sim.connect(a, b, LinkParams.DEFAULT.withLatencyNanos(1_000_000L));
        sim.runFor(1);
    }

    /** Echoes every stream accepted on {@code port} of {@code host}, and closes when the peer finished. */
    private static void echo(TcpTransport host, int port) {
        host.listen(port, 8, s -> {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    s.onReadable(() -> {
                        while (true) {
                            buf.clear();
                            int n = s.receive(buf);
                            if (n < 0) {
                                s.close();
                                return;
                            }
                            if (n == 0) {
                                return;
                            }
                            buf.flip();
                            s.send(buf);
                        }
                    });
                })
                .value();
    }

    @Test
    void connectListenAndEchoOverIpv4AndIpv6() {
        echo(b, 7);
        for (int version : new int[] {4, 6}) {
            TcpStream s = sim.await(a.connect(b.address(version), 7));
            assertThat(s.remoteAddress()).isEqualTo(b.address(version));
            List<Byte> got = new ArrayList<>();
            s.onReadable(() -> {
                ByteBuffer buf = ByteBuffer.allocate(100);
                while (s.receive(buf.clear()) > 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        got.add(buf.get());
                    }
                }
            });
            byte[] msg = ("hello over IPv" + version).getBytes(StandardCharsets.US_ASCII);
            assertThat(s.send(msg)).isEqualTo(msg.length);
            s.close();
            assertThat(sim.await(s.closed())).isEqualTo(CloseReason.GRACEFUL);
            byte[] echoed = new byte[got.size()];
            for (int i = 0; i < echoed.length; i++) {
                echoed[i] = got.get(i);
            }
            assertThat(echoed).isEqualTo(msg);
        }
    }

    @Test
    void aClosedPortRefusesTheConnection() {
        AppResult<TcpStream> r = sim.runUntil(a.connect(b.address(4), 81));
        assertThat(r.isOk()).isFalse();
        assertThat(r.error().kind()).isEqualTo(AppError.Kind.REFUSED);
        assertThat(r.error().detail()).startsWith(TcpTransport.REFUSED);
    }

    @Test
    void aListeningPortCanBeBoundOnlyOnce() {
        echo(b, 7);
        AppResult<?> second = b.listen(7, 8, s -> {});
        assertThat(second.isOk()).isFalse();
        assertThat(second.error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
    }

    @Test
    void aCrashedPeerForgetsTheConnectionAndResetsIt() {
        b.install(host -> echo((TcpTransport) host, 7)); // now, and again after the restart
        TcpStream s = sim.await(a.connect(b.address(4), 7));
        b.crash();
        assertThat(b.connect(a.address(4), 7).isDone()).isTrue();
        b.restart();
        sim.runFor(10_000_000L);
        s.send(new byte[] {1, 2, 3});
        assertThat(sim.await(s.closed())).isEqualTo(CloseReason.RESET);
        assertThat(a.tcp().connectionCount()).isZero();
    }
}
