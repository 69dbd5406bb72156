package io.sansnet.trace.pcap;

/** The timestamp unit of a classic pcap file, chosen by its magic number. */
public enum TimestampPrecision {
    /** Magic {@code 0xa1b2c3d4}: what every tool reads; timestamps are truncated to whole microseconds. */
    MICROSECONDS,
    /** Magic {@code 0xa1b23c4d}: exact virtual times; Wireshark, tcpdump and libpcap 1.5+ read it. */
    NANOSECONDS
}
