package io.sansnet.stack.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

/** The reassembly table on its own: RFC 815 holes, the budget's accounting and its eviction order. */
class ReassemblerTest {
    private static final IpPacket HEADER = Ipv4Packet.of(
            Ipv4Header.builder(Net.PEER4, Net.HOST4, IpProtocol.UDP).build(), Bytes.EMPTY);

    private final Counters counters = new Counters();

    private static FragmentKey key(int id) {
        return FragmentKey.ipv4(Net.PEER4.bits(), Net.HOST4.bits(), IpProtocol.UDP, id);
    }

    private static Reassembler.Outcome add(Reassembler r, int id, int offset, byte[] data, boolean more) {
        return r.add(key(id), offset, data, 0, data.length, more, HEADER, null, 0);
    }

    @Test
    void holesCloseInAnyOrder() {
        Reassembler r = new Reassembler(1 << 20, 1000, counters);
        byte[] all = Net.pattern(40);
        assertThat(add(r, 1, 32, java.util.Arrays.copyOfRange(all, 32, 40), false))
                .isInstanceOf(Reassembler.Outcome.Incomplete.class);
        assertThat(add(r, 1, 8, java.util.Arrays.copyOfRange(all, 8, 24), true))
                .isInstanceOf(Reassembler.Outcome.Incomplete.class);
        assertThat(add(r, 1, 0, java.util.Arrays.copyOfRange(all, 0, 8), true))
                .isInstanceOf(Reassembler.Outcome.Incomplete.class);
        Reassembler.Outcome o = add(r, 1, 24, java.util.Arrays.copyOfRange(all, 24, 32), true);

        assertThat(o).isInstanceOf(Reassembler.Outcome.Complete.class);
        assertThat(((Reassembler.Outcome.Complete) o).data()).isEqualTo(all);
        assertThat(((Reassembler.Outcome.Complete) o).firstHeader()).isSameAs(HEADER);
        assertThat(r.memoryBytes()).isZero();
    }

    @Test
    void aTinyFragmentAtAHighOffsetCostsOnlyItsOwnBytes() {
        Reassembler r = new Reassembler(1 << 20, 1000, counters);
        add(r, 1, 65_000, new byte[8], true);
        assertThat(r.memoryBytes())
                .isEqualTo(Reassembler.DATAGRAM_OVERHEAD_BYTES
                        + 8
                        + Reassembler.PIECE_OVERHEAD_BYTES
                        + 2 * Reassembler.HOLE_OVERHEAD_BYTES);
    }

    @Test
    void theOldestDatagramsAreEvictedFirstAndTheBudgetIsNeverExceeded() {
        long one = Reassembler.DATAGRAM_OVERHEAD_BYTES
                + 1000
                + Reassembler.PIECE_OVERHEAD_BYTES
                + 2 * Reassembler.HOLE_OVERHEAD_BYTES;
        Reassembler r = new Reassembler(3 * one, 1000, counters);
        for (int id = 1; id <= 3; id++) {
            add(r, id, 1000, new byte[1000], true);
        }
        assertThat(r.memoryBytes()).isEqualTo(3 * one);
        add(r, 4, 1000, new byte[1000], true);

        assertThat(r.memoryBytes()).isEqualTo(3 * one);
        assertThat(counters.get(HostCounter.IP_REASSEMBLY_BUDGET_DROPS)).isEqualTo(1);
        // datagram 1 was evicted: its first fragment starts a new datagram (evicting 2), datagram 4 completes
        add(r, 4, 0, new byte[1000], true);
        assertThat(add(r, 4, 2000, new byte[8], false)).isInstanceOf(Reassembler.Outcome.Complete.class);
        assertThat(r.inProgress()).isEqualTo(1);
    }

    @Test
    void expiryIsInArrivalOrder() {
        Reassembler r = new Reassembler(1 << 20, 1000, counters);
        r.add(key(1), 8, new byte[8], 0, 8, true, HEADER, null, 10);
        r.add(key(2), 0, new byte[8], 0, 8, true, HEADER, new byte[] {1, 2}, 20);
        assertThat(r.nextDeadline()).isEqualTo(1010);

        assertThat(r.expire(1009)).isEmpty();
        assertThat(r.expire(1010)).extracting(Reassembler.Expired::key).containsExactly(key(1));
        var second = r.expire(5000);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).firstFragmentQuote()).containsExactly(1, 2);
        assertThat(r.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(counters.get(HostCounter.IP_REASSEMBLY_FAILED)).isEqualTo(2);
    }
}
