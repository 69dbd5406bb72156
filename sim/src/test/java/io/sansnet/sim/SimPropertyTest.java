package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.Scenarios;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.UdpSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The simulator inside the check harness: scenarios and a hand-built network under fault plans drawn per try. */
class SimPropertyTest {

    @Property(tries = 25)
    void udpEchoAnswersEveryMessageUnderDrawnFaults(Gen g) {
        ScenarioResult r =
                SimCheck.assertScenario(g, Scenarios.byName("udp-echo").orElseThrow(), 30);
        assertThat(r.passed()).isTrue();
    }

    @Property(tries = 200, exploreTries = 10_000)
    void pingIsAnsweredUnderDrawnFaults(Gen g) {
        SimCheck.assertScenario(g, Scenarios.byName("ping").orElseThrow(), 30);
    }

    /** A property over a network built by hand: a Simulation and a plan drawn from the try. */
    @Property(tries = 40)
    void datagramsArriveIntactOrNotAtAll(Gen g) {
        Simulation sim = SimCheck.simulation(g);
        FaultPlan plan = SimCheck.faultPlan(g);
        SimHost a = sim.addHost("a", "198.18.0.1", "fd00:5a::1");
        SimHost b = sim.addHost("b", "198.18.0.2", "fd00:5a::2");
        sim.connect(a, b, plan.linkParams().withLatencyNanos(plan.latencyNanos()));
        List<byte[]> sent = g.listOf(1, 20, x -> x.bytes(0, 1200));
        List<byte[]> received = new ArrayList<>();
        sim.runFor(1);
        b.bindUdp(9, (UdpSocket s, Datagram d) -> received.add(d.payload().toArray()))
                .value();
        UdpSocket out = a.bindUdp((s, d) -> {}).value();
        for (int i = 0; i < sent.size(); i++) {
            out.send(b.address(i % 2 == 0 ? 4 : 6), 9, sent.get(i));
        }
        sim.runFor(10_000_000_000L);
        for (byte[] r : received) {
            assertThat(sent.stream().anyMatch(s -> Arrays.equals(s, r)))
                    .as("a received datagram of %d bytes was sent", r.length)
                    .isTrue();
        }
        if (plan.faultRatesZero() && plan.schedule().isEmpty()) {
            assertThat(received).hasSameSizeAs(sent);
        }
    }
}
