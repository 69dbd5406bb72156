package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.HOST4;
import static io.sansnet.stack.host.Net.HOST6;
import static io.sansnet.stack.host.Net.MS;
import static io.sansnet.stack.host.Net.PEER4;
import static io.sansnet.stack.host.Net.PEER6;
import static io.sansnet.stack.host.Net.SECOND;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.PseudoHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reassembly of IPv4 (RFC 791, RFC 815) and IPv6 (RFC 8200 §4.5, RFC 5722, RFC 6946) fragments. */
class ReassemblyTest {
    private final Host host = Net.host();
    private final List<Datagram> got = new ArrayList<>();

    ReassemblyTest() {
        host.bind(7, (s, d) -> got.add(d)).value();
    }

    private void receiveAll(List<byte[]> fragments, int... order) {
        for (int i : order) {
            host.receive(fragments.get(i), T0);
        }
    }

    // ------------------------------------------------------------------------------------------ IPv4

    @Test
    void ipv4FragmentsInOrder() {
        byte[] payload = Net.pattern(3000);
        receiveAll(Net.fragments4(Net.udp4(1, 7, payload), 1000, 2000), 0, 1, 2);

        assertThat(got).extracting(Datagram::payload).containsExactly(Bytes.copyOf(payload));
        assertThat(host.counters().get(HostCounter.IP_FRAGMENTS_RECEIVED)).isEqualTo(3);
        assertThat(host.counters().get(HostCounter.IP_REASSEMBLED)).isEqualTo(1);
        assertThat(host.reassemblyMemoryBytes()).isZero();
        assertThat(host.pollTimeout()).isEqualTo(Host.NO_DEADLINE);
    }

    @Test
    void ipv4FragmentsOutOfOrderWithDuplicates() {
        byte[] payload = Net.pattern(3000);
        List<byte[]> f = Net.fragments4(Net.udp4(1, 7, payload), 8, 1000, 2000);
        receiveAll(f, 3, 1, 1, 3, 2);
        assertThat(got).isEmpty();
        assertThat(host.reassemblyInProgress()).isEqualTo(1);
        receiveAll(f, 0);

        assertThat(got).extracting(Datagram::payload).containsExactly(Bytes.copyOf(payload));
        assertThat(host.counters().get(HostCounter.IP_DUPLICATE_FRAGMENTS)).isEqualTo(2);
        assertThat(host.reassemblyMemoryBytes()).isZero();
    }

    @Test
    void ipv4OverlappingFragmentsKeepTheFirstReceivedBytes() { // RFC 815 holes; earlier data wins
        byte[] payload = Net.pattern(64);
        byte[] datagram = Net.udp4(1, 7, payload);
        byte[] liar = datagram.clone();
        for (int i = 20 + 24; i < 20 + 56; i++) {
            liar[i] = (byte) 0xEE; // a second copy of data bytes 24..56 with other contents
        }
        host.receive(Net.fragment4(datagram, 0, 32, true), T0);
        host.receive(Net.fragment4(liar, 24, 56, true), T0); // overlaps 24..32 and fills 32..56
        host.receive(Net.fragment4(liar, 16, 40, true), T0); // entirely received already
        host.receive(Net.fragment4(datagram, 56, 72, false), T0);

        assertThat(host.counters().get(HostCounter.IP_DUPLICATE_FRAGMENTS)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.UDP_BAD_CHECKSUM)).isEqualTo(1); // 32..56 came from the liar
        assertThat(got).isEmpty();

        // the same identification again, the true bytes first this time: they win over the liar's
        host.receive(Net.fragment4(datagram, 0, 64, true), T0 + MS);
        host.receive(Net.fragment4(liar, 24, 72, false), T0 + MS);
        assertThat(got).extracting(Datagram::payload).containsExactly(Bytes.copyOf(payload));
    }

    @Test
    void ipv4FragmentsDisagreeingOnTheEndDropTheDatagram() {
        byte[] datagram = Net.udp4(1, 7, Net.pattern(64));
        host.receive(Net.fragment4(datagram, 0, 16, true), T0);
        host.receive(Net.fragment4(datagram, 32, 40, false), T0); // ends at 40
        host.receive(Net.fragment4(datagram, 40, 72, false), T0); // ends at 72

        assertThat(host.counters().get(HostCounter.IP_REASSEMBLY_INVALID)).isEqualTo(1);
        assertThat(host.reassemblyInProgress()).isZero();
        assertThat(host.reassemblyMemoryBytes()).isZero();
    }

    @Test
    void ipv4FragmentOfBadLengthIsDropped() { // RFC 791: all but the last carry a multiple of 8 octets
        byte[] datagram = Net.udp4(1, 7, Net.pattern(64));
        host.receive(Net.fragment4(datagram, 0, 30, true), T0);
        byte[] pingOfDeath = Net.fragment4(datagram, 0, 16, false);
        Net.put16(pingOfDeath, 6, 8189); // offset 65512 + 16 octets > 65535
        Net.put16(pingOfDeath, 10, 0);
        Net.put16(pingOfDeath, 10, io.sansnet.stack.wire.Checksum.compute(pingOfDeath, 0, 20));
        host.receive(pingOfDeath, T0);

        assertThat(host.counters().get(HostCounter.IP_BAD_LENGTH)).isEqualTo(2);
        assertThat(host.reassemblyInProgress()).isZero();
    }

    @Test
    void ipv4TimeoutFreesMemoryAndSendsTimeExceededForAFirstFragment() { // RFC 1122 §3.3.2
        byte[] datagram = Net.udp4(1, 7, Net.pattern(64));
        host.receive(Net.fragment4(datagram, 0, 32, true), T0);
        assertThat(host.reassemblyMemoryBytes()).isPositive();
        assertThat(host.pollTimeout()).isEqualTo(T0 + 30 * SECOND);

        host.handleTimeout(T0 + 30 * SECOND - 1);
        assertThat(host.reassemblyInProgress()).isEqualTo(1);
        assertThat(Net.drain(host, T0 + 30 * SECOND - 1)).isEmpty();

        host.handleTimeout(T0 + 30 * SECOND);
        assertThat(host.reassemblyInProgress()).isZero();
        assertThat(host.reassemblyMemoryBytes()).isZero();
        assertThat(host.pollTimeout()).isEqualTo(Host.NO_DEADLINE);
        assertThat(host.counters().get(HostCounter.IP_REASSEMBLY_FAILED)).isEqualTo(1);
        var p = Net.parse4(Net.single(host, T0 + 30 * SECOND));
        Icmpv4Message m = Icmpv4Message.parse(p.payload()).value();
        assertThat(p.dst()).isEqualTo(PEER4);
        assertThat(m.type()).isEqualTo(Icmpv4Message.TYPE_TIME_EXCEEDED);
        assertThat(m.code()).isEqualTo(Icmpv4Message.CODE_REASSEMBLY_TIME_EXCEEDED);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(Net.fragment4(datagram, 0, 32, true)));
    }

    @Test
    void timeoutWithoutTheFirstFragmentSendsNothing() {
        byte[] datagram = Net.udp4(1, 7, Net.pattern(64));
        host.receive(Net.fragment4(datagram, 32, 72, false), T0);
        host.handleTimeout(T0 + 31 * SECOND);

        assertThat(Net.drain(host, T0 + 31 * SECOND)).isEmpty();
        assertThat(host.counters().get(HostCounter.IP_REASSEMBLY_FAILED)).isEqualTo(1);
    }

    @Test
    void eachDatagramHasItsOwnDeadline() {
        byte[] a = Net.udp4(1, 7, Net.pattern(64));
        byte[] b = Net.ipv4(PEER4, HOST4, IpProtocol.UDP, 99, new byte[64]);
        host.receive(Net.fragment4(a, 8, 16, true), T0);
        host.receive(Net.fragment4(b, 8, 16, true), T0 + 5 * SECOND);

        assertThat(host.pollTimeout()).isEqualTo(T0 + 30 * SECOND);
        host.handleTimeout(host.pollTimeout());
        assertThat(host.reassemblyInProgress()).isEqualTo(1);
        assertThat(host.pollTimeout()).isEqualTo(T0 + 35 * SECOND);
    }

    // ------------------------------------------------------------------------------------------ IPv6

    @Test
    void ipv6FragmentsOutOfOrderWithExactDuplicates() { // RFC 8200 §4.5 allows dropping exact duplicates alone
        byte[] payload = Net.pattern(3000);
        List<byte[]> f = Net.fragments6(Net.udp6(1, 7, payload), 77, 1000, 2000);
        receiveAll(f, 2, 2, 0, 0, 1);

        assertThat(got).extracting(Datagram::payload).containsExactly(Bytes.copyOf(payload));
        assertThat(host.counters().get(HostCounter.IP6_DUPLICATE_FRAGMENTS)).isEqualTo(2);
        assertThat(host.counters().get(HostCounter.IP6_REASSEMBLED)).isEqualTo(1);
        assertThat(host.reassemblyMemoryBytes()).isZero();
    }

    @Test
    void ipv6OverlappingFragmentsDropTheWholeDatagram() { // RFC 5722 §4
        byte[] packet = Net.udp6(1, 7, Net.pattern(3000));
        host.receive(Net.fragment6(packet, 5, 0, 1000, true), T0);
        host.receive(Net.fragment6(packet, 5, 992, 2000, true), T0); // overlaps 992..1000

        assertThat(host.counters().get(HostCounter.IP6_OVERLAP_DROPS)).isEqualTo(1);
        assertThat(host.reassemblyInProgress()).isZero();
        assertThat(host.reassemblyMemoryBytes()).isZero();
        // the rest arrives, but the first fragment is gone: nothing is delivered
        host.receive(Net.fragment6(packet, 5, 2000, 3008, false), T0);
        assertThat(got).isEmpty();
    }

    @Test
    void ipv6FragmentCoveringTwoReceivedOnesIsAnOverlap() {
        byte[] packet = Net.udp6(1, 7, Net.pattern(3000));
        host.receive(Net.fragment6(packet, 5, 0, 1000, true), T0);
        host.receive(Net.fragment6(packet, 5, 1000, 2000, true), T0);
        host.receive(Net.fragment6(packet, 5, 0, 2000, true), T0);

        assertThat(host.counters().get(HostCounter.IP6_OVERLAP_DROPS)).isEqualTo(1);
        assertThat(host.reassemblyInProgress()).isZero();
    }

    @Test
    void ipv6AtomicFragmentIsProcessedAlone() { // RFC 6946 §4
        byte[] packet = Net.udp6(1, 7, Net.pattern(100));
        host.receive(Net.fragment6(packet, 9, 0, 48, true), T0); // an unrelated reassembly with the same id
        host.receive(Net.fragment6(packet, 9, 0, 108, false), T0);

        assertThat(got).extracting(Datagram::payload).containsExactly(Bytes.copyOf(Net.pattern(100)));
        assertThat(host.counters().get(HostCounter.IP6_ATOMIC_FRAGMENTS)).isEqualTo(1);
        assertThat(host.reassemblyInProgress()).isEqualTo(1);
    }

    @Test
    void ipv6FragmentNotAMultipleOfEightIsDropped() {
        byte[] packet = Net.udp6(1, 7, Net.pattern(100));
        host.receive(Net.fragment6(packet, 9, 0, 48, true), T0);
        host.receive(Net.fragment6(packet, 9, 48, 50, true), T0);
        assertThat(host.counters().get(HostCounter.IP6_BAD_LENGTH)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.IP6_FRAGMENTS_RECEIVED)).isEqualTo(2);
    }

    @Test
    void ipv6TimeoutSendsTimeExceededQuotingTheFirstFragment() { // RFC 8200 §4.5
        byte[] packet = Net.udp6(1, 7, Net.pattern(100));
        byte[] first = Net.fragment6(packet, 9, 0, 48, true);
        host.receive(first, T0);
        host.handleTimeout(T0 + 30 * SECOND);

        var p = Net.parse6(Net.single(host, T0 + 30 * SECOND));
        Icmpv6Message m =
                Icmpv6Message.parse(p.payload(), new PseudoHeader(HOST6, PEER6)).value();
        assertThat(m.type()).isEqualTo(Icmpv6Message.TYPE_TIME_EXCEEDED);
        assertThat(m.code()).isEqualTo(Icmpv6Message.CODE_REASSEMBLY_TIME_EXCEEDED);
        assertThat(m.data()).isEqualTo(Bytes.copyOf(first));
        assertThat(host.counters().get(HostCounter.IP6_REASSEMBLY_FAILED)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ the budget

    @Test
    void floodOfIncompleteFragmentsStaysWithinTheBudgetWhileABigPingIsAnswered() {
        long budget = 64 * 1024;
        Host h = Net.host(Net.config().withReassemblyBudgetBytes(budget));
        byte[] ping = Net.echo4(1, 1, Net.pattern(4000));
        List<byte[]> pingFragments = Net.fragments4(ping, 1480, 2960);
        byte[] ping6 = Net.echo6(1, 2, Net.pattern(4000));
        List<byte[]> ping6Fragments = Net.fragments6(ping6, 0x600d, 1448, 2896);
        int replies = 0;
        long t = T0;
        for (int i = 0; i < 3000; i++) {
            t += 10_000; // 10 us apart
            // an incomplete datagram: one middle fragment of 1,480 octets, each under a new identification,
            // IPv4 and IPv6 alternately (one budget for both)
            byte[] junk = Net.ipv4(PEER4, HOST4, IpProtocol.UDP, i & 0xFFFF, new byte[4000]);
            if (i % 2 == 0) {
                h.receive(Net.fragment4(junk, 1480, 2960, true), t);
            } else {
                h.receive(Net.fragment6(Net.udp6(1, 7, new byte[4000]), i, 1480, 2960, true), t);
            }
            if (i % 500 == 250) {
                for (int k = 0; k < 3; k++) {
                    h.receive(pingFragments.get(k), t);
                    h.receive(ping6Fragments.get(k), t);
                    h.receive(Net.fragment4(junk, 1480 + 8 * (k + 1), 2960, true), t); // noise in between
                }
                replies += Net.drain(h, t).size();
            }
            assertThat(h.reassemblyMemoryBytes()).isLessThanOrEqualTo(budget);
        }
        assertThat(replies).isEqualTo(6 * 6); // six v4 and six v6 pings, each answered in three fragments
        assertThat(h.counters().get(HostCounter.IP_REASSEMBLY_BUDGET_DROPS)).isGreaterThan(1250);
        assertThat(h.counters().get(HostCounter.IP6_REASSEMBLY_BUDGET_DROPS)).isGreaterThan(1250);
        assertThat(h.counters().get(HostCounter.ICMP_ECHO_REPLIES)).isEqualTo(6);
        assertThat(h.counters().get(HostCounter.ICMP6_ECHO_REPLIES)).isEqualTo(6);
    }

    @Test
    void aDatagramLargerThanTheWholeBudgetIsDroppedAndCounted() {
        Host h = Net.host(Net.config().withReassemblyBudgetBytes(2000));
        byte[] big = Net.udp4(1, 7, Net.pattern(3000));
        for (byte[] f : Net.fragments4(big, 1480)) {
            h.receive(f, T0);
        }
        assertThat(h.reassemblyMemoryBytes()).isLessThanOrEqualTo(2000);
        assertThat(h.counters().get(HostCounter.IP_REASSEMBLY_BUDGET_DROPS)).isEqualTo(1);
        assertThat(h.counters().get(HostCounter.IP_REASSEMBLED)).isZero();
    }

    @Test
    void zeroBudgetReassemblesNothingButStillAcceptsWholePackets() {
        Host h = Net.host(Net.config().withReassemblyBudgetBytes(0));
        h.receive(Net.fragments4(Net.echo4(1, 1, Net.pattern(3000)), 1480).get(0), T0);
        h.receive(Net.echo4(1, 2, Net.pattern(10)), T0);
        assertThat(Net.drain(h, T0)).hasSize(1);
        assertThat(h.reassemblyMemoryBytes()).isZero();
        assertThat(h.counters().get(HostCounter.IP_REASSEMBLY_BUDGET_DROPS)).isEqualTo(1);
    }
}
