package io.sansnet.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.fault.FaultModel;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.rand.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImpairedPathTest {

    private static byte[] packet(int n) {
        return new byte[] {0x45, (byte) n};
    }

    @Test
    void withoutModelEveryPacketPassesAtOnceInOrder() {
        ImpairedPath path = new ImpairedPath(null);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            path.offer(packet(i), i, out::add);
        }
        assertThat(out).hasSize(5);
        assertThat(out.get(3)[1]).isEqualTo((byte) 3);
        assertThat(path.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(path.faultCounters()).isNull();
    }

    @Test
    void delayedPacketsWaitUntilDueAndLeaveInOrder() {
        ImpairedPath path = new ImpairedPath(new FaultModel(FaultSpec.NONE.withDelayNanos(1_000), new SplitMix64(1)));
        List<byte[]> out = new ArrayList<>();
        path.offer(packet(1), 0, out::add);
        path.offer(packet(2), 10, out::add);
        assertThat(out).isEmpty();
        assertThat(path.nextDueNanos()).isEqualTo(1_000);
        path.releaseDue(999, out::add);
        assertThat(out).isEmpty();
        path.releaseDue(1_005, out::add);
        assertThat(out).hasSize(1);
        path.releaseDue(1_010, out::add);
        assertThat(out).extracting(p -> p[1]).containsExactly((byte) 1, (byte) 2);
        assertThat(path.heldPackets()).isZero();
    }

    @Test
    void reorderedPacketIsOvertakenByItsSuccessor() {
        // reorder=1 for the first packet only: then the second, undelayed, leaves first
        FaultModel model = new FaultModel(FaultSpec.NONE.withReorder(1), new SplitMix64(1));
        ImpairedPath path = new ImpairedPath(model);
        List<byte[]> out = new ArrayList<>();
        path.offer(packet(1), 0, out::add);
        model.setSpec(FaultSpec.NONE);
        path.offer(packet(2), 100, out::add);
        path.releaseDue(FaultSpec.DEFAULT_REORDER_DELAY_NANOS, out::add);
        assertThat(out).extracting(p -> p[1]).containsExactly((byte) 2, (byte) 1);
        assertThat(path.faultCounters().reordered()).isEqualTo(1);
    }

    @Test
    void lossDropsAndCountsThroughTheModel() {
        ImpairedPath path = new ImpairedPath(new FaultModel(FaultSpec.NONE.withLoss(1), new SplitMix64(1)));
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            path.offer(packet(i), i, out::add);
        }
        assertThat(out).isEmpty();
        assertThat(path.faultCounters().lost()).isEqualTo(10);
    }
}
