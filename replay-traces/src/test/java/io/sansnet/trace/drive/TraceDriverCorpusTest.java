package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Acceptance 2 (first half): sansnet replaces either endpoint of every corpus trace without a divergence. */
class TraceDriverCorpusTest {

    static Stream<Arguments> tracesAndModes() {
        return Corpus.TRACES.stream()
                .flatMap(t -> Stream.of(Arguments.of(t, DriveMode.SERVER), Arguments.of(t, DriveMode.CLIENT)));
    }

    @ParameterizedTest(name = "{0} --drive {1}")
    @MethodSource("tracesAndModes")
    void everyConnectionMatches(String trace, DriveMode mode) {
        List<CapturedPacket> packets = Corpus.read(trace);
        List<TraceConnection> connections = TcpStreamReassembler.of(packets).connections();
        List<DriveResult> results =
                TraceDriver.drive(packets, mode, OptionalInt.empty(), DriveConfig.DEFAULT, Optional.empty());

        assertThat(results).hasSameSizeAs(connections).isNotEmpty();
        for (DriveResult r : results) {
            assertThat(r).as(trace + " " + mode).isInstanceOf(DriveResult.Matched.class);
            DriveResult.DriveStats s = ((DriveResult.Matched) r).stats();
            TraceConnection c = connections.get(r.connection() - 1);
            byte[] peerStream = mode == DriveMode.SERVER ? c.clientData() : c.serverData();
            byte[] ownStream = mode == DriveMode.SERVER ? c.serverData() : c.clientData();
            assertThat(s.bytesDelivered()).as("delivered " + s).isEqualTo(peerStream.length);
            assertThat(s.bytesSent()).as("sent " + s).isEqualTo(ownStream.length);
            assertThat(s.peerPacketsFed()).isPositive();
            assertThat(s.segmentsChecked()).isPositive();
            System.out.println(trace + " " + mode + " " + r);
        }
    }
}
