package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.PseudoHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ICMP echo (RFC 792) and ICMPv6 echo (RFC 4443 §4): at time T this request arrives; exactly this reply leaves. */
class EchoTest {
    private final Host host = Net.host();

    @Test
    void ipv4EchoRequestGetsOneReplyWithSameIdSeqAndData() {
        byte[] data = Net.pattern(56);
        host.receive(Net.echo4(0xBEEF, 7, data), T0);

        Ipv4Packet reply = Net.parse4(Net.single(host, T0)); // parse verifies the header checksum
        assertThat(reply.src()).isEqualTo(HOST4);
        assertThat(reply.dst()).isEqualTo(PEER4);
        assertThat(reply.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(reply.hopLimit()).isEqualTo(64);
        assertThat(reply.header().dontFragment()).isFalse();
        Icmpv4Message m = Icmpv4Message.parse(reply.payload()).value(); // verifies the ICMP checksum
        assertThat(m.type()).isEqualTo(Icmpv4Message.TYPE_ECHO_REPLY);
        assertThat(m.code()).isZero();
        assertThat(m.echoIdentifier()).isEqualTo(0xBEEF);
        assertThat(m.echoSequence()).isEqualTo(7);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(data));
        assertThat(host.counters().get(HostCounter.ICMP_ECHO_REQUESTS)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.ICMP_ECHO_REPLIES)).isEqualTo(1);
        assertThat(host.pollTransmit(T0)).isNull();
    }

    @Test
    void ipv6EchoRequestGetsOneReplyWithSameIdSeqAndData() {
        byte[] data = Net.pattern(56);
        host.receive(Net.echo6(0x0102, 9, data), T0);

        Ipv6Packet reply = Net.parse6(Net.single(host, T0));
        assertThat(reply.src()).isEqualTo(HOST6);
        assertThat(reply.dst()).isEqualTo(PEER6);
        assertThat(reply.protocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(reply.hopLimit()).isEqualTo(64);
        Icmpv6Message m = Icmpv6Message.parse(reply.payload(), new PseudoHeader(HOST6, PEER6))
                .value(); // verifies the checksum over the pseudo-header
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_ECHO_REPLY);
        assertThat(m.echoIdentifier()).isEqualTo(0x0102);
        assertThat(m.echoSequence()).isEqualTo(9);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(data));
        assertThat(host.counters().get(HostCounter.ICMP6_ECHO_REPLIES)).isEqualTo(1);
    }

    @Test
    void ipv6EchoToAllNodesMulticastIsAnsweredFromTheUnicastAddress() { // RFC 4443 §4.2
        host.receive(Net.echo6(PEER6, Ipv6Address.of("ff02::1"), 1, 1, new byte[8]), T0);

        Ipv6Packet reply = Net.parse6(Net.single(host, T0));
        assertThat(reply.src()).isEqualTo(HOST6);
        assertThat(reply.dst()).isEqualTo(PEER6);
    }

    @Test
    void ipv4EchoToBroadcastIsIgnored() {
        byte[] icmp = Icmpv4Message.echoRequest(1, 1, Bytes.of(1, 2, 3)).encode();
        host.receive(Net.ipv4(PEER4, Ipv4Address.BROADCAST, IpProtocol.ICMP, 5, icmp), T0);
        host.receive(Net.ipv4(PEER4, Ipv4Address.of("198.19.255.255"), IpProtocol.ICMP, 6, icmp), T0);

        assertThat(Net.drain(host, T0)).isEmpty();
        assertThat(host.counters().get(HostCounter.ICMP_BROADCAST_ECHO_IGNORED)).isEqualTo(2);
    }

    @Test
    void largeIpv4PingArrivingInFragmentsIsAnsweredInThreeFragments() {
        byte[] data = Net.pattern(4000);
        byte[] request = Net.echo4(3, 4, data);
        for (byte[] f : Net.fragments4(request, 1480, 2960)) {
            host.receive(f, T0);
        }

        List<byte[]> out = Net.drain(host, T0);
        assertThat(out).extracting(b -> b.length).containsExactly(1500, 1500, 20 + 1048);
        for (byte[] f : out) {
            assertThat(Net.parse4(f).header().dontFragment()).isFalse();
        }
        Ipv4Packet reply = Net.parse4(Net.reassemble4(out));
        Icmpv4Message m = Icmpv4Message.parse(reply.payload()).value();
        assertThat(m.type()).isEqualTo(Icmpv4Message.TYPE_ECHO_REPLY);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(data));
        assertThat(host.counters().get(HostCounter.IP_REASSEMBLED)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.IP_FRAGMENTED)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.IP_FRAGMENTS_CREATED)).isEqualTo(3);
    }

    @Test
    void largeIpv6PingArrivingInFragmentsIsAnsweredInFragments() {
        byte[] data = Net.pattern(4000);
        byte[] request = Net.echo6(3, 4, data);
        for (byte[] f : Net.fragments6(request, 0x5a5a5a5a, 1448, 2896)) {
            host.receive(f, T0);
        }

        List<byte[]> out = Net.drain(host, T0);
        // 1500 - 40 (IPv6) - 8 (Fragment) = 1452, rounded down to 1448 octets of data per fragment
        assertThat(out).extracting(b -> b.length).containsExactly(1496, 1496, 48 + 4008 - 2 * 1448);
        int id = Net.parse6(out.get(0)).fragment().orElseThrow().identification();
        for (byte[] f : out) {
            assertThat(Net.parse6(f).fragment().orElseThrow().identification()).isEqualTo(id);
        }
        Ipv6Packet reply = Net.parse6(Net.reassemble6(out));
        Icmpv6Message m = Icmpv6Message.parse(reply.payload(), new PseudoHeader(HOST6, PEER6))
                .value();
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_ECHO_REPLY);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(data));
        assertThat(host.counters().get(HostCounter.IP6_REASSEMBLED)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.IP6_FRAGMENTS_CREATED)).isEqualTo(3);
    }
}
