package io.sansnet.stack.host;

/**
 * Every event a {@link Host} counts, in the stable order in which {@link HostCounters#entries()} lists them. The names
 * follow {@code netstat -s}: a protocol prefix ({@code ip}, {@code ip6}, {@code icmp}, {@code icmp6}, {@code udp},
 * {@code tcp}) and what happened. Counters that name a drop reason say why a packet was discarded; every discarded
 * packet is counted under exactly one drop reason.
 *
 * <p>New counters are appended to their protocol's group; existing names never change meaning.
 */
public enum HostCounter {
    // ---- IPv4 (RFC 791) ----
    /** IPv4 packets handed to {@link Host#receive}, valid or not. */
    IP_RECEIVED("ip.received"),
    /** Drop: the header checksum does not verify (RFC 791 §3.1, RFC 1122 §3.2.1.2). */
    IP_BAD_CHECKSUM("ip.badChecksum"),
    /**
     * Drop: the packet is shorter than its header or total length, a length field is impossible, or a fragment is
     * empty, not a multiple of 8 octets before the last, or would end beyond 65,535 octets (RFC 791).
     */
    IP_BAD_LENGTH("ip.badLength"),
    /** Drop: another header field is malformed (e.g. an IHL below 5). */
    IP_BAD_HEADER("ip.badHeader"),
    /** Drop: a source address that is not a unicast host (RFC 1122 §3.2.1.3: broadcast, multicast). */
    IP_BAD_SOURCE("ip.badSourceAddress"),
    /** Drop: the destination is neither this host's address nor a broadcast it accepts. */
    IP_WRONG_DESTINATION("ip.wrongDestination"),
    /** Drop: an upper-layer protocol this host does not implement. */
    IP_UNKNOWN_PROTOCOL("ip.unknownProtocol"),
    /** Complete datagrams (after reassembly) handed to ICMP, UDP or TCP. */
    IP_DELIVERED("ip.delivered"),
    /** Fragments received (each also counted in {@link #IP_RECEIVED}). */
    IP_FRAGMENTS_RECEIVED("ip.fragmentsReceived"),
    /** Datagrams reassembled from fragments. */
    IP_REASSEMBLED("ip.reassembled"),
    /** Datagrams abandoned because the reassembly timeout expired (RFC 791 §3.2). */
    IP_REASSEMBLY_FAILED("ip.reassemblyFailed"),
    /** Datagrams in reassembly dropped to stay within the reassembly memory budget (oldest first). */
    IP_REASSEMBLY_BUDGET_DROPS("ip.reassemblyBudgetDrops"),
    /** Drop: fragments whose data lay entirely in already received ranges (duplicates). */
    IP_DUPLICATE_FRAGMENTS("ip.duplicateFragments"),
    /** Drop: datagrams whose fragments disagree on the total length, or whose reassembly exceeds 65,535 octets. */
    IP_REASSEMBLY_INVALID("ip.reassemblyInvalid"),
    /** IPv4 packets put on the link (fragments each count once). */
    IP_SENT("ip.sent"),
    /** Outgoing datagrams that were larger than the MTU and left as fragments. */
    IP_FRAGMENTED("ip.fragmented"),
    /** Fragments created by {@link #IP_FRAGMENTED}. */
    IP_FRAGMENTS_CREATED("ip.fragmentsCreated"),
    /** Drop: outgoing datagrams larger than the MTU with DF set (from a {@link TransportHandler}). */
    IP_CANNOT_FRAGMENT("ip.cannotFragment"),

    // ---- IPv6 (RFC 8200) ----
    /** IPv6 packets handed to {@link Host#receive}, valid or not. */
    IP6_RECEIVED("ip6.received"),
    /**
     * Drop: truncated packet, payload length beyond the data, or a fragment that is empty, not a multiple of 8 octets
     * before the last, or would end beyond 65,535 octets of payload (RFC 8200 §4.5).
     */
    IP6_BAD_LENGTH("ip6.badLength"),
    /** Drop: a malformed extension-header chain or another header field. */
    IP6_BAD_HEADER("ip6.badHeader"),
    /** Drop: a multicast source address (RFC 4291 §2.7). */
    IP6_BAD_SOURCE("ip6.badSourceAddress"),
    /** Drop: the destination is neither this host's address nor multicast, or the host has no IPv6 address. */
    IP6_WRONG_DESTINATION("ip6.wrongDestination"),
    /** Drop: an upper-layer protocol this host does not implement, or No Next Header (RFC 8200 §4.7). */
    IP6_UNKNOWN_PROTOCOL("ip6.unknownProtocol"),
    /** Complete packets (after reassembly) handed to ICMPv6, UDP or TCP. */
    IP6_DELIVERED("ip6.delivered"),
    /** Fragments received (each also counted in {@link #IP6_RECEIVED}). */
    IP6_FRAGMENTS_RECEIVED("ip6.fragmentsReceived"),
    /** Atomic fragments (offset 0, M clear) processed on their own (RFC 6946 §4). */
    IP6_ATOMIC_FRAGMENTS("ip6.atomicFragments"),
    /** Packets reassembled from fragments. */
    IP6_REASSEMBLED("ip6.reassembled"),
    /** Packets abandoned because the reassembly timeout expired (RFC 8200 §4.5). */
    IP6_REASSEMBLY_FAILED("ip6.reassemblyFailed"),
    /** Packets in reassembly dropped to stay within the reassembly memory budget (oldest first). */
    IP6_REASSEMBLY_BUDGET_DROPS("ip6.reassemblyBudgetDrops"),
    /** Packets in reassembly dropped because two fragments overlapped (RFC 5722 §4). */
    IP6_OVERLAP_DROPS("ip6.overlapDrops"),
    /** Drop: exact duplicates of a fragment already held (RFC 8200 §4.5 allows keeping the packet). */
    IP6_DUPLICATE_FRAGMENTS("ip6.duplicateFragments"),
    /** Drop: packets whose fragments disagree on the total length, or whose reassembly is not a valid packet. */
    IP6_REASSEMBLY_INVALID("ip6.reassemblyInvalid"),
    /** IPv6 packets put on the link (fragments each count once). */
    IP6_SENT("ip6.sent"),
    /** Outgoing packets that were larger than the MTU and left as fragments. */
    IP6_FRAGMENTED("ip6.fragmented"),
    /** Fragments created by {@link #IP6_FRAGMENTED}. */
    IP6_FRAGMENTS_CREATED("ip6.fragmentsCreated"),

    // ---- ICMPv4 (RFC 792) ----
    /** ICMP messages delivered by IP. */
    ICMP_RECEIVED("icmp.received"),
    /** Drop: the ICMP checksum does not verify. */
    ICMP_BAD_CHECKSUM("icmp.badChecksum"),
    /** Drop: too short for its type. */
    ICMP_BAD_LENGTH("icmp.badLength"),
    /** Echo requests received. */
    ICMP_ECHO_REQUESTS("icmp.echoRequests"),
    /** Echo replies sent (RFC 792 "Echo or Echo Reply Message"). */
    ICMP_ECHO_REPLIES("icmp.echoReplies"),
    /** Error messages received (destination unreachable, time exceeded, parameter problem, source quench). */
    ICMP_ERRORS_RECEIVED("icmp.errorsReceived"),
    /** Ignored: echo requests to a broadcast address (like Linux's icmp_echo_ignore_broadcasts). */
    ICMP_BROADCAST_ECHO_IGNORED("icmp.broadcastEchoIgnored"),
    /** Ignored: other types (echo replies, timestamps, ...). */
    ICMP_OTHER_IGNORED("icmp.otherIgnored"),
    /** Error messages sent (port and protocol unreachable, reassembly time exceeded). */
    ICMP_ERRORS_SENT("icmp.errorsSent"),
    /** Error messages not sent because the rate limit was reached (RFC 1812 §4.3.2.8). */
    ICMP_RATE_LIMITED("icmp.rateLimited"),

    // ---- ICMPv6 (RFC 4443) ----
    /** ICMPv6 messages delivered by IPv6. */
    ICMP6_RECEIVED("icmp6.received"),
    /** Drop: the ICMPv6 checksum does not verify. */
    ICMP6_BAD_CHECKSUM("icmp6.badChecksum"),
    /** Drop: too short for its type. */
    ICMP6_BAD_LENGTH("icmp6.badLength"),
    /** Echo requests received. */
    ICMP6_ECHO_REQUESTS("icmp6.echoRequests"),
    /** Echo replies sent (RFC 4443 §4.2). */
    ICMP6_ECHO_REPLIES("icmp6.echoReplies"),
    /** Error messages received (types 0..127, RFC 4443 §2.1). */
    ICMP6_ERRORS_RECEIVED("icmp6.errorsReceived"),
    /** Ignored: neighbor discovery (RFC 4861, types 133..137): a point-to-point TUN link needs none. */
    ICMP6_ND_IGNORED("icmp6.ndIgnored"),
    /** Ignored: multicast listener discovery (RFC 2710, RFC 3810: types 130..132, 143). */
    ICMP6_MLD_IGNORED("icmp6.mldIgnored"),
    /** Ignored: other informational types. */
    ICMP6_OTHER_IGNORED("icmp6.otherIgnored"),
    /** Error messages sent (port unreachable, reassembly time exceeded). */
    ICMP6_ERRORS_SENT("icmp6.errorsSent"),
    /** Error messages not sent because the rate limit was reached (RFC 4443 §2.4 (f)). */
    ICMP6_RATE_LIMITED("icmp6.rateLimited"),

    // ---- UDP (RFC 768) ----
    /** UDP datagrams delivered by IP or IPv6. */
    UDP_RECEIVED("udp.received"),
    /** Drop: the checksum does not verify, or is zero over IPv6 (RFC 8200 §8.1). */
    UDP_BAD_CHECKSUM("udp.badChecksum"),
    /** Drop: shorter than 8 octets or a length field that disagrees with IP. */
    UDP_BAD_LENGTH("udp.badLength"),
    /** Drop: no socket bound to the destination port (a port unreachable may be sent). */
    UDP_NO_PORT("udp.noPort"),
    /** Drop: the socket's receive queue was full. */
    UDP_QUEUE_FULL("udp.queueFull"),
    /** Datagrams given to a socket's listener or queue. */
    UDP_DELIVERED("udp.delivered"),
    /** Datagrams sent. */
    UDP_SENT("udp.sent"),

    // ---- TCP (RFC 9293) ----
    /** Drop: TCP segments while no TCP handler is attached (see {@link Host#attachTcp}). */
    TCP_NO_HANDLER("tcp.noHandler"),
    /** Segments given to the attached TCP handler. */
    TCP_DELIVERED("tcp.delivered"),

    // ---- the link side ----
    /** Drop: packets shorter than one byte or with an IP version other than 4 and 6. */
    LINK_BAD_VERSION("link.badVersion"),
    /** Drop: outgoing packets discarded because the transmit queue was full (nobody called pollTransmit). */
    LINK_TRANSMIT_QUEUE_FULL("link.transmitQueueFull");

    private final String counterName;

    HostCounter(String counterName) {
        this.counterName = counterName;
    }

    /** The printed name, e.g. {@code "udp.noPort"}. */
    public String counterName() {
        return counterName;
    }
}
