package io.sansnet.stack.host;

import static io.sansnet.stack.host.Net.SECOND;
import static io.sansnet.stack.host.Net.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sans-io contract: input through receive, output through pollTransmit, time as arguments. */
class HostContractTest {
    private final Host host = Net.host();

    @Test
    void aFreshHostHasNothingToSendAndNoDeadline() {
        assertThat(host.pollTransmit(T0)).isNull();
        assertThat(host.pollTimeout()).isEqualTo(Host.NO_DEADLINE);
        assertThat(host.counters()).isEqualTo(HostCounters.zero());
    }

    @Test
    void receiveReadsOnlyTheGivenSliceOfTheBuffer() {
        byte[] echo = Net.echo4(1, 1, Net.pattern(16));
        byte[] buf = Net.concat(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, echo, new byte[] {1, 2});
        host.receive(buf, 3, echo.length, T0);
        assertThat(Net.drain(host, T0)).hasSize(1);
        assertThat(host.counters().get(HostCounter.LINK_BAD_VERSION)).isZero();
    }

    @Test
    void aTimeBeforeAnEarlierOneCountsAsTheEarlierOne() {
        byte[] datagram = Net.udp4(1, 7, Net.pattern(64));
        host.receive(Net.fragment4(datagram, 8, 16, true), T0 + 10 * SECOND);
        host.receive(Net.fragment4(Net.udp4(2, 7, Net.pattern(64)), 8, 16, true), T0); // clock went backwards
        assertThat(host.pollTimeout()).isEqualTo(T0 + 40 * SECOND);

        host.handleTimeout(T0 + 40 * SECOND);
        assertThat(host.reassemblyInProgress()).isZero();
    }

    @Test
    void spuriousTimeoutCallsAreHarmless() {
        host.receive(Net.fragment4(Net.udp4(1, 7, Net.pattern(64)), 8, 16, true), T0);
        host.handleTimeout(T0);
        host.handleTimeout(T0 + SECOND);
        assertThat(host.reassemblyInProgress()).isEqualTo(1);
        assertThat(host.pollTransmit(T0 + SECOND)).isNull();
    }
}
