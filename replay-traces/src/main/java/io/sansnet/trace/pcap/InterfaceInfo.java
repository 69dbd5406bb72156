package io.sansnet.trace.pcap;

/**
 * A capture interface: the single implicit one of a classic pcap file, or one pcapng interface description block.
 *
 * @param id index across the whole file ({@link CapturedPacket#interfaceId()})
 * @param linkType link-layer header type of its packets
 * @param snapLength the most bytes captured per packet; 0 means no limit (pcapng)
 * @param name the {@code if_name} option, or empty
 * @param resolution the timestamp unit ({@code if_tsresol}; microseconds when absent)
 * @param timestampOffsetSeconds the {@code if_tsoffset} option added to every timestamp, usually 0
 */
public record InterfaceInfo(
        int id,
        int linkType,
        long snapLength,
        String name,
        TimestampResolution resolution,
        long timestampOffsetSeconds) {}
