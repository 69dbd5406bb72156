package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.PseudoHeader;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every packet the host discards is counted under one reason, and nothing is sent back. */
class DropTest {
    private final Host host = Net.host();

    private void assertDroppedAs(byte[] packet, HostCounter reason) {
        HostCounters before = host.counters();
        host.receive(packet, T0);
        assertThat(Net.drain(host, T0)).as("packets sent").isEmpty();
        assertThat(host.counters().minus(before).get(reason))
                .as(reason.counterName())
                .isEqualTo(1);
    }

    private static byte[] modified(byte[] packet, Consumer<byte[]> change) {
        byte[] b = packet.clone();
        change.accept(b);
        return b;
    }

    @Test
    void badIpv4HeaderChecksum() {
        assertDroppedAs(modified(Net.echo4(1, 1, new byte[8]), b -> b[10] ^= 1), HostCounter.IP_BAD_CHECKSUM);
    }

    @Test
    void badIcmpChecksum() {
        assertDroppedAs(modified(Net.echo4(1, 1, new byte[8]), b -> b[22] ^= 1), HostCounter.ICMP_BAD_CHECKSUM);
    }

    @Test
    void badIcmpv6Checksum() {
        assertDroppedAs(modified(Net.echo6(1, 1, new byte[8]), b -> b[42] ^= 1), HostCounter.ICMP6_BAD_CHECKSUM);
    }

    @Test
    void badUdpChecksumV4AndV6() {
        host.bind(7, (s, d) -> {
            throw new AssertionError("delivered " + d);
        });
        assertDroppedAs(modified(Net.udp4(1, 7, new byte[8]), b -> b[30] ^= 1), HostCounter.UDP_BAD_CHECKSUM);
        assertDroppedAs(modified(Net.udp6(1, 7, new byte[8]), b -> b[50] ^= 1), HostCounter.UDP_BAD_CHECKSUM);
    }

    @Test
    void truncatedPackets() {
        byte[] echo4 = Net.echo4(1, 1, new byte[8]);
        assertDroppedAs(Arrays.copyOf(echo4, 19), HostCounter.IP_BAD_LENGTH);
        assertDroppedAs(Arrays.copyOf(echo4, echo4.length - 1), HostCounter.IP_BAD_LENGTH);
        byte[] echo6 = Net.echo6(1, 1, new byte[8]);
        assertDroppedAs(Arrays.copyOf(echo6, 39), HostCounter.IP6_BAD_LENGTH);
        assertDroppedAs(Arrays.copyOf(echo6, echo6.length - 1), HostCounter.IP6_BAD_LENGTH);
        assertDroppedAs(new byte[0], HostCounter.LINK_BAD_VERSION);
    }

    @Test
    void linkPaddingAfterTheTotalLengthIsIgnored() {
        byte[] padded = Arrays.copyOf(Net.echo4(1, 1, new byte[8]), 60);
        host.receive(padded, T0);
        assertThat(Net.drain(host, T0)).hasSize(1);
    }

    @Test
    void udpLengthFieldLargerThanThePacket() {
        host.bind(7, null);
        byte[] p = Net.udp4(1, 7, new byte[8]);
        assertDroppedAs(modified(p, b -> Net.put16(b, 24, 17)), HostCounter.UDP_BAD_LENGTH);
    }

    @Test
    void shortIcmpMessage() {
        assertDroppedAs(
                Net.ipv4(PEER4, HOST4, IpProtocol.ICMP, 1, new byte[] {8, 0, (byte) 0xF7, (byte) 0xFF}),
                HostCounter.ICMP_BAD_LENGTH);
    }

    @Test
    void badVersionAndBadIhl() {
        assertDroppedAs(modified(Net.echo4(1, 1, new byte[8]), b -> b[0] = 0x55), HostCounter.LINK_BAD_VERSION);
        byte[] ihl4 = modified(Net.echo4(1, 1, new byte[8]), b -> {
            b[0] = 0x44;
            Net.put16(b, 10, 0);
            Net.put16(b, 10, io.sansnet.stack.wire.Checksum.compute(b, 0, 16));
        });
        assertThat(ihl4[0]).isEqualTo((byte) 0x44);
        HostCounters before = host.counters();
        host.receive(ihl4, T0);
        HostCounters d = host.counters().minus(before);
        assertThat(d.get(HostCounter.IP_BAD_LENGTH) + d.get(HostCounter.IP_BAD_HEADER))
                .isEqualTo(1);
    }

    @Test
    void wrongDestination() {
        assertDroppedAs(
                Net.udp4(PEER4, Ipv4Address.of("198.18.0.3"), 1, 7, new byte[1]), HostCounter.IP_WRONG_DESTINATION);
        assertDroppedAs(
                Net.udp4(PEER4, Ipv4Address.of("224.0.0.1"), 1, 7, new byte[1]), HostCounter.IP_WRONG_DESTINATION);
        assertDroppedAs(
                Net.echo6(PEER6, Ipv6Address.of("fd00:5a::3"), 1, 1, new byte[1]), HostCounter.IP6_WRONG_DESTINATION);
    }

    @Test
    void ipv6ToAHostWithoutIpv6() {
        Host v4only = Net.host(HostConfig.builder().ipv4("198.18.0.2/15").build());
        v4only.receive(Net.echo6(1, 1, new byte[1]), T0);
        assertThat(Net.drain(v4only, T0)).isEmpty();
        assertThat(v4only.counters().get(HostCounter.IP6_WRONG_DESTINATION)).isEqualTo(1);
    }

    @Test
    void broadcastAndMulticastSources() { // RFC 1122 §3.2.1.3, RFC 4291 §2.7
        assertDroppedAs(Net.udp4(Ipv4Address.BROADCAST, HOST4, 1, 7, new byte[1]), HostCounter.IP_BAD_SOURCE);
        assertDroppedAs(Net.udp4(Ipv4Address.of("224.0.0.5"), HOST4, 1, 7, new byte[1]), HostCounter.IP_BAD_SOURCE);
        assertDroppedAs(Net.echo6(Ipv6Address.of("ff02::1"), HOST6, 1, 1, new byte[1]), HostCounter.IP6_BAD_SOURCE);
    }

    @Test
    void tcpWithoutAHandlerIsCountedAndDropped() {
        assertDroppedAs(Net.ipv4(PEER4, HOST4, IpProtocol.TCP, 1, new byte[20]), HostCounter.TCP_NO_HANDLER);
        assertDroppedAs(Net.ipv6(PEER6, HOST6, IpProtocol.TCP, new byte[20]), HostCounter.TCP_NO_HANDLER);
    }

    @Test
    void neighborDiscoveryIsIgnored() { // a point-to-point TUN link needs none (RFC 4861 not implemented)
        Ipv6Address linkLocal = Ipv6Address.of("fe80::1");
        Ipv6Address allRouters = Ipv6Address.of("ff02::2");
        byte[] rs = new Icmpv6Message(Icmpv6Message.TYPE_ROUTER_SOLICITATION, 0, 0, 0, Bytes.EMPTY)
                .encode(new PseudoHeader(linkLocal, allRouters));
        assertDroppedAs(Net.ipv6(linkLocal, allRouters, IpProtocol.ICMPV6, rs), HostCounter.ICMP6_ND_IGNORED);

        Ipv6Address solicited = Ipv6Address.of("ff02::1:ff00:2");
        byte[] ns = new Icmpv6Message(Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, 0, Bytes.copyOf(HOST6.toBytes()))
                .encode(new PseudoHeader(Ipv6Address.UNSPECIFIED, solicited));
        assertDroppedAs(
                Net.ipv6(Ipv6Address.UNSPECIFIED, solicited, IpProtocol.ICMPV6, ns), HostCounter.ICMP6_ND_IGNORED);
    }

    @Test
    void mldReportWithHopByHopRouterAlertIsIgnored() { // RFC 3810 §5.2, as Linux sends when a TUN link comes up
        Ipv6Address mldRouters = Ipv6Address.of("ff02::16");
        Ipv6Address linkLocal = Ipv6Address.of("fe80::1");
        byte[] report = new Icmpv6Message(Icmpv6Message.TYPE_MLDV2_REPORT, 0, 0, 0, Bytes.EMPTY)
                .encode(new PseudoHeader(linkLocal, mldRouters));
        byte[] hopByHop = {(byte) IpProtocol.ICMPV6, 0, 5, 2, 0, 0, 1, 0}; // router alert (RFC 2711), PadN
        assertDroppedAs(
                Net.ipv6Raw(linkLocal, mldRouters, IpProtocol.HOPOPT, Net.concat(hopByHop, report)),
                HostCounter.ICMP6_MLD_IGNORED);
    }

    @Test
    void echoRepliesAndOtherInformationalMessagesAreIgnored() {
        byte[] reply =
                io.sansnet.stack.wire.Icmpv4Message.echoReply(1, 1, Bytes.EMPTY).encode();
        assertDroppedAs(Net.ipv4(PEER4, HOST4, IpProtocol.ICMP, 1, reply), HostCounter.ICMP_OTHER_IGNORED);
    }

    @Test
    void everyDropOfThisClassWasCountedOnce() {
        badIpv4HeaderChecksum();
        truncatedPackets();
        HostCounters c = host.counters();
        long received = c.get(HostCounter.IP_RECEIVED) + c.get(HostCounter.IP6_RECEIVED);
        assertThat(received).isEqualTo(5); // the empty packet has no version, so it is counted on the link only
        assertThat(c.get(HostCounter.IP_BAD_CHECKSUM)
                        + c.get(HostCounter.IP_BAD_LENGTH)
                        + c.get(HostCounter.IP6_BAD_LENGTH))
                .isEqualTo(5);
    }
}
