package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.SECOND;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6ExtensionHeader;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hook for TCP: packets of protocol 6 in, packets out through the host, deadlines merged, ICMP errors passed on. */
class TransportHandlerTest {

    /** A scripted handler: records what it is given, sends what the test queues. */
    static final class Recorder implements TransportHandler {
        final List<IpPacket> received = new ArrayList<>();
        final List<IcmpError> errors = new ArrayList<>();
        final ArrayDeque<IpPacket> toSend = new ArrayDeque<>();
        final List<Long> timeouts = new ArrayList<>();
        long deadline = Long.MAX_VALUE;

        @Override
        public void receive(IpPacket packet, long nowNanos) {
            received.add(packet);
        }

        @Override
        public void receiveIcmpError(IcmpError error, long nowNanos) {
            errors.add(error);
        }

        @Override
        public IpPacket pollTransmit(long nowNanos) {
            return toSend.poll();
        }

        @Override
        public long pollTimeout() {
            return deadline;
        }

        @Override
        public void handleTimeout(long nowNanos) {
            timeouts.add(nowNanos);
        }
    }

    private final Host host = Net.host();
    private final Recorder tcp = new Recorder();

    @Test
    void tcpPacketsGoToTheHandlerAfterReassembly() {
        host.attachTcp(tcp);
        byte[] segment = Net.pattern(3000);
        byte[] datagram = Net.ipv4(PEER4, HOST4, IpProtocol.TCP, 77, segment);
        for (byte[] f : Net.fragments4(datagram, 1480)) {
            host.receive(f, T0);
        }
        host.receive(Net.ipv6(PEER6, HOST6, IpProtocol.TCP, new byte[20]), T0);

        assertThat(tcp.received).hasSize(2);
        assertThat(tcp.received.get(0).payload()).isEqualTo(Bytes.copyOf(segment));
        assertThat(tcp.received.get(1).src()).isEqualTo(PEER6);
        assertThat(host.counters().get(HostCounter.TCP_DELIVERED)).isEqualTo(2);
        assertThat(host.counters().get(HostCounter.TCP_NO_HANDLER)).isZero();
    }

    @Test
    void handlerPacketsLeaveThroughPollTransmitFragmentedWhenTooBig() {
        host.attachTcp(tcp);
        Ipv4Header h = Ipv4Header.builder(HOST4, PEER4, IpProtocol.TCP).build();
        tcp.toSend.add(Ipv4Packet.of(h, Bytes.copyOf(new byte[20])));
        tcp.toSend.add(Ipv4Packet.of(h, Bytes.copyOf(Net.pattern(2000))));

        List<byte[]> out = Net.drain(host, T0);
        assertThat(out).extracting(b -> b.length).containsExactly(40, 1500, 20 + 2000 - 1480);
        assertThat(Net.parse4(Net.reassemble4(out.subList(1, 3))).payload()).isEqualTo(Bytes.copyOf(Net.pattern(2000)));
    }

    @Test
    void tooBigWithDontFragmentIsDroppedAndCounted() {
        Ipv4Header h = Ipv4Header.builder(HOST4, PEER4, IpProtocol.TCP)
                .dontFragment(true)
                .build();
        assertThat(host.sendIp(Ipv4Packet.of(h, Bytes.copyOf(new byte[1481])))).isFalse();
        assertThat(host.sendIp(Ipv4Packet.of(h, Bytes.copyOf(new byte[1480])))).isTrue();
        assertThat(Net.drain(host, T0)).hasSize(1);
        assertThat(host.counters().get(HostCounter.IP_CANNOT_FRAGMENT)).isEqualTo(1);
    }

    @Test
    void ipv6FragmentsRepeatTheUnfragmentablePart() { // RFC 8200 §4.5
        byte[] hopByHop = new byte[6]; // PadN filling 8 octets
        hopByHop[0] = 1;
        hopByHop[1] = 4;
        byte[] destOpts = new byte[6];
        destOpts[0] = 1;
        destOpts[1] = 4;
        Ipv6Packet p = Ipv6Packet.of(
                Ipv6Header.of(HOST6, PEER6, 0, 64, 0),
                List.of(
                        new Ipv6ExtensionHeader.Generic(IpProtocol.HOPOPT, Bytes.copyOf(hopByHop)),
                        new Ipv6ExtensionHeader.Generic(IpProtocol.IPV6_OPTS, Bytes.copyOf(destOpts))),
                IpProtocol.TCP,
                Bytes.copyOf(Net.pattern(3000)));
        assertThat(host.sendIp(p)).isTrue();

        List<byte[]> out = Net.drain(host, T0);
        assertThat(out).hasSize(3);
        for (byte[] f : out) {
            Ipv6Packet q = Net.parse6(f);
            assertThat(f.length).isLessThanOrEqualTo(1500);
            assertThat(q.extensionHeaders()).hasSize(2);
            assertThat(q.extensionHeaders().get(0).type()).isEqualTo(IpProtocol.HOPOPT);
            assertThat(q.fragment()).isPresent();
            assertThat(q.protocol()).isEqualTo(IpProtocol.IPV6_OPTS); // the fragmentable part starts with it
        }
        Host peer = Net.peer(1500);
        Recorder peerTcp = new Recorder();
        peer.attachTcp(peerTcp);
        for (int i = out.size() - 1; i >= 0; i--) {
            peer.receive(out.get(i), T0);
        }
        assertThat(peerTcp.received).hasSize(1);
        Ipv6Packet whole = (Ipv6Packet) peerTcp.received.get(0);
        assertThat(whole.extensionHeaders())
                .extracting(Ipv6ExtensionHeader::type)
                .containsExactly(IpProtocol.HOPOPT, IpProtocol.IPV6_OPTS);
        assertThat(whole.payload()).isEqualTo(Bytes.copyOf(Net.pattern(3000)));
    }

    @Test
    void deadlinesMergeAndTimeoutsReachTheHandler() {
        host.attachTcp(tcp);
        tcp.deadline = T0 + 5 * SECOND;
        assertThat(host.pollTimeout()).isEqualTo(T0 + 5 * SECOND);
        host.receive(Net.fragment4(Net.udp4(1, 7, new byte[64]), 0, 16, true), T0); // reassembly deadline T0 + 30 s
        assertThat(host.pollTimeout()).isEqualTo(T0 + 5 * SECOND);
        tcp.deadline = T0 + 40 * SECOND;
        assertThat(host.pollTimeout()).isEqualTo(T0 + 30 * SECOND);

        host.handleTimeout(T0 + 30 * SECOND);
        assertThat(tcp.timeouts).containsExactly(T0 + 30 * SECOND);
    }

    @Test
    void icmpErrorsQuotingTcpReachTheHandler() { // for PMTUD (RFC 1191) and failing a connect
        host.attachTcp(tcp);
        byte[] ourSegment = Net.ipv4(HOST4, PEER4, IpProtocol.TCP, 5, new byte[20]);
        byte[] ourDatagram = Net.ipv4(HOST4, PEER4, IpProtocol.UDP, 6, new byte[8]);
        host.receive(
                Net.ipv4(
                        PEER4,
                        HOST4,
                        IpProtocol.ICMP,
                        1,
                        Icmpv4Message.fragmentationNeeded(1400, Bytes.copyOf(ourSegment, 0, 28))
                                .encode()),
                T0);
        host.receive(
                Net.ipv4(
                        PEER4,
                        HOST4,
                        IpProtocol.ICMP,
                        2,
                        Icmpv4Message.destinationUnreachable(3, Bytes.copyOf(ourDatagram))
                                .encode()),
                T0);

        assertThat(tcp.errors).hasSize(1);
        IcmpError e = tcp.errors.get(0);
        assertThat(e.reporter()).isEqualTo(PEER4);
        assertThat(e.type()).isEqualTo(Icmpv4Message.TYPE_DESTINATION_UNREACHABLE);
        assertThat(e.code()).isEqualTo(Icmpv4Message.CODE_FRAGMENTATION_NEEDED);
        assertThat(e.restOfHeader() & 0xFFFF).isEqualTo(1400);
        assertThat(e.quoted()).isEqualTo(Bytes.copyOf(ourSegment, 0, 28));
        assertThat(host.counters().get(HostCounter.ICMP_ERRORS_RECEIVED)).isEqualTo(2);
    }
}
