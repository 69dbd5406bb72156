package io.sansnet.trace.pcap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a classic pcap or pcapng capture, recognised by its first bytes, one packet at a time.
 *
 * <p>{@link #next()} returns each packet, then exactly one terminal result: {@link ReadResult.End} when the file ends
 * at a record boundary, or {@link ReadResult.Failure} naming the byte offset of the first header, record or block
 * that is truncated, corrupt or over a {@link ReaderLimits} limit. Every packet before that offset has been
 * returned; later calls repeat the terminal result. No input makes it throw an unchecked exception, and it never
 * allocates more than the configured limits or the bytes actually present.
 *
 * <p>The reader does not close the stream. Not thread-safe: one thread reads.
 */
public final class CaptureReader {
    private final ByteSource src;
    private final ReaderLimits limits;
    private FormatDecoder decoder;
    private ReadResult terminal;

    private CaptureReader(InputStream in, ReaderLimits limits) {
        this.src = new ByteSource(in);
        this.limits = limits;
    }

    /** A reader over a stream (wrap files in a {@code BufferedInputStream}). */
    public static CaptureReader open(InputStream in, ReaderLimits limits) {
        return new CaptureReader(in, limits);
    }

    public static CaptureReader open(InputStream in) {
        return open(in, ReaderLimits.DEFAULT);
    }

    public static CaptureReader open(ReadableByteChannel channel, ReaderLimits limits) {
        return open(Channels.newInputStream(channel), limits);
    }

    public static CaptureReader of(byte[] file) {
        return open(new ByteArrayInputStream(file), ReaderLimits.DEFAULT);
    }

    public static CaptureReader of(byte[] file, ReaderLimits limits) {
        return open(new ByteArrayInputStream(file), limits);
    }

    /** The next packet, or the terminal {@link ReadResult.End} or {@link ReadResult.Failure} (repeated). */
    public ReadResult next() {
        if (terminal != null) {
            return terminal;
        }
        ReadResult r;
        try {
            r = decoder == null ? detect() : decoder.next();
        } catch (IOException e) {
            r = new ReadResult.Failure(new TraceError.IoFailure(src.position(), String.valueOf(e.getMessage())));
        }
        if (!(r instanceof ReadResult.Packet)) {
            terminal = r;
        }
        return r;
    }

    /** The container format, once the first {@link #next()} has recognised it. */
    public Optional<CaptureFormat> format() {
        return decoder == null ? Optional.empty() : Optional.of(decoder.format());
    }

    /** The interfaces described so far (one for classic pcap; pcapng adds them as their blocks are read). */
    public List<InterfaceInfo> interfaces() {
        return decoder == null ? List.of() : List.copyOf(decoder.interfaces());
    }

    private ReadResult detect() throws IOException {
        byte[] magicBytes = src.read(4);
        if (magicBytes.length < 4) {
            return new ReadResult.Failure(new TraceError.Truncated(
                    0, "capture file header", ClassicPcapDecoder.FILE_HEADER_BYTES, magicBytes.length));
        }
        int magic = ByteBuffer.wrap(magicBytes).getInt();
        if (magic == PcapngDecoder.SHB) {
            decoder = new PcapngDecoder(src, limits);
            return decoder.next();
        }
        ClassicPcapDecoder pcap = ClassicPcapDecoder.forMagic(src, limits, magic);
        if (pcap == null) {
            return new ReadResult.Failure(new TraceError.UnknownFormat(0, Integer.toUnsignedLong(magic)));
        }
        TraceError headerError = pcap.readFileHeader();
        decoder = pcap;
        return headerError != null ? new ReadResult.Failure(headerError) : pcap.next();
    }

    /**
     * Reads a whole capture into memory: every packet up to the end or the first error. Memory grows with the file;
     * stream large files with {@link #next()}.
     */
    public static Capture readAll(InputStream in, ReaderLimits limits) {
        CaptureReader reader = open(in, limits);
        List<CapturedPacket> packets = new ArrayList<>();
        while (true) {
            ReadResult r = reader.next();
            if (r instanceof ReadResult.Packet p) {
                packets.add(p.packet());
            } else {
                TraceError error = r instanceof ReadResult.Failure f ? f.error() : null;
                return new Capture(reader.format(), reader.interfaces(), packets, Optional.ofNullable(error));
            }
        }
    }

    public static Capture readAll(byte[] file) {
        return readAll(new ByteArrayInputStream(file), ReaderLimits.DEFAULT);
    }

    public static Capture readAll(byte[] file, ReaderLimits limits) {
        return readAll(new ByteArrayInputStream(file), limits);
    }

    /**
     * A whole capture.
     *
     * @param format empty when the first bytes were not recognised
     * @param interfaces every interface described
     * @param packets every packet before the error, or all of them
     * @param error why reading stopped early, or empty when the file ended cleanly
     */
    public record Capture(
            Optional<CaptureFormat> format,
            List<InterfaceInfo> interfaces,
            List<CapturedPacket> packets,
            Optional<TraceError> error) {
        public Capture {
            interfaces = List.copyOf(interfaces);
            packets = List.copyOf(packets);
        }
    }
}
