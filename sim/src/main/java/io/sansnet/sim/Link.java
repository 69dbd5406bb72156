package io.sansnet.sim;

import java.util.ArrayList;
import java.util.List;

/** A point-to-point link between two nodes: two independent {@link Channel}s, one per direction. */
public final class Link {

    /** Which way across the link. */
    public enum Direction {
        /** From the first node given to {@code Simulation.connect} to the second. */
        FORWARD,
        /** From the second node to the first. */
        REVERSE,
        /** Both ways. */
        BOTH
    }

    private final Simulation sim;
    private final Channel forward;
    private final Channel reverse;
    private final List<PacketTap> taps = new ArrayList<>();

    Link(Simulation sim, Node a, Node b, LinkParams ab, LinkParams ba) {
        this.sim = sim;
        this.forward = new Channel(sim, this, a, b, ab);
        this.reverse = new Channel(sim, this, b, a, ba);
    }

    public Channel forward() {
        return forward;
    }

    public Channel reverse() {
        return reverse;
    }

    /** The channel from {@code n}, which must be one end of this link. */
    public Channel from(Node n) {
        if (forward.from() == n) {
            return forward;
        }
        if (reverse.from() == n) {
            return reverse;
        }
        throw new IllegalArgumentException(n + " is not on link " + this);
    }

    /** Adds a tap that sees every packet on both directions. */
    public void tap(PacketTap t) {
        taps.add(t);
    }

    void tap(long now, Channel c, PacketTap.Point point, byte[] bytes) {
        for (PacketTap t : taps) {
            t.onPacket(now, c, point, bytes);
        }
    }

    private List<Channel> channels(Direction d) {
        return switch (d) {
            case FORWARD -> List.of(forward);
            case REVERSE -> List.of(reverse);
            case BOTH -> List.of(forward, reverse);
        };
    }

    /** Partitions direction {@code d} now. */
    public void partition(Direction d) {
        channels(d).forEach(Channel::partition);
    }

    /** Heals direction {@code d} now. */
    public void heal(Direction d) {
        channels(d).forEach(Channel::heal);
    }

    /** Partitions {@code d} at virtual time {@code fromNanos} and heals it at {@code untilNanos}. */
    public void schedulePartition(Direction d, long fromNanos, long untilNanos) {
        if (untilNanos < fromNanos) {
            throw new IllegalArgumentException("heal before partition");
        }
        sim.scheduleAt(fromNanos, () -> partition(d));
        sim.scheduleAt(untilNanos, () -> heal(d));
    }

    /** Sets the parameters of direction {@code d} at virtual time {@code atNanos}. */
    public void scheduleParams(Direction d, long atNanos, LinkParams p) {
        sim.scheduleAt(atNanos, () -> channels(d).forEach(c -> c.setParams(p)));
    }

    /**
     * Sets the MTU of direction {@code d} at virtual time {@code atNanos}, keeping its other parameters as they are
     * then. Packets larger than a lowered MTU are dropped and answered with ICMP (see {@link Channel}).
     */
    public void scheduleMtu(Direction d, long atNanos, int mtu) {
        sim.scheduleAt(
                atNanos, () -> channels(d).forEach(c -> c.setParams(c.params().withMtu(mtu))));
    }

    /** Both directions' counters added. */
    public ChannelStats stats() {
        return forward.stats().plus(reverse.stats());
    }

    @Override
    public String toString() {
        return forward.from().name() + "<->" + forward.to().name();
    }
}
