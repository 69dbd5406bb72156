package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Acceptance 3: duplicating or reordering the replayed peer's packets within the TCP window (a few packets apart,
 * seeded) still makes sansnet deliver the captured stream, and sansnet sends no invalid segment: the replay matches.
 * The handshake packet and RSTs keep their places.
 */
class PerturbedTracePropertyTest {

    /** How far (in packets) a packet moves or a duplicate lands: a few segments, well within the window. */
    private static final int MAX_DISTANCE = 4;

    private static final List<CapturedPacket> TRACE = Corpus.read("http-tun.pcapng");
    private static final TraceConnection CONNECTION =
            TcpStreamReassembler.of(TRACE).connections().get(0);

    @Property(tries = 40)
    void duplicatedAndReorderedPeerPacketsDeliverTheSameStream(Gen g) {
        DriveMode mode = g.pick(List.of(DriveMode.SERVER, DriveMode.CLIENT));
        DrivePlan plan = ((DrivePlan.Planned.Ready) DrivePlan.of(TRACE, CONNECTION, mode, Optional.empty())).plan();
        List<PeerPacket> packets = new ArrayList<>(plan.peerPackets());
        int operations = g.intBetween(1, 25);
        List<String> done = new ArrayList<>();
        for (int k = 0; k < operations && packets.size() > 2; k++) {
            int i = g.intBetween(1, packets.size() - 1);
            int j = Math.min(packets.size() - 1, i + g.intBetween(1, MAX_DISTANCE));
            if (fixed(packets.get(i))) {
                continue;
            }
            if (g.bool()) {
                packets.add(j, packets.get(i));
                done.add("duplicate " + packets.get(i).frameNumber() + " after " + (j - i) + " packets");
            } else if (i != j && !fixed(packets.get(j))) {
                PeerPacket a = packets.get(i);
                packets.set(i, packets.get(j));
                packets.set(j, a);
                done.add("swap " + a.frameNumber() + " and " + packets.get(i).frameNumber());
            }
        }
        g.note("mode", mode);
        g.note("perturbations", done);
        List<PeerPacket> timed = new ArrayList<>();
        long t = 0;
        for (PeerPacket p : packets) {
            t = Math.max(t, p.timeNanos()); // a packet moved earlier keeps its time; one moved later waits its turn
            timed.add(p.at(t));
        }

        DriveResult r = TraceDriver.run(plan.withPeerPackets(timed), DriveConfig.DEFAULT);

        assertThat(r).as(String.valueOf(done)).isInstanceOf(DriveResult.Matched.class);
        assertThat(((DriveResult.Matched) r).stats().bytesDelivered()).isEqualTo(plan.peerStream().length);
        assertThat(((DriveResult.Matched) r).stats().bytesSent()).isEqualTo(plan.replacedStream().length);
    }

    /** The first packet (SYN or SYN-ACK) and RSTs stay where they are. */
    private static boolean fixed(PeerPacket p) {
        return p.segment().header().flags().syn()
                || p.segment().header().flags().rst();
    }
}
