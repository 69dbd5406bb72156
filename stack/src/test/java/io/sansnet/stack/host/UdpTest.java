package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UDP sockets (RFC 768): bind, receive through a handler or a queue, send, close. */
class UdpTest {
    private final Host host = Net.host();

    @Test
    void datagramToABoundPortReachesTheHandlerV4() {
        List<Datagram> got = new ArrayList<>();
        host.bind(7, (s, d) -> got.add(d)).value();

        host.receive(Net.udp4(40000, 7, Net.pattern(100)), T0);

        assertThat(got).containsExactly(new Datagram(PEER4, 40000, HOST4, 7, Bytes.copyOf(Net.pattern(100))));
        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.UDP_DELIVERED)).isEqualTo(1);
    }

    @Test
    void datagramToABoundPortReachesTheHandlerV6() {
        List<Datagram> got = new ArrayList<>();
        host.bind(7, (s, d) -> got.add(d)).value();

        host.receive(Net.udp6(40000, 7, Net.pattern(100)), T0);

        assertThat(got).containsExactly(new Datagram(PEER6, 40000, HOST6, 7, Bytes.copyOf(Net.pattern(100))));
    }

    @Test
    void echoHandlerRepliesFromTheSamePortV4AndV6() {
        host.bind(7, (s, d) -> s.send(d.source(), d.sourcePort(), d.payload().toArray()))
                .value();

        host.receive(Net.udp4(40000, 7, Net.pattern(300)), T0);
        Ipv4Packet r4 = Net.parse4(Net.single(host, T0));
        UdpDatagram u4 =
                UdpDatagram.parse(r4.payload(), new PseudoHeader(HOST4, PEER4)).value(); // checksum verified
        assertThat(r4.src()).isEqualTo(HOST4);
        assertThat(r4.dst()).isEqualTo(PEER4);
        assertThat(r4.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(u4.srcPort()).isEqualTo(7);
        assertThat(u4.dstPort()).isEqualTo(40000);
        assertThat(u4.checksum()).isNotZero();
        assertThat(u4.payload()).isEqualTo(Bytes.copyOf(Net.pattern(300)));

        host.receive(Net.udp6(40001, 7, Net.pattern(301)), T0);
        Ipv6Packet r6 = Net.parse6(Net.single(host, T0));
        UdpDatagram u6 =
                UdpDatagram.parse(r6.payload(), new PseudoHeader(HOST6, PEER6)).value();
        assertThat(r6.dst()).isEqualTo(PEER6);
        assertThat(u6.dstPort()).isEqualTo(40001);
        assertThat(u6.payload()).isEqualTo(Bytes.copyOf(Net.pattern(301)));
        assertThat(host.counters().get(HostCounter.UDP_SENT)).isEqualTo(2);
    }

    @Test
    void withoutAHandlerDatagramsQueueUpToTheBoundThenCountedDrops() {
        Host h = Net.host(Net.config().withUdpReceiveQueueDatagrams(2));
        UdpSocket s = h.bind(9, null).value();

        for (int i = 0; i < 3; i++) {
            h.receive(Net.udp4(1000 + i, 9, new byte[] {(byte) i}), T0);
        }

        assertThat(s.queued()).isEqualTo(2);
        assertThat(s.poll().sourcePort()).isEqualTo(1000);
        assertThat(s.poll().sourcePort()).isEqualTo(1001);
        assertThat(s.poll()).isNull();
        assertThat(h.counters().get(HostCounter.UDP_QUEUE_FULL)).isEqualTo(1);
        assertThat(Net.drain(h, T0)).isEmpty(); // a full queue is no reason for an ICMP error
    }

    @Test
    void bindingABoundPortFailsAndPortZeroPicksAnEphemeralPort() {
        host.bind(53, null).value();
        assertThat(host.bind(53, null).error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
        assertThat(host.bind(70000, null).error().kind()).isEqualTo(AppError.Kind.INVALID_ARGUMENT);

        int p1 = host.bind(0, null).value().localPort();
        int p2 = host.bind(0, null).value().localPort();
        assertThat(p1).isBetween(49152, 65535);
        assertThat(p2).isBetween(49152, 65535).isNotEqualTo(p1);
        assertThat(host.boundUdpPorts()).containsExactlyInAnyOrder(53, p1, p2);
        // the same seed picks the same ports
        Host twin = new Host(Net.config(), new SplitMix64(42));
        twin.bind(53, null);
        assertThat(twin.bind(0, null).value().localPort()).isEqualTo(p1);
    }

    @Test
    void ephemeralPortsRunOutWithAnError() {
        Host h = Net.host(Net.config().toBuilder().ephemeralPorts(5000, 5002).build());
        for (int i = 0; i < 3; i++) {
            assertThat(h.bind(0, null).value().localPort()).isBetween(5000, 5002);
        }
        assertThat(h.bind(0, null).error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
    }

    @Test
    void closeReleasesThePortAndLaterSendsFail() {
        UdpSocket s = host.bind(7, null).value();
        s.close();

        assertThat(s.isOpen()).isFalse();
        assertThat(host.boundUdpPorts()).isEmpty();
        assertThat(s.send(PEER4, 9, new byte[1]).error().kind()).isEqualTo(AppError.Kind.CLOSED);
        assertThat(host.bind(7, null).isOk()).isTrue();
        s.close(); // idempotent: does not unbind the new socket
        assertThat(host.boundUdpPorts()).containsExactly(7);
    }

    @Test
    void sendErrorsAreValues() {
        UdpSocket s = host.bind(7, null).value();
        assertThat(s.send(PEER4, 0, new byte[1]).error().kind()).isEqualTo(AppError.Kind.INVALID_ARGUMENT);
        assertThat(s.send(PEER4, 9, new byte[65508]).error().kind()).isEqualTo(AppError.Kind.MESSAGE_TOO_BIG);
        assertThat(s.send(PEER6, 9, new byte[65528]).error().kind()).isEqualTo(AppError.Kind.MESSAGE_TOO_BIG);
        assertThat(s.send(PEER4, 9, new byte[65507]).isOk()).isTrue();

        Host v4only = Net.host(HostConfig.builder().ipv4("198.18.0.2/15").build());
        UdpSocket s4 = v4only.bind(7, null).value();
        assertThat(s4.send(PEER6, 9, new byte[1]).error().kind()).isEqualTo(AppError.Kind.NO_ROUTE);
    }

    @Test
    void aFullTransmitQueueRefusesSendsWithWouldBlock() {
        Host h = Net.host(Net.config().withTransmitQueuePackets(3));
        UdpSocket s = h.bind(7, null).value();
        assertThat(s.send(PEER4, 9, new byte[4000]).isOk()).isTrue(); // three fragments
        assertThat(s.send(PEER4, 9, new byte[1]).error().kind()).isEqualTo(AppError.Kind.WOULD_BLOCK);
        assertThat(Net.drain(h, T0)).hasSize(3);
        assertThat(s.send(PEER4, 9, new byte[1]).isOk()).isTrue();
    }

    @Test
    void zeroChecksumIsAcceptedOverIpv4AndDroppedOverIpv6() { // RFC 768; RFC 8200 §8.1
        List<Datagram> got = new ArrayList<>();
        host.bind(7, (s, d) -> got.add(d)).value();
        byte[] p4 = Net.udp4(1, 7, new byte[] {1, 2});
        p4[26] = 0;
        p4[27] = 0;
        byte[] p6 = Net.udp6(1, 7, new byte[] {1, 2});
        p6[46] = 0;
        p6[47] = 0;

        host.receive(p4, T0);
        host.receive(p6, T0);

        assertThat(got).hasSize(1);
        assertThat(host.counters().get(HostCounter.UDP_BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void datagramToTheSubnetBroadcastIsDeliveredWithoutPortUnreachable() {
        List<Datagram> got = new ArrayList<>();
        host.bind(7, (s, d) -> got.add(d)).value();
        var bcast = io.sansnet.stack.wire.Ipv4Address.of("198.19.255.255");
        host.receive(Net.udp4(PEER4, bcast, 1, 7, new byte[] {1}), T0);
        host.receive(Net.udp4(PEER4, bcast, 1, 8, new byte[] {1}), T0);

        assertThat(got).extracting(Datagram::destination).containsExactly(bcast);
        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.UDP_NO_PORT)).isEqualTo(1);
    }
}
