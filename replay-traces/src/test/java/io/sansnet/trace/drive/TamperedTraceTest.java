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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance 2 (second half): a corpus trace with one payload byte changed after capture (TCP checksum fixed, so no
 * bad checksum gives it away) diverges at exactly that packet, whichever endpoint sansnet replaces, when the replay
 * is given the streams the connection really carried (those of the untouched capture). Without them the edited
 * capture is a consistent conversation of its own, which no replay can tell from a real one. An edit that leaves the
 * checksum failing diverges without them: {@link BadChecksumTraceTest}.
 */
class TamperedTraceTest {

    static Stream<Arguments> cases() {
        // the data sender of each trace: the socat client, the HTTP server
        return Stream.of(
                        Arguments.of("socat-clean.pcap", true),
                        Arguments.of("socat-impaired.pcap", true),
                        Arguments.of("http-any.pcap", false),
                        Arguments.of("http-tun.pcapng", false))
                .flatMap(a -> Stream.of(DriveMode.SERVER, DriveMode.CLIENT)
                        .map(m -> Arguments.of(a.get()[0], a.get()[1], m)));
    }

    @ParameterizedTest(name = "{0} --drive {2}")
    @MethodSource("cases")
    void flippedPayloadByteDivergesAtItsPacket(String trace, boolean clientSends, DriveMode mode) {
        List<CapturedPacket> original = Corpus.read(trace);
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        ExpectedStreams truth = new ExpectedStreams(c.clientData(), c.serverData());
        Endpoint sender = clientSends ? c.client() : c.server();
        long frame = Tamper.nthDataFrame(original, sender, 20);
        List<CapturedPacket> tampered = Tamper.flipPayloadByte(original, frame, 7);

        List<DriveResult> results =
                TraceDriver.drive(tampered, mode, OptionalInt.of(1), DriveConfig.DEFAULT, Optional.of(truth));

        assertThat(results).singleElement().isInstanceOf(DriveResult.Diverged.class);
        Divergence d = ((DriveResult.Diverged) results.get(0)).divergence();
        assertThat(d.frameNumber()).as(d.describe()).isEqualTo(frame);
        boolean sansnetReceives = (mode == DriveMode.SERVER) == clientSends;
        assertThat(d.kind())
                .as(d.describe())
                .isEqualTo(sansnetReceives ? Divergence.Kind.STREAM_MISMATCH : Divergence.Kind.TRACE_MISMATCH);
        assertThat(d.describe()).startsWith("packet " + frame + " ");
    }

    @Test
    void untouchedTraceMatchesTheGivenStreams() {
        List<CapturedPacket> original = Corpus.read("http-tun.pcapng");
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        ExpectedStreams truth = new ExpectedStreams(c.clientData(), c.serverData());

        for (DriveMode mode : DriveMode.values()) {
            List<DriveResult> r =
                    TraceDriver.drive(original, mode, OptionalInt.empty(), DriveConfig.DEFAULT, Optional.of(truth));
            assertThat(r).singleElement().isInstanceOf(DriveResult.Matched.class);
        }
    }

    @Test
    void streamExpectedLongerThanDeliveredIsIncomplete() {
        List<CapturedPacket> original = Corpus.read("http-tun.pcapng");
        TraceConnection c = TcpStreamReassembler.of(original).connections().get(0);
        byte[] longer = java.util.Arrays.copyOf(c.serverData(), c.serverData().length + 5);
        ExpectedStreams truth = new ExpectedStreams(c.clientData(), longer);

        List<DriveResult> r = TraceDriver.drive(
                original, DriveMode.CLIENT, OptionalInt.empty(), DriveConfig.DEFAULT, Optional.of(truth));

        assertThat(r).singleElement().isInstanceOf(DriveResult.Diverged.class);
        Divergence d = ((DriveResult.Diverged) r.get(0)).divergence();
        assertThat(d.kind()).isEqualTo(Divergence.Kind.STREAM_INCOMPLETE);
        assertThat(d.detail()).contains(c.serverData().length + " of the " + longer.length);
    }
}
