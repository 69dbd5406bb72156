package io.sansnet.trace.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Classic libpcap files (draft-ietf-opsawg-pcap): a 24-byte file header, then records of a 16-byte header and the
 * captured bytes. Either byte order, microsecond or nanosecond magic; also Alexey Kuznetsov's "modified" format
 * (magic {@code 0xa1b2cd34}, written by patched Linux tcpdumps of the late 1990s and read by libpcap's
 * {@code sf-pcap.c} as {@code KUZNETZOV_TCPDUMP_MAGIC}): microsecond timestamps and 24-byte record headers whose 8
 * extra bytes are the interface index (4), the link-layer protocol (2), the packet type (1, Linux {@code PACKET_*})
 * and a pad byte.
 */
final class ClassicPcapDecoder implements FormatDecoder {
    static final int FILE_HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 16;
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;
    /** The record header of the modified format: the standard 16 bytes, then ifindex, protocol, pkt_type and pad. */
    static final int MODIFIED_RECORD_HEADER_BYTES = 24;
    /** Linux's {@code PACKET_OUTGOING} ({@code <linux/if_packet.h>}): the packet was sent by the capturing host. */
    private static final int PACKET_OUTGOING = 4;
    /** libpcap's LT_LINKTYPE mask: the upper bits of the field carry FCS information (draft §4). */
    private static final int LINK_TYPE_MASK = 0x03FFFFFF;

    private final ByteSource src;
    private final ReaderLimits limits;
    private final ByteOrder order;
    private final boolean nanos;
    private final boolean modified;
    private InterfaceInfo iface;
    private long frames;

    private ClassicPcapDecoder(ByteSource src, ReaderLimits limits, ByteOrder order, boolean nanos, boolean modified) {
        this.src = src;
        this.limits = limits;
        this.order = order;
        this.nanos = nanos;
        this.modified = modified;
    }

    /** Recognises the magic number in the file's first four bytes (read big-endian), or returns null. */
    static ClassicPcapDecoder forMagic(ByteSource src, ReaderLimits limits, int magicBigEndian) {
        if (magicBigEndian == MAGIC_MICROS) {
            return new ClassicPcapDecoder(src, limits, ByteOrder.BIG_ENDIAN, false, false);
        } else if (magicBigEndian == Integer.reverseBytes(MAGIC_MICROS)) {
            return new ClassicPcapDecoder(src, limits, ByteOrder.LITTLE_ENDIAN, false, false);
        } else if (magicBigEndian == MAGIC_NANOS) {
            return new ClassicPcapDecoder(src, limits, ByteOrder.BIG_ENDIAN, true, false);
        } else if (magicBigEndian == Integer.reverseBytes(MAGIC_NANOS)) {
            return new ClassicPcapDecoder(src, limits, ByteOrder.LITTLE_ENDIAN, true, false);
        } else if (magicBigEndian == MAGIC_MODIFIED) {
            return new ClassicPcapDecoder(src, limits, ByteOrder.BIG_ENDIAN, false, true);
        } else if (magicBigEndian == Integer.reverseBytes(MAGIC_MODIFIED)) {
            return new ClassicPcapDecoder(src, limits, ByteOrder.LITTLE_ENDIAN, false, true);
        }
        return null;
    }

    /** Reads the rest of the file header (the 4 magic bytes are consumed); null when it is fine. */
    TraceError readFileHeader() throws IOException {
        byte[] rest = src.read(FILE_HEADER_BYTES - 4);
        if (rest.length < FILE_HEADER_BYTES - 4) {
            return new TraceError.Truncated(0, "pcap file header", FILE_HEADER_BYTES, 4 + rest.length);
        }
        ByteBuffer b = ByteBuffer.wrap(rest).order(order);
        int major = Short.toUnsignedInt(b.getShort(0));
        if (major != 2) {
            return new TraceError.Corrupt(0, "pcap major version " + major + ", only 2 exists");
        }
        long snapLength = Integer.toUnsignedLong(b.getInt(12));
        int linkType = b.getInt(16) & LINK_TYPE_MASK;
        iface = new InterfaceInfo(
                0,
                linkType,
                snapLength,
                "",
                nanos ? TimestampResolution.NANOSECONDS : TimestampResolution.MICROSECONDS,
                0);
        return null;
    }

    @Override
    public ReadResult next() throws IOException {
        long offset = src.position();
        int headerBytes = modified ? MODIFIED_RECORD_HEADER_BYTES : RECORD_HEADER_BYTES;
        byte[] head = src.read(headerBytes);
        if (head.length == 0) {
            return new ReadResult.End(offset);
        }
        if (head.length < headerBytes) {
            return fail(new TraceError.Truncated(offset, "pcap record header", headerBytes, head.length));
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(order);
        long seconds = Integer.toUnsignedLong(b.getInt(0));
        long fraction = Integer.toUnsignedLong(b.getInt(4));
        long capturedLength = Integer.toUnsignedLong(b.getInt(8));
        long originalLength = Integer.toUnsignedLong(b.getInt(12));
        if (capturedLength > limits.maxRecordBytes()) {
            return fail(new TraceError.LimitExceeded(
                    offset, "pcap record captured length", capturedLength, limits.maxRecordBytes(), "maxRecordBytes"));
        }
        byte[] data = src.read((int) capturedLength);
        if (data.length < capturedLength) {
            return fail(new TraceError.Truncated(
                    offset, "pcap record", headerBytes + capturedLength, headerBytes + data.length));
        }
        Direction direction = Direction.UNKNOWN;
        if (modified) {
            direction = (head[22] & 0xFF) == PACKET_OUTGOING ? Direction.OUTBOUND : Direction.INBOUND;
        }
        // Both fields are unsigned 32-bit: at most 4.3e18 + 4.3e12 ns, within a signed long.
        long timestamp = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1_000L);
        frames++;
        return new ReadResult.Packet(new CapturedPacket(
                frames, offset, timestamp, 0, iface.linkType(), data.length, originalLength, direction, data));
    }

    private static ReadResult fail(TraceError e) {
        return new ReadResult.Failure(e);
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        return iface == null ? List.of() : List.of(iface);
    }

    @Override
    public CaptureFormat format() {
        if (modified) {
            return CaptureFormat.PCAP_MODIFIED;
        }
        return nanos ? CaptureFormat.PCAP_NANOSECONDS : CaptureFormat.PCAP_MICROSECONDS;
    }
}
