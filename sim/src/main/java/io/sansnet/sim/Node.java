package io.sansnet.sim;

import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Something attached to the simulated network: a {@link SimHost} running the stack, or a {@link RawHost} that sends
 * and receives raw IP packets. A node sends a packet over the link towards the node that owns its destination address,
 * or over its first link when none does (a default route). Nodes do not forward.
 */
public abstract sealed class Node permits SimHost, RawHost {

    final Simulation sim;
    private final String name;
    private final List<IpAddress> addresses;
    final List<Channel> outgoing = new ArrayList<>();

    Node(Simulation sim, String name, List<IpAddress> addresses) {
        this.sim = sim;
        this.name = name;
        this.addresses = List.copyOf(addresses);
    }

    /** The node's stable name (also its capture interface name and its name in the event log). */
    public String name() {
        return name;
    }

    /** The node's addresses, as configured. */
    public List<IpAddress> addresses() {
        return addresses;
    }

    /** The node's first address of IP {@code version} (4 or 6), or null. */
    public IpAddress address(int version) {
        for (IpAddress a : addresses) {
            if (a.version() == version) {
                return a;
            }
        }
        return null;
    }

    /** The simulation this node lives in. */
    public Simulation simulation() {
        return sim;
    }

    /** True when {@code a} is one of this node's addresses. */
    public boolean owns(IpAddress a) {
        return addresses.contains(a);
    }

    /** The smallest MTU of the links leaving this node (the default MTU when it has none). */
    int linkMtu() {
        int mtu = Integer.MAX_VALUE;
        for (Channel c : outgoing) {
            mtu = Math.min(mtu, c.params().mtu());
        }
        return mtu == Integer.MAX_VALUE ? LinkParams.DEFAULT_MTU : mtu;
    }

    /** Puts one IP packet from this node on the network now: logged, captured, routed, then offered to a link. */
    void emit(byte[] packet) {
        sim.record(this, EventKind.SEND, packet);
        sim.observe(this, PacketObserver.Direction.OUT, packet);
        Channel c = route(packet);
        if (c == null) {
            sim.record(this, EventKind.NO_ROUTE, packet);
            return;
        }
        c.transmit(packet);
    }

    /** A packet arrives from a link. */
    abstract void arrive(byte[] packet);

    /** The channel towards the destination of {@code packet}, or null. */
    Channel route(byte[] packet) {
        IpAddress dst = destinationOf(packet);
        if (dst != null) {
            for (Channel c : outgoing) {
                if (c.to().owns(dst)) {
                    return c;
                }
            }
        }
        return outgoing.isEmpty() ? null : outgoing.get(0);
    }

    /** The destination address in an IPv4 or IPv6 header, or null when the bytes are too short to say. */
    static IpAddress destinationOf(byte[] p) {
        if (p.length >= 20 && (p[0] & 0xF0) == 0x40) {
            return Ipv4Address.read(p, 16);
        }
        if (p.length >= 40 && (p[0] & 0xF0) == 0x60) {
            return new Ipv6Address(readLong(p, 24), readLong(p, 32));
        }
        return null;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFFL);
        }
        return v;
    }

    @Override
    public String toString() {
        return name;
    }
}
