package io.sansnet.trace.tcp;

/**
 * Memory bounds of a {@link TcpStreamReassembler} fed an untrusted trace.
 *
 * @param maxConnections connections tracked at once (default {@value #DEFAULT_MAX_CONNECTIONS}); later ones are
 *     counted, not tracked
 * @param maxHeldBytesPerDirection out-of-order bytes held while waiting for a hole to fill (default 64 MiB)
 * @param maxStreamBytesPerDirection delivered bytes kept for extraction (default 1 GiB); further bytes are counted
 * @param maxAnomaliesPerConnection anomalies listed per connection (default {@value #DEFAULT_MAX_ANOMALIES}); further
 *     ones are counted only
 */
public record ReassemblyLimits(
        int maxConnections,
        long maxHeldBytesPerDirection,
        long maxStreamBytesPerDirection,
        int maxAnomaliesPerConnection) {
    public static final int DEFAULT_MAX_CONNECTIONS = 65_536;
    public static final long DEFAULT_MAX_HELD_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_STREAM_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_ANOMALIES = 10_000;
    public static final ReassemblyLimits DEFAULT = new ReassemblyLimits(
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HELD_BYTES, DEFAULT_MAX_STREAM_BYTES, DEFAULT_MAX_ANOMALIES);

    public ReassemblyLimits {
        if (maxConnections < 1 || maxHeldBytesPerDirection < 0 || maxAnomaliesPerConnection < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxStreamBytesPerDirection < 0 || maxStreamBytesPerDirection > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxStreamBytesPerDirection must fit in an array");
        }
    }
}
