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
import io.sansnet.stack.wire.PseudoHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Host#onEchoReply}: echo replies (RFC 792, RFC 4443 §4.2) addressed to the host are reported to the listener
 * once each, after reassembly, and nothing else is.
 */
class EchoReplyHookTest {
    private final Host host = Net.host();
    private final List<Host.EchoReply> replies = new ArrayList<>();

    EchoReplyHookTest() {
        host.onEchoReply(replies::add);
    }

    private static byte[] reply4(int id, int seq, byte[] data) {
        byte[] icmp = Icmpv4Message.echoReply(id, seq, Bytes.copyOf(data)).encode();
        return Net.ipv4(PEER4, HOST4, IpProtocol.ICMP, 0x777, icmp);
    }

    private static byte[] reply6(int id, int seq, byte[] data) {
        byte[] icmp = Icmpv6Message.echoReply(id, seq, Bytes.copyOf(data)).encode(new PseudoHeader(PEER6, HOST6));
        return Net.ipv6(PEER6, HOST6, IpProtocol.ICMPV6, icmp);
    }

    @Test
    void unfragmentedRepliesOfBothVersionsAreReported() {
        host.receive(reply4(0x1234, 7, Net.pattern(56)), T0);
        host.receive(reply6(0x4321, 65535, Net.pattern(8)), T0);

        assertThat(replies)
                .containsExactly(
                        new Host.EchoReply(PEER4, HOST4, 0x1234, 7, Bytes.copyOf(Net.pattern(56))),
                        new Host.EchoReply(PEER6, HOST6, 0x4321, 65535, Bytes.copyOf(Net.pattern(8))));
        assertThat(Net.drain(host, T0)).isEmpty(); // a reply is never answered
    }

    @Test
    void rfc791FragmentedIpv4ReplyIsReportedOnceAfterReassembly() {
        byte[] data = Net.pattern(3000);
        List<byte[]> fragments = Net.fragments4(reply4(9, 3, data), 1480, 2960);
        assertThat(fragments).hasSize(3);

        host.receive(fragments.get(2), T0);
        host.receive(fragments.get(0), T0);
        assertThat(replies).isEmpty(); // incomplete: nothing yet
        host.receive(fragments.get(1), T0);

        assertThat(replies).containsExactly(new Host.EchoReply(PEER4, HOST4, 9, 3, Bytes.copyOf(data)));
    }

    @Test
    void rfc8200FragmentedIpv6ReplyIsReportedOnceAfterReassembly() {
        byte[] data = Net.pattern(2500);
        List<byte[]> fragments = Net.fragments6(reply6(5, 1, data), 0xCAFE, 1232);

        host.receive(fragments.get(1), T0);
        assertThat(replies).isEmpty();
        host.receive(fragments.get(0), T0);

        assertThat(replies).containsExactly(new Host.EchoReply(PEER6, HOST6, 5, 1, Bytes.copyOf(data)));
    }

    @Test
    void requestsBadChecksumsAndRemovedListenersReportNothing() {
        host.receive(Net.echo4(1, 1, new byte[8]), T0); // a request: answered, not reported
        byte[] bad = reply4(1, 2, new byte[8]);
        bad[bad.length - 1] ^= 1; // the ICMP checksum no longer verifies
        host.receive(bad, T0);
        host.onEchoReply(null);
        host.receive(reply4(1, 3, new byte[8]), T0);

        assertThat(replies).isEmpty();
        assertThat(host.counters().get(HostCounter.ICMP_BAD_CHECKSUM)).isEqualTo(1);
        assertThat(host.counters().get(HostCounter.ICMP_ECHO_REPLIES)).isEqualTo(1);
    }
}
