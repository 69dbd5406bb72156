package io.sansnet.cli;

import io.sansnet.driver.PacketRecorder;
import io.sansnet.trace.pcap.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --pcap FILE}: a classic pcap file (LINKTYPE_RAW) fed by a driver's loop. */
final class Recorders {
    private Recorders() {}

    static PacketRecorder pcap(Path file) {
        OutputStream out;
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentException("cannot write --pcap " + file + ": " + e.getMessage(), e);
        }
        PcapWriter w;
        try {
            w = PcapWriter.open(out);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write --pcap " + file + ": " + e.getMessage(), e);
        }
        return new PacketRecorder() {
            @Override
            public void record(long epochNanos, byte[] packet) throws IOException {
                w.write(epochNanos, packet);
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
