package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import java.util.ArrayList;
import java.util.List;

/** Properties of the host over generated inputs (the project's own harness, see {@code io.sansnet.check}). */
class HostPropertiesTest {

    /**
     * Fragmenting any datagram at any MTU and feeding the fragments to another host in any order, with duplicates,
     * gives back exactly the original (RFC 791 §3.2, RFC 8200 §4.5).
     */
    @Property(tries = 300)
    void fragmentsReassembleToTheOriginalInAnyOrderWithDuplicates(Gen g) {
        boolean v6 = g.bool();
        int mtu = v6 ? g.intBetween(1280, 9000) : g.intBetween(68, 9000);
        int size = g.intBetween(0, 65_000);
        g.note("version", v6 ? 6 : 4);
        byte[] payload = new byte[size];
        new SplitMix64(g.seed()).nextBytes(payload);

        Host sender = Net.peer(mtu);
        Host receiver = Net.host();
        List<Datagram> got = new ArrayList<>();
        receiver.bind(7, (s, d) -> got.add(d)).value();
        IpAddress to = v6 ? HOST6 : HOST4;
        assertThat(sender.bind(5000, null).value().send(to, 7, payload).isOk()).isTrue();

        List<byte[]> fragments = Net.drain(sender, T0);
        int headers = v6 ? 48 : 20;
        int expected =
                size + 8 <= mtu - (v6 ? 40 : 20) ? 1 : (size + 8 + ((mtu - headers) & ~7) - 1) / ((mtu - headers) & ~7);
        assertThat(fragments).hasSize(expected);
        List<byte[]> arrivals = new ArrayList<>();
        for (byte[] f : fragments) {
            assertThat(f.length).isLessThanOrEqualTo(mtu);
            arrivals.add(f);
            if (g.intBetween(0, 4) == 0) {
                arrivals.add(f);
            }
        }
        for (int i = arrivals.size() - 1; i > 0; i--) { // Fisher-Yates with the generator's draws
            int j = g.intBetween(0, i);
            byte[] t = arrivals.get(i);
            arrivals.set(i, arrivals.get(j));
            arrivals.set(j, t);
        }
        long t = T0;
        for (byte[] f : arrivals) {
            receiver.receive(f, t += 1000);
        }

        // Duplicates that arrive after their datagram completed start a new reassembly (no host can tell them
        // apart from a new datagram), which completes again only if every fragment was duplicated late.
        assertThat(got).isNotEmpty().hasSizeLessThanOrEqualTo(arrivals.size() - fragments.size() + 1);
        for (Datagram d : got) {
            assertThat(d.source()).isEqualTo(v6 ? PEER6 : PEER4);
            assertThat(d.sourcePort()).isEqualTo(5000);
            assertThat(d.payload()).isEqualTo(Bytes.copyOf(payload));
        }
        receiver.handleTimeout(receiver.pollTimeout() == Host.NO_DEADLINE ? t : receiver.pollTimeout());
        assertThat(receiver.reassemblyMemoryBytes()).isZero();
        assertThat(receiver.pollTimeout()).isEqualTo(Host.NO_DEADLINE);
    }

    /** Arbitrary bytes, and valid packets with bytes changed, never make {@code receive} throw. */
    @Property(tries = 10_000)
    void arbitraryBytesNeverThrowAndEveryPacketIsCounted(Gen g) {
        Host host = Net.host(Net.config().withReassemblyBudgetBytes(g.intBetween(0, 20_000)));
        host.bind(7, (s, d) -> s.send(d.source(), d.sourcePort(), d.payload().toArray()));
        int packets = g.intBetween(1, 8);
        long t = T0;
        for (int i = 0; i < packets; i++) {
            byte[] b = g.bool() ? g.bytes(0, 200) : mutated(g, template(g));
            if (b.length > 0 && g.bool()) {
                b[0] = (byte) ((g.bool() ? 0x40 : 0x60) | (b[0] & 0x0F));
            }
            if (b.length >= 20 && (b[0] & 0xF0) == 0x40 && g.bool()) {
                fixIpv4Checksum(b); // get past the header check to reach the upper layers
            }
            t += g.intBetween(0, 40) * 1_000_000_000L;
            host.receive(b, t);
            host.handleTimeout(t);
            Net.drain(host, t);
            assertThat(host.reassemblyMemoryBytes())
                    .isLessThanOrEqualTo(host.config().reassemblyBudgetBytes());
        }
        HostCounters c = host.counters();
        assertThat(c.get(HostCounter.IP_RECEIVED)
                        + c.get(HostCounter.IP6_RECEIVED)
                        + c.get(HostCounter.LINK_BAD_VERSION))
                .isEqualTo(packets);
    }

    private static byte[] template(Gen g) {
        byte[] data = g.bytes(0, 64);
        return switch (g.intBetween(0, 7)) {
            case 0 -> Net.echo4(1, 2, data);
            case 1 -> Net.echo6(1, 2, data);
            case 2 -> Net.udp4(9, g.bool() ? 7 : 8, data);
            case 3 -> Net.udp6(9, g.bool() ? 7 : 8, data);
            case 4 -> Net.fragment4(Net.udp4(9, 7, Net.pattern(200)), 8 * g.intBetween(0, 20), 168, g.bool());
            case 5 -> Net.fragment6(Net.udp6(9, 7, Net.pattern(200)), 3, 8 * g.intBetween(0, 20), 168, g.bool());
            case 6 -> Net.ipv4(PEER4, HOST4, g.intBetween(0, 255), 1, data);
            default ->
                Net.ipv6Raw(
                        PEER6,
                        HOST6,
                        g.pick(
                                IpProtocol.HOPOPT,
                                IpProtocol.IPV6_OPTS,
                                IpProtocol.IPV6_ROUTE,
                                IpProtocol.IPV6_FRAG,
                                IpProtocol.AH,
                                IpProtocol.ICMPV6),
                        data);
        };
    }

    private static byte[] mutated(Gen g, byte[] b) {
        int changes = g.intBetween(0, 3);
        for (int i = 0; i < changes && b.length > 0; i++) {
            b[g.intBetween(0, b.length - 1)] = (byte) g.intBetween(0, 255);
        }
        if (g.intBetween(0, 3) == 0) {
            int cut = g.intBetween(0, b.length);
            byte[] shorter = new byte[cut];
            System.arraycopy(b, 0, shorter, 0, cut);
            return shorter;
        }
        return b;
    }

    private static void fixIpv4Checksum(byte[] b) {
        int hl = (b[0] & 0xF) * 4;
        if (hl >= 20 && hl <= b.length) {
            Net.put16(b, 10, 0);
            Net.put16(b, 10, Checksum.compute(b, 0, hl));
        }
    }

    /** The same seed gives the same bytes: IPv6 fragment identifications and IPv4 identifications come from it. */
    @Property(tries = 20)
    void sameSeedSameBytes(Gen g) {
        long seed = g.nextLong();
        byte[] payload = g.bytes(0, 5000);
        List<byte[]> a = sendBoth(seed, payload);
        List<byte[]> b = sendBoth(seed, payload);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).isEqualTo(b.get(i));
        }
    }

    private static List<byte[]> sendBoth(long seed, byte[] payload) {
        Host h = new Host(Net.config(), new SplitMix64(seed));
        UdpSocket s = h.bind(0, null).value();
        s.send(PEER4, 7, payload);
        s.send(PEER6, 7, payload);
        return Net.drain(h, T0);
    }
}
