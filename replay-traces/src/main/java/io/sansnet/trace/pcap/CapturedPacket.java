package io.sansnet.trace.pcap;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One packet record of a capture file.
 *
 * @param frameNumber 1-based position among the file's packet records, the same as Wireshark's {@code frame.number}
 * @param fileOffset byte offset in the file of the record (classic pcap) or block (pcapng) that holds the packet
 * @param timestampNanos nanoseconds since 1970-01-01T00:00Z, or {@link #NO_TIMESTAMP} for a pcapng simple packet
 *     block, which carries none
 * @param interfaceId 0 for classic pcap; for pcapng the index of the interface description block in the whole file
 *     (counting across sections), like Wireshark's {@code frame.interface_id}
 * @param linkType the link-layer header type of {@code data} ({@link LinkType})
 * @param capturedLength bytes present in {@code data}
 * @param originalLength bytes the packet had on the wire (at least {@code capturedLength} in a well-formed file, but
 *     read as recorded)
 * @param direction inbound or outbound when the file says so
 * @param data the captured bytes, link-layer header included (owned by this record: do not modify)
 */
public record CapturedPacket(
        long frameNumber,
        long fileOffset,
        long timestampNanos,
        int interfaceId,
        int linkType,
        int capturedLength,
        long originalLength,
        Direction direction,
        byte[] data) {

    /** The timestamp of a packet whose record has none (pcapng simple packet block). */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public CapturedPacket {
        if (capturedLength != data.length) {
            throw new IllegalArgumentException("capturedLength " + capturedLength + " != data.length " + data.length);
        }
    }

    /** Whether the record carried a timestamp. */
    public boolean hasTimestamp() {
        return timestampNanos != NO_TIMESTAMP;
    }

    /** Whether the capture kept fewer bytes than the packet had (snap length). */
    public boolean isTruncated() {
        return originalLength > capturedLength;
    }

    /** Strips the link-layer header: the IP packet, or why there is none. */
    public LinkLayer.Decoded decodeIp() {
        return LinkLayer.decode(linkType, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedPacket p
                && frameNumber == p.frameNumber
                && fileOffset == p.fileOffset
                && timestampNanos == p.timestampNanos
                && interfaceId == p.interfaceId
                && linkType == p.linkType
                && capturedLength == p.capturedLength
                && originalLength == p.originalLength
                && direction == p.direction
                && Arrays.equals(data, p.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(frameNumber) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 64);
        return "CapturedPacket[frame=" + frameNumber + ", offset=" + fileOffset + ", ts=" + timestampNanos
                + ", if=" + interfaceId + ", " + LinkType.describe(linkType) + ", caplen=" + capturedLength
                + ", len=" + originalLength + ", " + direction + ", data="
                + HexFormat.of().formatHex(data, 0, shown) + (shown < data.length ? "..." : "") + "]";
    }
}
