package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.tcp.Endpoint;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance 2 (second half), without expected streams: a bad TCP checksum that neither checksum offload nor a later
 * retransmission explains shows the capture was altered, and diverges at its packet; the two explained kinds still
 * replay (see {@link DrivePlan}).
 */
class BadChecksumTraceTest {

    /** Every corpus trace, both modes, and whether the trace's data flows from the client (socat) or the server. */
    static Stream<Arguments> cases() {
        return Corpus.TRACES.stream()
                .flatMap(t -> Stream.of(DriveMode.SERVER, DriveMode.CLIENT)
                        .map(m -> Arguments.of(t, t.startsWith("socat"), m)));
    }

    @ParameterizedTest(name = "{0} --drive {2}")
    @MethodSource("cases")
    void payloadByteEditedWithoutFixingTheChecksumDivergesAtItsPacket(
            String trace, boolean clientSends, DriveMode mode) {
        List<CapturedPacket> original = Corpus.read(trace);
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        Endpoint sender = clientSends ? c.client() : c.server();
        long frame = Tamper.nthDataFrame(original, sender, 20);
        List<CapturedPacket> edited = Tamper.flipPayloadByteOnly(original, frame, 7);

        List<DriveResult> results =
                TraceDriver.drive(edited, mode, OptionalInt.of(1), DriveConfig.DEFAULT, Optional.empty());

        assertThat(results).singleElement().isInstanceOf(DriveResult.Diverged.class);
        Divergence d = ((DriveResult.Diverged) results.get(0)).divergence();
        assertThat(d.frameNumber()).as(d.describe()).isEqualTo(frame);
        assertThat(d.kind()).as(d.describe()).isEqualTo(Divergence.Kind.CORRUPT_CAPTURE);
        String role = (mode == DriveMode.SERVER) == clientSends ? "replayed " : "replaced ";
        assertThat(d.describe())
                .startsWith("packet " + frame + " ")
                .contains("corrupt capture: the " + role)
                .contains("fails its TCP checksum")
                .doesNotContain("\n");
    }

    @ParameterizedTest(name = "{0} --drive {2}")
    @MethodSource("cases")
    void segmentCorruptedOnTheNetworkAndRetransmittedStillMatches(String trace, boolean clientSends, DriveMode mode) {
        List<CapturedPacket> original = Corpus.read(trace);
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        Endpoint sender = clientSends ? c.client() : c.server();
        long frame = Tamper.nthDataFrame(original, sender, 20);
        List<CapturedPacket> corrupted = Tamper.corruptedThenRetransmitted(original, frame, 7);
        assertThat(corrupted).hasSize(original.size() + 1);

        TraceConnection cc = TcpStreamReassembler.of(corrupted).connections().get(0);
        DrivePlan.Planned planned = DrivePlan.of(corrupted, cc, mode, Optional.empty());
        assertThat(planned).isInstanceOf(DrivePlan.Planned.Ready.class);
        DrivePlan plan = ((DrivePlan.Planned.Ready) planned).plan();
        // the reassembler kept the corrupt first copy; the plan has the bytes the receiver got
        byte[] clientStream = mode == DriveMode.SERVER ? plan.peerStream() : plan.replacedStream();
        byte[] serverStream = mode == DriveMode.SERVER ? plan.replacedStream() : plan.peerStream();
        assertThat(clientSends ? cc.clientData() : cc.serverData())
                .isNotEqualTo(clientSends ? c.clientData() : c.serverData());
        assertThat(clientStream).isEqualTo(c.clientData());
        assertThat(serverStream).isEqualTo(c.serverData());
        boolean peerSends = (mode == DriveMode.SERVER) == clientSends;
        assertThat(plan.peerPackets().stream().filter(PeerPacket::corrupted).map(PeerPacket::frameNumber))
                .containsExactlyElementsOf(peerSends ? List.of(frame) : List.of());

        DriveResult r = TraceDriver.run(plan, DriveConfig.DEFAULT);

        assertThat(r).as(r.toString()).isInstanceOf(DriveResult.Matched.class);
        DriveResult.DriveStats s = ((DriveResult.Matched) r).stats();
        // sansnet dropped the corrupt copy, as the captured receiver did (had it taken it, it would have delivered
        // the inverted byte: a stream mismatch)
        assertThat(s.corruptFed()).isEqualTo(peerSends ? 1 : 0);
        assertThat(s.segmentsDropped()).isEqualTo(s.corruptFed());
        assertThat(s.bytesDelivered()).isEqualTo(plan.peerStream().length);
    }

    @ParameterizedTest(name = "{0} --drive {2}")
    @MethodSource("cases")
    void everyChecksumOfOneEndpointBadIsOffload(String trace, boolean clientSends, DriveMode mode) {
        List<CapturedPacket> original = Corpus.read(trace);
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        for (Endpoint e : List.of(c.client(), c.server())) {
            List<CapturedPacket> offloaded = Tamper.zeroChecksums(original, e);
            TraceConnection oc =
                    TcpStreamReassembler.of(offloaded).connections().get(0);
            assertThat(oc.anomalies())
                    .as("the zeroed checksums fail")
                    .anyMatch(a -> a instanceof io.sansnet.trace.tcp.StreamAnomaly.BadChecksum);

            List<DriveResult> r =
                    TraceDriver.drive(offloaded, mode, OptionalInt.of(1), DriveConfig.DEFAULT, Optional.empty());

            assertThat(r).as(e + " " + r).singleElement().isInstanceOf(DriveResult.Matched.class);
            DriveResult.DriveStats s = ((DriveResult.Matched) r.get(0)).stats();
            assertThat(s.corruptFed()).isZero();
            assertThat(s.segmentsDropped()).isZero();
            assertThat(s.bytesDelivered())
                    .isEqualTo((mode == DriveMode.SERVER ? c.clientData() : c.serverData()).length);
        }
    }

    @ParameterizedTest(name = "{0} --drive {2}")
    @MethodSource("cases")
    void editedPayloadInAnOffloadedEndpointIsNotDetectable(String trace, boolean clientSends, DriveMode mode) {
        // the limit of the rule: with offloaded checksums a bad checksum says nothing, the edit is a conversation of
        // its own (only --expect shows it)
        List<CapturedPacket> original = Corpus.read(trace);
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        Endpoint sender = clientSends ? c.client() : c.server();
        List<CapturedPacket> offloaded = Tamper.zeroChecksums(original, sender);
        long frame = Tamper.nthDataFrame(original, sender, 20);
        List<CapturedPacket> edited = Tamper.flipPayloadByteOnly(offloaded, frame, 7);

        List<DriveResult> plain =
                TraceDriver.drive(edited, mode, OptionalInt.of(1), DriveConfig.DEFAULT, Optional.empty());
        List<DriveResult> expected = TraceDriver.drive(
                edited,
                mode,
                OptionalInt.of(1),
                DriveConfig.DEFAULT,
                Optional.of(new ExpectedStreams(c.clientData(), c.serverData())));

        assertThat(plain).singleElement().isInstanceOf(DriveResult.Matched.class);
        assertThat(expected).singleElement().isInstanceOf(DriveResult.Diverged.class);
        assertThat(((DriveResult.Diverged) expected.get(0)).divergence().frameNumber())
                .isEqualTo(frame);
    }
}
