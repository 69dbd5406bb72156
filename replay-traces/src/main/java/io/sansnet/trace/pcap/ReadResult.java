package io.sansnet.trace.pcap;

/** One step of a {@link CaptureReader}: a packet, the clean end of the file, or the error that ends the read. */
public sealed interface ReadResult {
    /** The next packet. */
    record Packet(CapturedPacket packet) implements ReadResult {}

    /** The file ended cleanly at a record boundary; {@code offset} is its length. */
    record End(long offset) implements ReadResult {}

    /** The file could not be read past {@code error.offset()}; every earlier packet was delivered. */
    record Failure(TraceError error) implements ReadResult {}
}
