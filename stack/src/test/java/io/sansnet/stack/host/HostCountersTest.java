package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The counters: stable names and order like {@code netstat -s}, immutable snapshots. */
class HostCountersTest {

    @Test
    void namesAreUniqueAndPrefixedByProtocol() {
        Set<String> names = new HashSet<>();
        for (HostCounter c : HostCounter.values()) {
            assertThat(names.add(c.counterName())).as(c.counterName()).isTrue();
            assertThat(c.counterName()).matches("(ip|ip6|icmp|icmp6|udp|tcp|link)\\.[a-z][A-Za-z0-9]*");
        }
        assertThat(names)
                .contains(
                        "ip.received",
                        "ip.badChecksum",
                        "ip.badLength",
                        "ip.wrongDestination",
                        "ip.reassembled",
                        "ip.reassemblyFailed",
                        "ip.reassemblyBudgetDrops",
                        "ip6.overlapDrops",
                        "icmp.echoReplies",
                        "icmp.errorsSent",
                        "icmp.rateLimited",
                        "udp.received",
                        "udp.noPort",
                        "udp.badChecksum",
                        "udp.queueFull",
                        "tcp.noHandler");
    }

    @Test
    void entriesFollowTheEnumOrder() {
        HostCounters c = HostCounters.zero();
        assertThat(c.entries()).hasSize(HostCounter.values().length);
        for (int i = 0; i < HostCounter.values().length; i++) {
            assertThat(c.entries().get(i).name()).isEqualTo(HostCounter.values()[i].counterName());
        }
    }

    @Test
    void snapshotsDoNotChangeAndDiffsSubtract() {
        Host host = Net.host();
        HostCounters before = host.counters();
        host.receive(Net.echo4(1, 1, new byte[4]), T0);
        HostCounters after = host.counters();

        assertThat(before.get("icmp.echoReplies")).isZero();
        assertThat(after.get("icmp.echoReplies")).isEqualTo(1);
        assertThat(after.minus(before).nonZero())
                .extracting(HostCounters.Entry::name)
                .containsExactly(
                        "ip.received",
                        "ip.delivered",
                        "ip.sent",
                        "icmp.received",
                        "icmp.echoRequests",
                        "icmp.echoReplies");
        assertThat(after.toString()).contains("icmp.echoReplies: 1\n");
        assertThat(after).isEqualTo(host.counters()).isNotEqualTo(before);
        assertThatThrownBy(() -> after.get("no.such")).isInstanceOf(IllegalArgumentException.class);
    }
}
