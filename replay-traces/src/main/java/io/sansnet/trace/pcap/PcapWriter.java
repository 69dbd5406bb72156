package io.sansnet.trace.pcap;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Writes a classic libpcap file (draft-ietf-opsawg-pcap), little-endian, as tcpdump does on x86: the 24-byte file
 * header at {@link #open}, then one record per {@link #write}.
 *
 * <p>Pure: it only writes to the {@link OutputStream} it is given (a {@code ByteArrayOutputStream} in the simulator,
 * a buffered file stream in the drivers). It does not buffer; wrap file streams in a {@code BufferedOutputStream}.
 * {@link #close()} closes the stream.
 *
 * <p>Threading: every method is {@code synchronized}, so records are never interleaved. Drivers call {@code write}
 * from their loop thread only; a shutdown hook may {@link #flush()} or {@link #close()} from another thread.
 */
public final class PcapWriter implements Closeable, Flushable {
    /** libpcap's MAXIMUM_SNAPLEN: room for TSO/GRO and BIG TCP segments. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;

    /** Seconds are an unsigned 32-bit field: the format ends in 2106. */
    static final long MAX_SECONDS = 0xFFFF_FFFFL;

    /**
     * @param precision timestamp unit, chosen by the magic number
     * @param linkType the link-layer header type of every packet ({@link LinkType}; default {@link LinkType#RAW})
     * @param snapLength packets longer than this are truncated (their original length is kept)
     */
    public record Options(TimestampPrecision precision, int linkType, int snapLength) {
        public static final Options DEFAULT =
                new Options(TimestampPrecision.MICROSECONDS, LinkType.RAW, DEFAULT_SNAP_LENGTH);

        public Options {
            Objects.requireNonNull(precision, "precision");
            if (linkType < 0 || linkType > 0xFFFF) {
                throw new IllegalArgumentException("linkType must fit in 16 bits: " + linkType);
            }
            if (snapLength <= 0) {
                throw new IllegalArgumentException("snapLength must be positive: " + snapLength);
            }
        }

        public Options withPrecision(TimestampPrecision p) {
            return new Options(p, linkType, snapLength);
        }

        public Options withLinkType(int type) {
            return new Options(precision, type, snapLength);
        }

        public Options withSnapLength(int bytes) {
            return new Options(precision, linkType, bytes);
        }
    }

    private final OutputStream out;
    private final Options options;
    private final ByteBuffer recordHeader =
            ByteBuffer.allocate(ClassicPcapDecoder.RECORD_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long packetsWritten;
    private boolean closed;

    private PcapWriter(OutputStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    /** Writes the file header and returns the writer. */
    public static PcapWriter open(OutputStream out, Options options) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        PcapWriter w = new PcapWriter(out, options);
        ByteBuffer h = ByteBuffer.allocate(ClassicPcapDecoder.FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(
                options.precision() == TimestampPrecision.NANOSECONDS
                        ? ClassicPcapDecoder.MAGIC_NANOS
                        : ClassicPcapDecoder.MAGIC_MICROS);
        h.putShort((short) 2).putShort((short) 4); // version 2.4
        h.putInt(0); // thiszone: timestamps are UTC
        h.putInt(0); // sigfigs
        h.putInt(options.snapLength());
        h.putInt(options.linkType());
        out.write(h.array());
        return w;
    }

    /** A microsecond, raw-IP writer. */
    public static PcapWriter open(OutputStream out) throws IOException {
        return open(out, Options.DEFAULT);
    }

    public Options options() {
        return options;
    }

    /** Records {@code packet} whole (up to the snap length) at {@code timestampNanos} since 1970. */
    public synchronized void write(long timestampNanos, byte[] packet) throws IOException {
        write(timestampNanos, packet, 0, packet.length, packet.length);
    }

    /**
     * Records {@code packet[offset, offset+length)}, truncated to the snap length, as a packet that had {@code
     * originalLength} bytes on the wire.
     *
     * @throws IllegalArgumentException if the timestamp is negative or past 2106, or originalLength &lt; length
     */
    public synchronized void write(long timestampNanos, byte[] packet, int offset, int length, long originalLength)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        Objects.checkFromIndexSize(offset, length, packet.length);
        if (timestampNanos < 0 || timestampNanos / 1_000_000_000L > MAX_SECONDS) {
            throw new IllegalArgumentException("timestamp out of the pcap range 1970..2106: " + timestampNanos);
        }
        if (originalLength < length || originalLength > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("originalLength " + originalLength + " for " + length + " bytes");
        }
        int captured = Math.min(length, options.snapLength());
        long seconds = timestampNanos / 1_000_000_000L;
        long fraction = timestampNanos % 1_000_000_000L;
        if (options.precision() == TimestampPrecision.MICROSECONDS) {
            fraction /= 1_000L;
        }
        recordHeader.clear();
        recordHeader
                .putInt((int) seconds)
                .putInt((int) fraction)
                .putInt(captured)
                .putInt((int) originalLength);
        out.write(recordHeader.array());
        out.write(packet, offset, captured);
        packetsWritten++;
    }

    public synchronized long packetsWritten() {
        return packetsWritten;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the stream; later writes throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            try (out) {
                out.flush();
            }
        }
    }
}
