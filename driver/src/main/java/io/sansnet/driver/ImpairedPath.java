package io.sansnet.driver;

import io.sansnet.stack.fault.Delivery;
import io.sansnet.stack.fault.FaultCounters;
import io.sansnet.stack.fault.FaultModel;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * One direction of a path through the seeded {@link FaultModel}: packets the model delays (delay, jitter, reordering)
 * wait in a queue ordered by due time, then by arrival, until {@link #releaseDue}. Owned by one loop thread.
 */
final class ImpairedPath {

    /** Most packets held back at once; further delayed packets are dropped and counted. */
    static final int MAX_HELD_PACKETS = 65_536;

    private record Held(long dueNanos, long sequence, byte[] packet) implements Comparable<Held> {
        @Override
        public int compareTo(Held o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final FaultModel model;
    private final PriorityQueue<Held> held = new PriorityQueue<>();
    private long sequence;
    private long overflowDrops;

    /** {@code model} may be null: then every packet passes at once, unchanged. */
    ImpairedPath(FaultModel model) {
        this.model = model;
    }

    /** Passes {@code packet} through the fault model: due copies go to {@code out} now, the others wait. */
    void offer(byte[] packet, long nowNanos, Consumer<byte[]> out) {
        if (model == null) {
            out.accept(packet);
            return;
        }
        List<Delivery> deliveries = model.apply(packet);
        for (Delivery d : deliveries) {
            if (d.delayNanos() == 0) {
                out.accept(d.packet());
            } else if (held.size() >= MAX_HELD_PACKETS) {
                overflowDrops++;
            } else {
                long due = nowNanos + d.delayNanos() < nowNanos ? Long.MAX_VALUE : nowNanos + d.delayNanos();
                held.add(new Held(due, sequence++, d.packet()));
            }
        }
        if (!held.isEmpty()) {
            releaseDue(nowNanos, out);
        }
    }

    /** Hands every held packet due at {@code nowNanos} to {@code out}, in due order. */
    void releaseDue(long nowNanos, Consumer<byte[]> out) {
        Held h;
        while ((h = held.peek()) != null && h.dueNanos() <= nowNanos) {
            held.poll();
            out.accept(h.packet());
        }
    }

    /** When the next held packet is due, or {@link Long#MAX_VALUE} when none is held. */
    long nextDueNanos() {
        Held h = held.peek();
        return h == null ? Long.MAX_VALUE : h.dueNanos();
    }

    int heldPackets() {
        return held.size();
    }

    long overflowDrops() {
        return overflowDrops;
    }

    /** The fault model's counters, or null without impairment. */
    FaultCounters faultCounters() {
        return model == null ? null : model.counters();
    }
}
