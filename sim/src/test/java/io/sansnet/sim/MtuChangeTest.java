package io.sansnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.sim.scenario.BulkScenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.stack.fault.SpecParse;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Path MTU changes mid-run: the {@code mtu@DIR=N:FROM-UNTIL} schedule item, the link's router answering packets too
 * big for it with ICMP "fragmentation needed" (RFC 1191) or Packet Too Big (RFC 8201), and {@code bulk} completing
 * across a lowered MTU because the stack's path MTU discovery lowers its segment size.
 */
class MtuChangeTest {

    @Test
    void theScheduleLanguageHasMtuChangesAndKeepsItsOldItems() {
        String text = "partition@forward:1500ms-2s,mtu@both=1280:1s-3s,crash@server:3s-3500ms,mtu@reverse=9000:0ns-1s";
        SpecParse<List<Disruption>> p = Disruption.parseList("--schedule", text);
        assertThat(p).isInstanceOf(SpecParse.Ok.class);
        List<Disruption> list = ((SpecParse.Ok<List<Disruption>>) p).value();
        assertThat(list.get(1))
                .isEqualTo(new Disruption.MtuChange(Link.Direction.BOTH, 1280, 1_000_000_000L, 3_000_000_000L));
        assertThat(list.get(3)).isEqualTo(new Disruption.MtuChange(Link.Direction.REVERSE, 9000, 0, 1_000_000_000L));
        assertThat(Disruption.parseList("--schedule", Disruption.formatList(list)))
                .isEqualTo(p);
        for (String bad : List.of(
                "mtu@both:1s-2s",
                "mtu@sideways=1280:1s-2s",
                "mtu@both=1279:1s-2s",
                "mtu@both=70000:1s-2s",
                "mtu@both=12a0:1s-2s",
                "mtu@both=:1s-2s",
                "mtu@both=1280:2s-1s")) {
            assertThat(Disruption.parseList("--schedule", bad)).as(bad).isNotInstanceOf(SpecParse.Ok.class);
        }
    }

    private final Simulation sim = Simulation.create(3);
    private final RawHost a = sim.addRawHost("a", IpAddress.of("198.18.0.1"), IpAddress.of("fd00:5a::1"));
    private final RawHost b = sim.addRawHost("b", IpAddress.of("198.18.0.2"), IpAddress.of("fd00:5a::2"));

    private static byte[] v4(int length, boolean df) {
        Ipv4Header h = Ipv4Header.builder(Ipv4Address.of("198.18.0.1"), Ipv4Address.of("198.18.0.2"), IpProtocol.UDP)
                .dontFragment(df)
                .payloadLength(length - Ipv4Header.MIN_LENGTH)
                .build();
        byte[] p = new byte[length];
        h.encodeInto(p, 0);
        return p;
    }

    private static byte[] v6(int length) {
        Ipv6Header h = Ipv6Header.of(
                Ipv6Address.of("fd00:5a::1"),
                Ipv6Address.of("fd00:5a::2"),
                IpProtocol.UDP,
                64,
                length - Ipv6Header.LENGTH);
        byte[] p = new byte[length];
        h.encodeInto(p, 0);
        return p;
    }

    @Test
    void aLoweredMtuDropsLargerPacketsAndTheRouterAnswersWithTheNextHopMtu() {
        Link l = sim.connect(a, b, LinkParams.DEFAULT.withMtu(1500));
        l.scheduleMtu(Link.Direction.FORWARD, 5_000_000L, 1280);
        List<byte[]> atB = new ArrayList<>();
        b.onReceive(atB::add);
        sim.scheduleAt(1_000_000L, () -> a.send(v4(1400, true))); // before the change: delivered
        sim.scheduleAt(6_000_000L, () -> {
            a.send(v4(1400, true)); // DF: dropped, "fragmentation needed" with MTU 1280
            a.send(v6(1400)); // dropped, Packet Too Big with MTU 1280
            a.send(v4(1400, false)); // no DF: dropped without an error (this link does not fragment)
            a.send(v4(1280, true)); // fits
        });
        sim.runUntilIdle();

        assertThat(atB).extracting(p -> p.length).containsExactly(1400, 1280);
        assertThat(l.forward().stats().mtuDrops()).isEqualTo(3);
        assertThat(l.forward().tooBigSent()).isEqualTo(2);
        List<byte[]> atA = a.received();
        assertThat(atA).hasSize(2);
        byte[] icmp4 = atA.get(0);
        assertThat(icmp4[9]).isEqualTo((byte) IpProtocol.ICMP);
        assertThat(Ipv4Address.read(icmp4, 16)).isEqualTo(Ipv4Address.of("198.18.0.1"));
        assertThat(icmp4[20] & 0xFF).isEqualTo(3); // destination unreachable
        assertThat(icmp4[21] & 0xFF).isEqualTo(4); // fragmentation needed and DF set
        assertThat((icmp4[26] & 0xFF) << 8 | icmp4[27] & 0xFF).isEqualTo(1280); // RFC 1191 next-hop MTU
        byte[] icmp6 = atA.get(1);
        assertThat(icmp6[6]).isEqualTo((byte) IpProtocol.ICMPV6);
        assertThat(icmp6[40] & 0xFF).isEqualTo(2); // Packet Too Big
        assertThat((icmp6[44] & 0xFF) << 24 | (icmp6[45] & 0xFF) << 16 | (icmp6[46] & 0xFF) << 8 | icmp6[47] & 0xFF)
                .isEqualTo(1280);
        assertThat(icmp6.length).isLessThanOrEqualTo(1280);
        assertThat(sim.log().count(EventKind.ICMP_TOO_BIG)).isEqualTo(2);
        assertThat(Bytes.copyOf(icmp4, 28, 20)).isEqualTo(Bytes.copyOf(v4(1400, true), 0, 20)); // quotes the header
    }

    @Test
    void bulkCompletesWhileThePathMtuIsLoweredAndRaisedAgain() {
        int icmpRuns = 0;
        for (long seed = 1; seed <= 4; seed++) {
            FaultPlan plan = new FaultPlan(
                    0.01,
                    0,
                    0.01,
                    0,
                    2_000_000L,
                    0,
                    100_000_000L,
                    1500,
                    List.of(new Disruption.MtuChange(Link.Direction.BOTH, 1280, 20_000_000L, 400_000_000L)));
            List<Simulation> sims = new ArrayList<>();
            ScenarioResult r = ScenarioRunner.run(
                    new ScenarioRunner.Request(
                            new BulkScenario(128 * 1024), seed, FaultPlan.Overrides.of(plan), ScenarioOptions.DEFAULT),
                    sims::add);
            assertThat(r.passed())
                    .as(SimCheck.failureReport(r, r.replayCommand(r.defaultPcapName())))
                    .isTrue();
            assertThat(r.replayCommand("x.pcapng")).contains("--schedule mtu@both=1280:20ms-400ms");
            icmpRuns += sims.get(0).log().count(EventKind.ICMP_TOO_BIG) > 0 ? 1 : 0;
        }
        assertThat(icmpRuns).isEqualTo(4);
    }
}
