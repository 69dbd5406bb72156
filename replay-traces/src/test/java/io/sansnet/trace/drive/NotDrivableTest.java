package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.trace.pcap.CapturedPacket;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A capture that began after the handshake cannot be replayed: its ISNs and options are unknown. */
class NotDrivableTest {

    @ParameterizedTest
    @EnumSource(DriveMode.class)
    void captureWithoutTheSynIsRefused(DriveMode mode) {
        List<CapturedPacket> full = Corpus.read("http-tun.pcapng");
        List<CapturedPacket> late = full.subList(3, full.size());

        List<DriveResult> r = TraceDriver.drive(late, mode, OptionalInt.empty(), DriveConfig.DEFAULT, Optional.empty());

        assertThat(r).singleElement().isInstanceOf(DriveResult.NotDrivable.class);
        assertThat(((DriveResult.NotDrivable) r.get(0)).reason()).contains("SYN");
    }

    @ParameterizedTest
    @EnumSource(DriveMode.class)
    void otherConnectionNumbersAreNotDriven(DriveMode mode) {
        List<CapturedPacket> full = Corpus.read("http-tun.pcapng");

        assertThat(TraceDriver.drive(full, mode, OptionalInt.of(2), DriveConfig.DEFAULT, Optional.empty()))
                .isEmpty();
    }
}
