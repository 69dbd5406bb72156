package io.sansnet.trace.pcap;

/**
 * Link-layer header types as written in capture files (the {@code LINKTYPE_*} values of <a
 * href="https://www.tcpdump.org/linktypes.html">tcpdump.org/linktypes.html</a>, the same numbers in the classic pcap
 * header and in a pcapng interface description block).
 */
public final class LinkType {
    /** BSD loopback: a 4-byte address family in the capturing host's byte order, then the packet. */
    public static final int NULL = 0;
    /** IEEE 802.3 Ethernet (DLT_EN10MB). */
    public static final int ETHERNET = 1;
    /** Raw IP as DLT_RAW on most BSDs and old Linux; only found in files written by those systems. */
    public static final int RAW_DLT_12 = 12;
    /** Raw IP as DLT_RAW on OpenBSD. */
    public static final int RAW_DLT_14 = 14;
    /** Raw IP, the version in the first nibble: what sansnet writes (LINKTYPE_RAW). */
    public static final int RAW = 101;
    /** OpenBSD loopback: like {@link #NULL} but the address family is always big-endian. */
    public static final int LOOP = 108;
    /** Linux "cooked" capture v1 ({@code tcpdump -i any} before libpcap 1.10). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4 only. */
    public static final int IPV4 = 228;
    /** Raw IPv6 only. */
    public static final int IPV6 = 229;
    /** Linux "cooked" capture v2 ({@code tcpdump -i any} with libpcap 1.10 and later). */
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}

    /** A short name for messages, e.g. {@code RAW(101)}. */
    public static String describe(int linkType) {
        String name = switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "ETHERNET";
            case RAW_DLT_12, RAW_DLT_14, RAW -> "RAW";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "LINKTYPE";
        };
        return name + "(" + linkType + ")";
    }
}
