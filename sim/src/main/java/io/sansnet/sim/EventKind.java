package io.sansnet.sim;

/** The kinds of entries in a simulation's event log (and so in its fingerprint). */
public enum EventKind {
    /** A node emitted a packet. */
    SEND("send"),
    /** A node received a packet. */
    RECEIVE("recv"),
    /** The fault model dropped a packet. */
    LOSS("loss"),
    /** The fault model delivered a second copy. */
    DUPLICATE("duplicate"),
    /** The fault model held a packet back past its successors. */
    REORDER("reorder"),
    /** The fault model flipped one bit (the bytes logged are the corrupted copy). */
    CORRUPT("corrupt"),
    /** A full link queue dropped the packet (tail drop). */
    QUEUE_DROP("queue-drop"),
    /** A partition dropped the packet. */
    PARTITION_DROP("partition-drop"),
    /** The packet was larger than the link MTU. */
    MTU_DROP("mtu-drop"),
    /**
     * The link's router answered a packet larger than the MTU with ICMP "fragmentation needed" or ICMPv6 Packet Too Big
     * (the bytes are the ICMP packet).
     */
    ICMP_TOO_BIG("icmp-too-big"),
    /** The sending node had no link towards the destination. */
    NO_ROUTE("no-route"),
    /** The packet arrived at a crashed host. */
    HOST_DOWN_DROP("host-down-drop"),
    /** A link direction was partitioned. */
    PARTITION("partition"),
    /** A link direction was healed. */
    HEAL("heal"),
    /** A link direction's parameters changed (the bytes are the new parameters as text). */
    LINK_CHANGE("link-change"),
    /** A host crashed. */
    CRASH("crash"),
    /** A host booted with a fresh stack. */
    BOOT("boot"),
    /** An application or scenario note (the bytes are its text). */
    NOTE("note");

    private final String label;

    EventKind(String label) {
        this.label = label;
    }

    /** The stable name used in traces and in the fingerprint. */
    public String label() {
        return label;
    }
}
