package io.sansnet.driver;

import java.io.IOException;

/**
 * Where a driver records the packets it sees (a pcap file, for example). Called on the driver's loop thread only.
 */
public interface PacketRecorder extends AutoCloseable {

    /** Records one raw IP packet seen at {@code epochNanos} (nanoseconds since 1970, UTC). */
    void record(long epochNanos, byte[] packet) throws IOException;

    @Override
    void close() throws IOException;
}
