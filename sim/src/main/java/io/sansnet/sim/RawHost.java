package io.sansnet.sim;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A node without a stack: it sends whatever bytes it is given (any source address, malformed headers, the attackers
 * of the TCP issue) and hands every packet it receives to its handler, or keeps it for {@link #received()}.
 */
public final class RawHost extends Node {

    private Consumer<byte[]> handler;
    private final List<byte[]> received = new ArrayList<>();

    RawHost(Simulation sim, String name, List<IpAddress> addresses) {
        super(sim, name, addresses);
    }

    /** Sends {@code packet} now, exactly as given (a copy is taken). */
    public void send(byte[] packet) {
        emit(packet.clone());
    }

    /**
     * An IPv4 or IPv6 packet carrying {@code segment} (checksum computed) from {@code src} to {@code dst} with TTL or
     * hop limit {@code hopLimit}, for {@link #send}: the source may be any address (a spoofed one), the two must be of
     * one IP version; {@code ipv4Identification} fills IPv4's identification field.
     */
    public static byte[] tcpPacket(
            IpAddress src, IpAddress dst, TcpSegment segment, int hopLimit, int ipv4Identification) {
        Bytes tcp = Bytes.copyOf(segment.encode(new PseudoHeader(src, dst)));
        if (src instanceof Ipv4Address s4 && dst instanceof Ipv4Address d4) {
            Ipv4Header h = Ipv4Header.builder(s4, d4, IpProtocol.TCP)
                    .payloadLength(tcp.length())
                    .identification(ipv4Identification & 0xFFFF)
                    .ttl(hopLimit)
                    .build();
            return Ipv4Packet.of(h, tcp).encode();
        }
        if (src instanceof Ipv6Address s6 && dst instanceof Ipv6Address d6) {
            return Ipv6Packet.of(Ipv6Header.of(s6, d6, IpProtocol.TCP, hopLimit, tcp.length()), IpProtocol.TCP, tcp)
                    .encode();
        }
        throw new IllegalArgumentException("addresses of two IP versions: " + src + ", " + dst);
    }

    /** Packets received from now on go to {@code handler} (on the simulation thread) instead of {@link #received()}. */
    public void onReceive(Consumer<byte[]> handler) {
        this.handler = handler;
    }

    /** Packets received while no handler was set, oldest first. */
    public List<byte[]> received() {
        return received;
    }

    @Override
    void arrive(byte[] packet) {
        sim.record(this, EventKind.RECEIVE, packet);
        sim.observe(this, PacketObserver.Direction.IN, packet);
        if (handler != null) {
            handler.accept(packet);
        } else {
            received.add(packet);
        }
    }
}
