package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.CapturedPacket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The committed trace corpus ({@code src/test/resources/traces}). */
final class Corpus {
    static final List<String> TRACES =
            List.of("socat-clean.pcap", "socat-impaired.pcap", "http-any.pcap", "http-tun.pcapng");

    private Corpus() {}

    static List<CapturedPacket> read(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/traces/" + name)) {
            assertThat(in).as("trace " + name).isNotNull();
            CaptureReader.Capture c = CaptureReader.readAll(in.readAllBytes());
            assertThat(c.error()).as("reading " + name).isEmpty();
            return c.packets();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
