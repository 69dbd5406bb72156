package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTest {

    private final Simulation sim = Simulation.create(7);
    private final RawHost a = sim.addRawHost("a", IpAddress.of("198.18.0.1"));
    private final RawHost b = sim.addRawHost("b", IpAddress.of("198.18.0.2"));
    private final List<long[]> arrivals = new ArrayList<>(); // {time, length}

    LinkTest() {
        b.onReceive(p -> arrivals.add(new long[] {sim.nowNanos(), p.length}));
    }

    private static byte[] packetTo(String dst, int len) {
        byte[] p = new byte[len];
        p[0] = 0x45;
        IpAddress.of(dst).writeTo(p, 16);
        return p;
    }

    @Test
    void bandwidthAddsSerialisationDelayAndPacketsQueueBehindEachOther() {
        // 1250 bytes at 10 Mbit/s take exactly 1 ms on the wire
        sim.connect(a, b, LinkParams.DEFAULT.withLatencyNanos(5_000_000).withBandwidthBitsPerSecond(10_000_000));
        a.send(packetTo("198.18.0.2", 1250));
        a.send(packetTo("198.18.0.2", 1250));
        sim.runUntilIdle();
        assertThat(arrivals).extracting(x -> x[0]).containsExactly(6_000_000L, 7_000_000L);
    }

    @Test
    void aFullQueueDropsArrivingPackets() {
        Link l = sim.connect(
                a, b, LinkParams.DEFAULT.withBandwidthBitsPerSecond(1_000_000).withQueueLimitBytes(3000));
        for (int i = 0; i < 5; i++) {
            a.send(packetTo("198.18.0.2", 1000));
        }
        sim.runUntilIdle();
        assertThat(arrivals).hasSize(3);
        assertThat(l.forward().stats().queueDrops()).isEqualTo(2);
        assertThat(sim.log().count(EventKind.QUEUE_DROP)).isEqualTo(2);
        // once the queue drained, packets are accepted again
        a.send(packetTo("198.18.0.2", 1000));
        sim.runUntilIdle();
        assertThat(arrivals).hasSize(4);
    }

    @Test
    void packetsLargerThanTheMtuAreDropped() {
        Link l = sim.connect(a, b, LinkParams.DEFAULT.withMtu(1280));
        a.send(packetTo("198.18.0.2", 1280));
        a.send(packetTo("198.18.0.2", 1281));
        sim.runUntilIdle();
        assertThat(arrivals).extracting(x -> x[1]).containsExactly(1280L);
        assertThat(l.forward().stats().mtuDrops()).isEqualTo(1);
    }

    @Test
    void parametersChangedMidRunApplyFromTheNextPacket() {
        Link l =
                sim.connect(a, b, LinkParams.DEFAULT.withLatencyNanos(1_000_000).withBandwidthBitsPerSecond(0));
        l.scheduleParams(
                Link.Direction.FORWARD, 10_000_000, l.forward().params().withLatencyNanos(3_000_000));
        sim.scheduleAt(5_000_000, () -> a.send(packetTo("198.18.0.2", 100)));
        sim.scheduleAt(20_000_000, () -> a.send(packetTo("198.18.0.2", 100)));
        sim.runUntilIdle();
        assertThat(arrivals).extracting(x -> x[0]).containsExactly(6_000_000L, 23_000_000L);
        assertThat(sim.log().count(EventKind.LINK_CHANGE)).isEqualTo(1);
    }

    @Test
    void aTapSeesEveryPacketOfferedAndDeliveredInBothDirections() {
        Link l = sim.connect(a, b, LinkParams.DEFAULT.withDuplicate(1.0));
        List<String> seen = new ArrayList<>();
        l.tap((t, ch, point, bytes) -> seen.add(ch.name() + " " + point));
        a.send(packetTo("198.18.0.2", 40));
        b.send(packetTo("198.18.0.1", 40));
        sim.runUntilIdle();
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "a->b OFFERED",
                        "a->b DELIVERED",
                        "a->b DELIVERED",
                        "b->a OFFERED",
                        "b->a DELIVERED",
                        "b->a DELIVERED");
        assertThat(l.stats().duplicated()).isEqualTo(2);
    }

    @Test
    void aPacketWithNoLinkTowardsItIsCountedAsNoRoute() {
        a.send(packetTo("198.18.0.9", 40));
        sim.runUntilIdle();
        assertThat(sim.log().count(EventKind.NO_ROUTE)).isEqualTo(1);
    }
}
