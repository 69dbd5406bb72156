package io.sansnet.trace.pcap;

/**
 * Bounds on what a {@link CaptureReader} accepts from an untrusted file. A length over a limit ends the read with
 * {@link TraceError.LimitExceeded} instead of an allocation. Memory is also bounded by the bytes actually present:
 * a record that claims more than the file holds is read in chunks and reported as truncated.
 *
 * @param maxRecordBytes the largest pcapng block, or classic pcap record data, accepted (default {@value
 *     #DEFAULT_MAX_RECORD_BYTES}: 256 MiB, far above any real packet: a TSO/GRO segment is at most 64 KiB plus
 *     headers, a BIG TCP one 512 KiB)
 * @param maxInterfaces the most pcapng interface description blocks accepted in one file (default {@value
 *     #DEFAULT_MAX_INTERFACES}), each kept in memory while reading
 */
public record ReaderLimits(int maxRecordBytes, int maxInterfaces) {
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;
    public static final int DEFAULT_MAX_INTERFACES = 65_536;
    /** The defaults above. */
    public static final ReaderLimits DEFAULT = new ReaderLimits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_INTERFACES);

    public ReaderLimits {
        // Leaves room for the 8-byte header and 4-byte trailer of a pcapng block within an int.
        if (maxRecordBytes < 64 || maxRecordBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("maxRecordBytes out of range: " + maxRecordBytes);
        }
        if (maxInterfaces < 1) {
            throw new IllegalArgumentException("maxInterfaces must be positive: " + maxInterfaces);
        }
    }

    public ReaderLimits withMaxRecordBytes(int bytes) {
        return new ReaderLimits(bytes, maxInterfaces);
    }

    public ReaderLimits withMaxInterfaces(int count) {
        return new ReaderLimits(maxRecordBytes, count);
    }
}
