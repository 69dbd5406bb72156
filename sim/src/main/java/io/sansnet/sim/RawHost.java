package io.sansnet.sim;

import io.sansnet.stack.wire.IpAddress;
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
