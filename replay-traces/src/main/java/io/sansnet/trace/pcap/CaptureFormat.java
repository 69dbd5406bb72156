package io.sansnet.trace.pcap;

/** The container format of a capture file. */
public enum CaptureFormat {
    /** Classic libpcap with microsecond timestamps (magic {@code 0xa1b2c3d4}). */
    PCAP_MICROSECONDS,
    /** Classic libpcap with nanosecond timestamps (magic {@code 0xa1b23c4d}). */
    PCAP_NANOSECONDS,
    /**
     * Alexey Kuznetsov's modified libpcap format (magic {@code 0xa1b2cd34}): microsecond timestamps, 24-byte record
     * headers carrying the interface index, protocol and packet type.
     */
    PCAP_MODIFIED,
    /** pcapng (draft-ietf-opsawg-pcapng). */
    PCAPNG
}
