package io.sansnet.stack.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostConfigTest {

    @Test
    void defaultsAndParsing() {
        HostConfig c =
                HostConfig.builder().ipv4("198.18.0.2/15").ipv6("fd00:5a::2/64").build();
        assertThat(c.ipv4Address()).isEqualTo(Ipv4Address.of("198.18.0.2"));
        assertThat(c.ipv4PrefixLength()).isEqualTo(15);
        assertThat(c.ipv6Address()).isEqualTo(Ipv6Address.of("fd00:5a::2"));
        assertThat(c.ipv6PrefixLength()).isEqualTo(64);
        assertThat(c.mtu()).isEqualTo(1500);
        assertThat(c.reassemblyBudgetBytes()).isEqualTo(1 << 20);
        assertThat(c.reassemblyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.hopLimit()).isEqualTo(64);
        assertThat(c.hasIpv6()).isTrue();
    }

    @Test
    void withersChangeOneField() {
        HostConfig c = Net.config();
        HostConfig d =
                c.withMtu(9000).withReassemblyTimeout(Duration.ofSeconds(15)).withIcmpErrorRate(100, 50);
        assertThat(d.mtu()).isEqualTo(9000);
        assertThat(d.reassemblyTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.icmpErrorsPerSecond()).isEqualTo(100);
        assertThat(d.icmpErrorBurst()).isEqualTo(50);
        assertThat(d.withMtu(1500).withReassemblyTimeout(Duration.ofSeconds(30)).withIcmpErrorRate(10, 10))
                .isEqualTo(c);
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> HostConfig.builder().build()).hasMessageContaining("IPv4 address");
        assertThatThrownBy(() -> Net.config().withMtu(1279)).hasMessageContaining("mtu");
        assertThat(HostConfig.builder().ipv4("198.18.0.2").mtu(68).build().mtu())
                .isEqualTo(68);
        assertThatThrownBy(() -> HostConfig.builder().ipv4("198.18.0.2").mtu(67).build())
                .hasMessageContaining("mtu");
        assertThatThrownBy(() -> Net.config().withReassemblyBudgetBytes(-1)).hasMessageContaining("Budget");
        assertThatThrownBy(() -> Net.config().withReassemblyTimeout(Duration.ZERO))
                .hasMessageContaining("reassemblyTimeout");
        assertThatThrownBy(() -> Net.config().withHopLimit(0)).hasMessageContaining("hopLimit");
        assertThatThrownBy(() -> Net.config().withIpv4(Ipv4Address.of("198.18.0.2"), 33))
                .hasMessageContaining("ipv4PrefixLength");
    }
}
