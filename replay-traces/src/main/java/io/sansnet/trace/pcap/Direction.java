package io.sansnet.trace.pcap;

/** Which way a packet went, as seen by the capturing interface (pcapng {@code epb_flags} bits 0-1). */
public enum Direction {
    /** Not recorded (classic pcap, or no {@code epb_flags}). */
    UNKNOWN,
    /** Received by the host. */
    INBOUND,
    /** Sent by the host. */
    OUTBOUND;

    /** The two direction bits of {@code epb_flags} (draft-ietf-opsawg-pcapng §4.3.1). */
    int epbFlagBits() {
        return switch (this) {
            case UNKNOWN -> 0;
            case INBOUND -> 1;
            case OUTBOUND -> 2;
        };
    }

    static Direction fromEpbFlags(long flags) {
        int bits = (int) (flags & 0b11);
        return bits == 1 ? INBOUND : bits == 2 ? OUTBOUND : UNKNOWN;
    }
}
