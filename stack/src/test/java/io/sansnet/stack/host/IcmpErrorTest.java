package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.MS;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.PseudoHeader;
import org.junit.jupiter.api.Test;

/** ICMP errors the host sends: port and protocol unreachable, what they quote, when they are not sent, the rate limit. */
class IcmpErrorTest {
    private final Host host = Net.host();

    @Test
    void closedPortV4GetsPortUnreachableQuotingTheWholeSmallDatagram() { // RFC 792, RFC 1122 §4.1.3.1
        byte[] request = Net.udp4(40000, 9, Net.pattern(20));
        host.receive(request, T0);

        Ipv4Packet p = Net.parse4(Net.single(host, T0));
        assertThat(p.src()).isEqualTo(HOST4);
        assertThat(p.dst()).isEqualTo(PEER4);
        Icmpv4Message m = Icmpv4Message.parse(p.payload()).value();
        assertThat(m.type()).isEqualTo(Icmpv4Message.TYPE_DESTINATION_UNREACHABLE);
        assertThat(m.code()).isEqualTo(Icmpv4Message.CODE_PORT_UNREACHABLE);
        assertThat(m.restOfHeader()).isZero();
        assertThat(m.data()).isEqualTo(Bytes.copyOf(request));
        assertThat(host.counters().get(HostCounter.UDP_NO_PORT)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.ICMP_ERRORS_SENT)).isEqualTo(1);
    }

    @Test
    void closedPortV4QuoteStopsAt576OctetsOfError() { // RFC 1812 §4.3.2.3
        byte[] request = Net.udp4(40000, 9, Net.pattern(1400));
        host.receive(request, T0);

        byte[] out = Net.single(host, T0);
        assertThat(out).hasSize(576);
        Icmpv4Message m = Icmpv4Message.parse(Net.parse4(out).payload()).value();
        assertThat(m.data()).isEqualTo(Bytes.copyOf(request, 0, 576 - 28));
    }

    @Test
    void closedPortV6GetsPortUnreachableQuotingUpTo1280Octets() { // RFC 4443 §2.4 (c), §3.1
        byte[] small = Net.udp6(40000, 9, Net.pattern(20));
        host.receive(small, T0);
        Ipv6Packet p = Net.parse6(Net.single(host, T0));
        Icmpv6Message m =
                Icmpv6Message.parse(p.payload(), new PseudoHeader(HOST6, PEER6)).value();
        assertThat(p.dst()).isEqualTo(PEER6);
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_DESTINATION_UNREACHABLE);
        assertThat(m.code()).isEqualTo(Icmpv6Message.CODE_PORT_UNREACHABLE);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(small));

        byte[] large = Net.udp6(40000, 9, Net.pattern(1400));
        host.receive(large, T0);
        byte[] out = Net.single(host, T0);
        assertThat(out).hasSize(1280);
        Icmpv6Message m2 = Icmpv6Message.parse(Net.parse6(out).payload(), new PseudoHeader(HOST6, PEER6))
                .value();
        assertThat(m2.data()).isEqualTo(Bytes.copyOf(large, 0, 1280 - 48));
    }

    @Test
    void portUnreachableIsRateLimitedByATokenBucket() { // RFC 4443 §2.4 (f): burst 10, then 10 per second
        for (int i = 0; i < 15; i++) {
            host.receive(Net.udp4(40000, 9, new byte[] {(byte) i}), T0);
        }
        assertThat(Net.drain(host, T0)).hasSize(10);
        assertThat(host.counters().get(HostCounter.ICMP_RATE_LIMITED)).isEqualTo(5);

        host.receive(Net.udp6(40000, 9, new byte[1]), T0 + 50 * MS); // half a token accrued
        assertThat(Net.drain(host, T0 + 50 * MS)).isEmpty();
        assertThat(host.counters().get(HostCounter.ICMP6_RATE_LIMITED)).isEqualTo(1);

        host.receive(Net.udp6(40000, 9, new byte[1]), T0 + 100 * MS); // one token
        assertThat(Net.drain(host, T0 + 100 * MS)).hasSize(1);
        assertThat(host.counters().get(HostCounter.UDP_NO_PORT)).isEqualTo(17);
    }

    @Test
    void noErrorAboutMulticastOrBroadcastDestinations() { // RFC 1122 §3.2.2, RFC 4443 §2.4 (e)
        byte[] udp6 = io.sansnet.stack.wire.UdpDatagram.of(1, 9, Bytes.of(1))
                .encode(new PseudoHeader(PEER6, Ipv6Address.of("ff02::1")));
        host.receive(Net.ipv6(PEER6, Ipv6Address.of("ff02::1"), IpProtocol.UDP, udp6), T0);
        host.receive(Net.udp4(PEER4, io.sansnet.stack.wire.Ipv4Address.BROADCAST, 1, 9, new byte[1]), T0);

        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.UDP_NO_PORT)).isEqualTo(2);
    }

    @Test
    void noErrorAboutAnIcmpError() { // RFC 1122 §3.2.2: never an ICMP error about an ICMP error
        byte[] bogus =
                new Icmpv4Message(Icmpv4Message.TYPE_DESTINATION_UNREACHABLE, 3, 0, 0, Bytes.of(1, 2, 3, 4)).encode();
        byte[] withUnknownProtocolAbove = Net.ipv4(PEER4, HOST4, 253, 1, bogus);
        host.receive(withUnknownProtocolAbove, T0); // protocol 253 gets protocol unreachable
        assertThat(Net.drain(host, T0)).hasSize(1);

        host.receive(Net.ipv4(PEER4, HOST4, IpProtocol.ICMP, 2, bogus), T0); // an error arrives: nothing goes back
        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.ICMP_ERRORS_RECEIVED)).isEqualTo(1);
    }

    @Test
    void unknownProtocolV4GetsProtocolUnreachable() { // RFC 1122 §3.2.2.1
        byte[] packet = Net.ipv4(PEER4, HOST4, 200, 1, new byte[12]);
        host.receive(packet, T0);

        Icmpv4Message m =
                Icmpv4Message.parse(Net.parse4(Net.single(host, T0)).payload()).value();
        assertThat(m.type()).isEqualTo(Icmpv4Message.TYPE_DESTINATION_UNREACHABLE);
        assertThat(m.code()).isEqualTo(Icmpv4Message.CODE_PROTOCOL_UNREACHABLE);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(packet));
        assertThat(host.counters().get(HostCounter.IP_UNKNOWN_PROTOCOL)).isEqualTo(1);
    }

    @Test
    void unknownNextHeaderV6GetsParameterProblemPointingAtIt() { // RFC 8200 §4
        byte[] packet = Net.ipv6(PEER6, HOST6, 200, new byte[12]);
        host.receive(packet, T0);

        Icmpv6Message m = Icmpv6Message.parse(
                        Net.parse6(Net.single(host, T0)).payload(), new PseudoHeader(HOST6, PEER6))
                .value();
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_PARAMETER_PROBLEM);
        assertThat(m.code()).isEqualTo(Icmpv6Message.CODE_UNRECOGNIZED_NEXT_HEADER);
        assertThat(m.pointer()).isEqualTo(6);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(packet));
    }

    @Test
    void unknownNextHeaderAfterADestinationOptionsHeaderIsPointedAtThere() {
        byte[] opts = new byte[8];
        opts[0] = (byte) 200; // next header: unknown
        opts[1] = 0; // 8 octets
        opts[2] = 1; // PadN
        opts[3] = 4;
        byte[] packet = Net.ipv6Raw(PEER6, HOST6, IpProtocol.IPV6_OPTS, Net.concat(opts, new byte[4]));
        host.receive(packet, T0);

        Icmpv6Message m = Icmpv6Message.parse(
                        Net.parse6(Net.single(host, T0)).payload(), new PseudoHeader(HOST6, PEER6))
                .value();
        assertThat(m.pointer()).isEqualTo(40);
    }

    @Test
    void noNextHeaderIsDroppedSilently() { // RFC 8200 §4.7
        host.receive(Net.ipv6(PEER6, HOST6, IpProtocol.IPV6_NONXT, new byte[0]), T0);
        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.IP6_UNKNOWN_PROTOCOL)).isEqualTo(1);
    }

    @Test
    void noErrorAboutAPacketFromTheUnspecifiedAddress() { // RFC 4443 §2.4 (e)
        byte[] udp = io.sansnet.stack.wire.UdpDatagram.of(1, 9, Bytes.of(1))
                .encode(new PseudoHeader(Ipv6Address.UNSPECIFIED, HOST6));
        host.receive(Net.ipv6(Ipv6Address.UNSPECIFIED, HOST6, IpProtocol.UDP, udp), T0);
        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.UDP_NO_PORT)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.ICMP6_ERRORS_SENT)).isZero();
    }
}
