package io.sansnet.sim;

import io.sansnet.stack.fault.Delivery;
import io.sansnet.stack.fault.FaultModel;
import io.sansnet.stack.rand.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One direction of a {@link Link}: a serialising queue (bandwidth, bounded queue with tail drop), the MTU, a partition
 * switch and the stack's seeded {@link FaultModel} (loss, duplication, reordering, corruption, latency, jitter). Its
 * random stream is {@code fork("link:<from>-><to>")} of the simulation seed, so other components never shift it.
 *
 * <p>A packet offered at time t leaves the queue at {@code max(t, busyUntil) + size*8/bandwidth} and each copy the
 * fault model lets through arrives its delivery delay later.
 *
 * <p>A packet larger than the MTU is dropped; as a router at the sending end of the link would, the link answers it
 * (IPv4 with DF set, and IPv6) with an ICMP "fragmentation needed" carrying the next-hop MTU (RFC 1191 §4) or an ICMPv6
 * Packet Too Big (RFC 8201), which reaches the sending node at once, from 198.19.255.254 or fd00:5a::fffe. So when the
 * MTU is lowered mid-run ({@link #setParams}, {@link Disruption.MtuChange}) path MTU discovery in the sender adapts.
 *
 * <p>Every packet offered gets the next packet number of the simulation, and its fate (dropped and why, or each copy
 * delivered) goes to the simulation's {@link PacketFateObserver}s.
 */
public final class Channel {

    private final Simulation sim;
    private final Link link;
    private final Node from;
    private final Node to;
    private final String name;
    private final FaultModel faults;
    private LinkParams params;
    private boolean partitioned;

    /** When the packet being serialised finishes; later packets wait behind it. */
    private long busyUntil;
    /** Departure time and size of every packet not yet fully serialised, oldest first. */
    private final ArrayDeque<long[]> backlog = new ArrayDeque<>();

    private long backlogBytes;
    private long offered, delivered, lost, duplicated, reordered, corrupted, queueDrops, partitionDrops, mtuDrops;
    private long tooBigSent;

    Channel(Simulation sim, Link link, Node from, Node to, LinkParams params) {
        this.sim = sim;
        this.link = link;
        this.from = from;
        this.to = to;
        this.name = from.name() + "->" + to.name();
        this.params = params;
        SplitMix64 rng = sim.rng("link:" + name);
        this.faults = new FaultModel(params.faultSpec(), rng);
    }

    public String name() {
        return name;
    }

    public Node from() {
        return from;
    }

    public Node to() {
        return to;
    }

    public Link link() {
        return link;
    }

    public LinkParams params() {
        return params;
    }

    public boolean isPartitioned() {
        return partitioned;
    }

    /** Drops every packet offered from now until {@link #heal()}. Packets already in flight still arrive. */
    public void partition() {
        if (!partitioned) {
            partitioned = true;
            sim.recordAt(name, EventKind.PARTITION, new byte[0]);
        }
    }

    /** Ends a partition. */
    public void heal() {
        if (partitioned) {
            partitioned = false;
            sim.recordAt(name, EventKind.HEAL, new byte[0]);
        }
    }

    /** New parameters from the next packet on; the fault stream continues where it was. */
    public void setParams(LinkParams p) {
        this.params = p;
        faults.setSpec(p.faultSpec());
        sim.recordAt(name, EventKind.LINK_CHANGE, p.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** ICMP "fragmentation needed" / Packet Too Big messages this direction's router sent back so far. */
    public long tooBigSent() {
        return tooBigSent;
    }

    /** What this direction has done so far. */
    public ChannelStats stats() {
        return new ChannelStats(
                offered, delivered, lost, duplicated, reordered, corrupted, queueDrops, partitionDrops, mtuDrops);
    }

    void transmit(byte[] packet) {
        long now = sim.nowNanos();
        long id = sim.newPacketId();
        offered++;
        link.tap(now, this, PacketTap.Point.OFFERED, packet);
        List<PacketFateObserver> fates = sim.fateObservers();
        for (int i = 0; i < fates.size(); i++) {
            fates.get(i).offered(now, this, id, packet);
        }
        if (partitioned) {
            partitionDrops++;
            sim.recordAt(name, EventKind.PARTITION_DROP, packet);
            dropped(id, PacketFateObserver.Drop.PARTITION, packet);
            return;
        }
        if (packet.length > params.mtu()) {
            mtuDrops++;
            sim.recordAt(name, EventKind.MTU_DROP, packet);
            dropped(id, PacketFateObserver.Drop.MTU, packet);
            answerTooBig(packet);
            return;
        }
        long departure = now;
        if (params.bandwidthBitsPerSecond() > 0) {
            while (!backlog.isEmpty() && backlog.peekFirst()[0] <= now) {
                backlogBytes -= backlog.pollFirst()[1];
            }
            if (backlogBytes + packet.length > params.queueLimitBytes()) {
                queueDrops++; // tail drop
                sim.recordAt(name, EventKind.QUEUE_DROP, packet);
                dropped(id, PacketFateObserver.Drop.QUEUE, packet);
                return;
            }
            departure = Math.max(now, busyUntil) + params.serializationNanos(packet.length);
            busyUntil = departure;
            backlog.addLast(new long[] {departure, packet.length});
            backlogBytes += packet.length;
        }
        List<Delivery> copies = faults.apply(packet);
        if (copies.isEmpty()) {
            lost++;
            sim.recordAt(name, EventKind.LOSS, packet);
            dropped(id, PacketFateObserver.Drop.LOSS, packet);
            return;
        }
        for (Delivery d : copies) {
            if (d.corrupted()) {
                corrupted++;
                sim.recordAt(name, EventKind.CORRUPT, d.packet());
            }
            if (d.reordered()) {
                reordered++;
                sim.recordAt(name, EventKind.REORDER, d.packet());
            }
            if (d.duplicate()) {
                duplicated++;
                sim.recordAt(name, EventKind.DUPLICATE, d.packet());
            }
            byte[] bytes = d.packet();
            boolean bad = d.corrupted();
            long at = departure + d.delayNanos();
            sim.scheduleAt(at, () -> {
                delivered++;
                link.tap(sim.nowNanos(), this, PacketTap.Point.DELIVERED, bytes);
                List<PacketFateObserver> fs = sim.fateObservers();
                for (int i = 0; i < fs.size(); i++) {
                    fs.get(i).delivered(sim.nowNanos(), this, id, bad, bytes);
                }
                to.arrive(bytes);
            });
        }
    }

    private void dropped(long id, PacketFateObserver.Drop why, byte[] packet) {
        List<PacketFateObserver> fates = sim.fateObservers();
        for (int i = 0; i < fates.size(); i++) {
            fates.get(i).dropped(sim.nowNanos(), this, id, why, packet);
        }
    }

    /**
     * The router at this end answers a packet too big for the link (RFC 1191 §4, RFC 8201 §4): the ICMP error reaches
     * the sending node as a separate event at the same virtual time, when that node owns the packet's source address.
     */
    private void answerTooBig(byte[] packet) {
        byte[] icmp = PathMtuRouter.packetTooBig(packet, params.mtu());
        if (icmp == null || !from.owns(Node.destinationOf(icmp))) {
            return;
        }
        tooBigSent++;
        sim.recordAt(name, EventKind.ICMP_TOO_BIG, icmp);
        sim.schedule(0, () -> from.arrive(icmp));
    }

    @Override
    public String toString() {
        return name;
    }
}
