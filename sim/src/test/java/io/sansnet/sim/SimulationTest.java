package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void eventsRunInTimeThenInsertionOrder() {
        Simulation sim = Simulation.create(1);
        List<String> order = new ArrayList<>();
        sim.scheduleAt(20, () -> order.add("t20-a"));
        sim.scheduleAt(10, () -> order.add("t10-a"));
        sim.scheduleAt(20, () -> order.add("t20-b"));
        sim.scheduleAt(10, () -> {
            order.add("t10-b");
            sim.schedule(0, () -> order.add("t10-c (scheduled while running)"));
        });
        sim.runUntilIdle();
        assertThat(order).containsExactly("t10-a", "t10-b", "t10-c (scheduled while running)", "t20-a", "t20-b");
        assertThat(sim.nowNanos()).isEqualTo(20);
        assertThat(sim.eventsRun()).isEqualTo(5);
    }

    @Test
    void cancelledEventsNeverRun() {
        Simulation sim = Simulation.create(1);
        List<String> ran = new ArrayList<>();
        Cancellable c = sim.schedule(5, () -> ran.add("cancelled"));
        sim.schedule(6, () -> ran.add("kept"));
        assertThat(c.cancel()).isTrue();
        assertThat(c.cancel()).isFalse();
        sim.runUntilIdle();
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void runForAdvancesTheClockToTheEndOfTheSpan() {
        Simulation sim = Simulation.create(1);
        List<Long> at = new ArrayList<>();
        sim.schedule(100, () -> at.add(sim.nowNanos()));
        sim.schedule(300, () -> at.add(sim.nowNanos()));
        sim.runFor(200);
        assertThat(at).containsExactly(100L);
        assertThat(sim.nowNanos()).isEqualTo(200);
        sim.runFor(100);
        assertThat(at).containsExactly(100L, 300L);
    }

    @Test
    void runUntilStopsWhenTheConditionHoldsOrTheQueueRunsDry() {
        Simulation sim = Simulation.create(1);
        int[] n = {0};
        for (int i = 1; i <= 5; i++) {
            sim.schedule(i, () -> n[0]++);
        }
        assertThat(sim.runUntil(() -> n[0] == 3)).isTrue();
        assertThat(sim.nowNanos()).isEqualTo(3);
        assertThat(sim.runUntil(() -> n[0] == 99)).isFalse();
        assertThat(n[0]).isEqualTo(5);
    }

    @Test
    void awaitBlocksOnAFutureByRunningTheSimulation() {
        Simulation sim = Simulation.create(1);
        SimHost h = sim.addHost("h", "198.18.0.1", null);
        Promise<String> p = h.newPromise();
        h.schedule(1_000, () -> p.complete("done"));
        assertThat(sim.await(h.sleep(500))).isNull();
        assertThat(sim.nowNanos()).isEqualTo(500);
        assertThat(sim.await(p)).isEqualTo("done");
        assertThat(sim.nowNanos()).isEqualTo(1_000);
        Promise<String> never = h.newPromise();
        assertThatThrownBy(() -> sim.await(never))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("idle");
    }

    @Test
    void aLivelockHitsTheEventLimit() {
        Simulation sim = Simulation.create(1, new SimLimits(1_000_000_000L, 1_000));
        Runnable[] spin = new Runnable[1];
        spin[0] = () -> sim.schedule(0, spin[0]);
        sim.schedule(0, spin[0]);
        assertThatThrownBy(sim::runUntilIdle)
                .isInstanceOfSatisfying(
                        SimulationLimitExceeded.class,
                        e -> assertThat(e.limit()).isEqualTo(SimulationLimitExceeded.Limit.EVENTS));
        assertThat(sim.eventsRun()).isEqualTo(1_000);
    }

    @Test
    void aRunThatNeverSettlesHitsTheVirtualTimeLimit() {
        Simulation sim = Simulation.create(1, new SimLimits(10_000, 1_000_000));
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> sim.schedule(1_000, tick[0]);
        sim.schedule(0, tick[0]);
        assertThatThrownBy(sim::runUntilIdle)
                .isInstanceOfSatisfying(
                        SimulationLimitExceeded.class,
                        e -> assertThat(e.limit()).isEqualTo(SimulationLimitExceeded.Limit.VIRTUAL_TIME));
        assertThat(sim.nowNanos()).isEqualTo(10_000);
    }

    /** Sends 200 packets a -> b over a lossy link and returns the indexes of the lost ones. */
    private static List<Integer> lossPattern(boolean extraComponents) {
        Simulation sim = Simulation.create(42);
        RawHost a = sim.addRawHost("a", IpAddress.of("198.18.0.1"));
        if (extraComponents) {
            RawHost c = sim.addRawHost("c", IpAddress.of("198.18.0.3"));
            sim.connect(a, c, LinkParams.DEFAULT.withLoss(0.5));
        }
        RawHost b = sim.addRawHost("b", IpAddress.of("198.18.0.2"));
        sim.connect(a, b, LinkParams.DEFAULT.withLoss(0.3));
        List<Integer> lost = new ArrayList<>();
        sim.log().addListener(e -> {
            if (e.kind() == EventKind.LOSS && e.node().equals("a->b")) {
                lost.add((int) e.bytes()[20]);
            }
        });
        for (int i = 0; i < 100; i++) {
            byte[] p = new byte[21];
            p[0] = 0x45;
            IpAddress.of("198.18.0.2").writeTo(p, 16);
            p[20] = (byte) i;
            a.send(p);
        }
        sim.runUntilIdle();
        return lost;
    }

    @Test
    void addingAComponentDoesNotChangeAnotherLinksFaultPattern() {
        List<Integer> alone = lossPattern(false);
        assertThat(alone).hasSizeBetween(15, 45);
        assertThat(lossPattern(true)).isEqualTo(alone);
    }
}
