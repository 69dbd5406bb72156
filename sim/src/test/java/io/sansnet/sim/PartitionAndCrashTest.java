package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.host.HostCounter;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Acceptance 5: a partition blocks the named direction only and heals on time; a crash loses the stack's sockets. */
class PartitionAndCrashTest {

    private static byte[] packet(String dst, int tag) {
        byte[] p = new byte[21];
        p[0] = 0x45;
        IpAddress.of(dst).writeTo(p, 16);
        p[20] = (byte) tag;
        return p;
    }

    @Test
    void aForwardPartitionBlocksOnlyTheForwardDirectionAndHealsAtThePlannedTime() {
        Simulation sim = Simulation.create(3);
        RawHost a = sim.addRawHost("a", IpAddress.of("198.18.0.1"));
        RawHost b = sim.addRawHost("b", IpAddress.of("198.18.0.2"));
        Link link = sim.connect(a, b, LinkParams.DEFAULT);
        link.schedulePartition(Link.Direction.FORWARD, 1_000_000_000L, 2_000_000_000L);
        List<String> atB = new ArrayList<>();
        List<String> atA = new ArrayList<>();
        b.onReceive(p -> atB.add(p[20] + "@" + sim.nowNanos() / 1_000_000));
        a.onReceive(p -> atA.add(p[20] + "@" + sim.nowNanos() / 1_000_000));
        for (int ms : new int[] {500, 1000, 1500, 1999, 2000, 2500}) {
            sim.scheduleAt(ms * 1_000_000L, () -> {
                a.send(packet("198.18.0.2", ms / 100));
                b.send(packet("198.18.0.1", ms / 100));
            });
        }
        sim.runUntilIdle();
        // a -> b: sent at 1000..1999 ms are dropped, from 2000 ms (the heal) they arrive again (1 ms latency)
        assertThat(atB).containsExactly("5@501", "20@2001", "25@2501");
        // b -> a is not partitioned
        assertThat(atA).containsExactly("5@501", "10@1001", "15@1501", "19@2000", "20@2001", "25@2501");
        assertThat(link.forward().stats().partitionDrops()).isEqualTo(3);
        assertThat(link.reverse().stats().partitionDrops()).isZero();
        assertThat(sim.log().count(EventKind.PARTITION)).isEqualTo(1);
        assertThat(sim.log().count(EventKind.HEAL)).isEqualTo(1);
    }

    @Test
    void aPartitionOfBothDirectionsBlocksBoth() {
        Simulation sim = Simulation.create(3);
        RawHost a = sim.addRawHost("a", IpAddress.of("198.18.0.1"));
        RawHost b = sim.addRawHost("b", IpAddress.of("198.18.0.2"));
        Link link = sim.connect(a, b, LinkParams.DEFAULT);
        link.partition(Link.Direction.BOTH);
        a.send(packet("198.18.0.2", 1));
        b.send(packet("198.18.0.1", 2));
        sim.runUntilIdle();
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).isEmpty();
        link.heal(Link.Direction.BOTH);
        a.send(packet("198.18.0.2", 3));
        sim.runUntilIdle();
        assertThat(b.received()).hasSize(1);
    }

    @Test
    void aCrashedHostLosesItsSocketsAndComesBackWithAFreshStack() {
        Simulation sim = Simulation.create(5);
        SimHost client = sim.addHost("client", "198.18.0.1", "fd00:5a::1");
        SimHost server = sim.addHost("server", "198.18.0.2", "fd00:5a::2");
        sim.connect(client, server, LinkParams.DEFAULT);
        sim.runFor(1_000);
        assertThat(server.isUp()).isTrue();
        UdpSocket echo = server.bindUdp(
                        7,
                        (s, d) -> s.send(d.source(), d.sourcePort(), d.payload().toArray()))
                .value();
        List<Datagram> replies = new ArrayList<>();
        UdpSocket c = client.bindUdp((s, d) -> replies.add(d)).value();
        c.send(IpAddress.of("198.18.0.2"), 7, new byte[] {1});
        sim.runFor(10_000_000);
        assertThat(replies).hasSize(1);
        var oldStack = server.stack();

        server.crash();
        assertThat(server.isUp()).isFalse();
        assertThat(echo.isOpen()).isFalse();
        assertThat(echo.send(IpAddress.of("198.18.0.1"), 9, new byte[] {1})
                        .error()
                        .kind())
                .isEqualTo(AppError.Kind.CLOSED);
        c.send(IpAddress.of("198.18.0.2"), 7, new byte[] {2});
        sim.runFor(10_000_000);
        assertThat(replies).hasSize(1);
        assertThat(sim.log().count(EventKind.HOST_DOWN_DROP)).isEqualTo(1);

        server.restart();
        assertThat(server.isUp()).isTrue();
        assertThat(server.stack()).isNotSameAs(oldStack);
        assertThat(server.boots()).isEqualTo(2);
        assertThat(server.stack().boundUdpPorts()).isEmpty();
        assertThat(echo.isOpen()).isFalse();
        // the port is closed now: the fresh stack answers with ICMP port unreachable
        c.send(IpAddress.of("198.18.0.2"), 7, new byte[] {3});
        sim.runFor(10_000_000);
        assertThat(replies).hasSize(1);
        assertThat(client.counters().get(HostCounter.ICMP_ERRORS_RECEIVED)).isEqualTo(1);
        // and the port can be bound again
        AppResult<UdpSocket> again = server.bindUdp(7, (s, d) -> s.send(d.source(), d.sourcePort(), new byte[] {9}));
        assertThat(again.isOk()).isTrue();
        c.send(IpAddress.of("198.18.0.2"), 7, new byte[] {4});
        sim.runFor(10_000_000);
        assertThat(replies).hasSize(2);
    }

    @Test
    void installedAppsStartAgainAfterARestartAndOldTimersDie() {
        Simulation sim = Simulation.create(5);
        SimHost h = sim.addHost("h", "198.18.0.1", null);
        List<String> events = new ArrayList<>();
        h.install(host -> {
            events.add("start@" + host.nowNanos());
            host.schedule(1_000, () -> events.add("timer@" + host.nowNanos()));
        });
        h.scheduleCrash(500, 2_000);
        sim.runUntilIdle();
        assertThat(events).containsExactly("start@0", "start@2000", "timer@3000");
        assertThat(sim.log().count(EventKind.CRASH)).isEqualTo(1);
        assertThat(sim.log().count(EventKind.BOOT)).isEqualTo(2);
    }
}
