package io.sansnet.trace.pcap;

import java.nio.ByteBuffer;

/**
 * Strips link-layer headers to reach the IP packet: raw IP, Ethernet with 802.1Q/802.1ad VLAN tags, Linux cooked
 * captures (SLL, SLL2) and BSD loopback (NULL, LOOP). The result is trimmed to the IP header's own length, so
 * Ethernet padding and a trailing FCS are not part of it.
 */
public final class LinkLayer {
    /** Most VLAN tags skipped in one frame (real stacks use one or two; QinQ chains past this are refused). */
    public static final int MAX_VLAN_TAGS = 8;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q
    static final int ETHERTYPE_QINQ = 0x88A8; // IEEE 802.1ad service tag
    static final int ETHERTYPE_QINQ_OLD = 0x9100; // pre-standard QinQ
    /** EtherType values up to this are IEEE 802.3 length fields (an LLC header follows, not IP). */
    static final int MAX_8023_LENGTH = 1500;

    static final int ETHERNET_HEADER_BYTES = 14;
    static final int SLL_HEADER_BYTES = 16;
    static final int SLL2_HEADER_BYTES = 20;
    static final int NULL_HEADER_BYTES = 4;

    /** Address families that mean IPv4 / IPv6 in a NULL or LOOP header (Wireshark's list: BSDs, macOS, Linux). */
    static final int AF_INET = 2;

    private static boolean isAfInet6(long af) {
        return af == 10 /* Linux */
                || af == 24 /* NetBSD, OpenBSD */
                || af == 28 /* FreeBSD */
                || af == 30 /* Darwin */;
    }

    private LinkLayer() {}

    /** What a frame holds. */
    public sealed interface Decoded {
        /**
         * An IP packet.
         *
         * @param version 4 or 6
         * @param linkHeaderLength bytes before the IP header (including VLAN tags)
         * @param packet a read-only view of the IP packet in the frame
         */
        record Ip(int version, int linkHeaderLength, ByteBuffer packet) implements Decoded {
            /** A copy of the packet bytes. */
            public byte[] bytes() {
                byte[] b = new byte[packet.remaining()];
                packet.duplicate().get(b);
                return b;
            }
        }

        /** A well-formed frame that does not carry IP (ARP, LLC, another address family ...). */
        record NotIp(String what) implements Decoded {}

        /** Too short or inconsistent to tell. */
        record Malformed(String reason) implements Decoded {}
    }

    /** Decodes {@code frame} of link type {@code linkType} (a {@link LinkType} value). */
    public static Decoded decode(int linkType, byte[] frame) {
        return switch (linkType) {
            case LinkType.RAW, LinkType.RAW_DLT_12, LinkType.RAW_DLT_14 -> ip(frame, 0, 0, "raw IP");
            case LinkType.IPV4 -> ip(frame, 0, 4, "LINKTYPE_IPV4");
            case LinkType.IPV6 -> ip(frame, 0, 6, "LINKTYPE_IPV6");
            case LinkType.ETHERNET -> ethernet(frame);
            case LinkType.LINUX_SLL -> cooked(frame, SLL_HEADER_BYTES, 14, "SLL");
            case LinkType.LINUX_SLL2 -> cooked(frame, SLL2_HEADER_BYTES, 0, "SLL2");
            case LinkType.NULL -> loopback(frame, false);
            case LinkType.LOOP -> loopback(frame, true);
            default -> new Decoded.NotIp("link type " + LinkType.describe(linkType) + " is not decoded");
        };
    }

    /** IEEE 802.3: destination, source, EtherType, then any number of 4-byte VLAN tags (TCI, inner EtherType). */
    private static Decoded ethernet(byte[] f) {
        if (f.length < ETHERNET_HEADER_BYTES) {
            return new Decoded.Malformed("Ethernet frame of " + f.length + " bytes, header needs 14");
        }
        return etherType(f, 12, ETHERNET_HEADER_BYTES, "Ethernet");
    }

    /**
     * Linux cooked headers (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html): the protocol field holds an
     * EtherType; VLAN tags may follow when the driver did not strip them.
     */
    private static Decoded cooked(byte[] f, int headerBytes, int protocolAt, String name) {
        if (f.length < headerBytes) {
            return new Decoded.Malformed(name + " frame of " + f.length + " bytes, header needs " + headerBytes);
        }
        return etherType(f, protocolAt, headerBytes, name);
    }

    /** Follows an EtherType at {@code typeAt} with its payload at {@code payloadAt}. */
    private static Decoded etherType(byte[] f, int typeAt, int payloadAt, String name) {
        int type = u16(f, typeAt);
        int pos = payloadAt;
        int tags = 0;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (++tags > MAX_VLAN_TAGS) {
                return new Decoded.Malformed(name + " frame with more than " + MAX_VLAN_TAGS + " VLAN tags");
            }
            if (f.length < pos + 4) {
                return new Decoded.Malformed(name + " frame ends inside VLAN tag " + tags);
            }
            type = u16(f, pos + 2);
            pos += 4;
        }
        if (type == ETHERTYPE_IPV4) {
            return ip(f, pos, 4, name);
        } else if (type == ETHERTYPE_IPV6) {
            return ip(f, pos, 6, name);
        } else if (type <= MAX_8023_LENGTH) {
            return new Decoded.NotIp(name + " frame with an 802.3 length field " + type + " (LLC)");
        }
        return new Decoded.NotIp(String.format("%s frame with EtherType 0x%04x", name, type));
    }

    /** A 4-byte address family: host order of the capturing machine for NULL, network order for LOOP. */
    private static Decoded loopback(byte[] f, boolean bigEndian) {
        String name = bigEndian ? "LOOP" : "NULL";
        if (f.length < NULL_HEADER_BYTES) {
            return new Decoded.Malformed(name + " frame of " + f.length + " bytes, header needs 4");
        }
        long be = Integer.toUnsignedLong(ByteBuffer.wrap(f, 0, 4).getInt());
        long af;
        if (bigEndian) {
            af = be;
        } else {
            long le = Integer.toUnsignedLong(Integer.reverseBytes((int) be));
            // The writer's byte order is unknown: a family is a small number, so take the reading that is one.
            af = le <= 0xFFFF ? le : be;
        }
        if (af == AF_INET) {
            return ip(f, NULL_HEADER_BYTES, 4, name);
        } else if (isAfInet6(af)) {
            return ip(f, NULL_HEADER_BYTES, 6, name);
        }
        return new Decoded.NotIp(name + " frame with address family " + af);
    }

    /**
     * The IP packet at {@code at}; {@code expected} is the version the link header announced, or 0 to take the
     * version nibble as it is (raw IP).
     */
    private static Decoded ip(byte[] f, int at, int expected, String name) {
        int remaining = f.length - at;
        if (remaining < 1) {
            return new Decoded.Malformed(name + " frame has no IP header after its " + at + "-byte link header");
        }
        int version = (f[at] >> 4) & 0xF;
        if (expected == 0 && version != 4 && version != 6) {
            return new Decoded.NotIp(name + " packet with IP version " + version);
        }
        if (expected != 0 && version != expected) {
            return new Decoded.Malformed(
                    name + " header announces IPv" + expected + " but the version field is " + version);
        }
        int length = remaining;
        if (version == 4 && remaining >= 4) {
            int total = u16(f, at + 2); // RFC 791: Total Length
            if (total >= 20 && total <= remaining) {
                length = total;
            }
        } else if (version == 6 && remaining >= 6) {
            int payload = u16(f, at + 4); // RFC 8200 §3: Payload Length (0 for a jumbogram)
            if (payload > 0 && 40 + payload <= remaining) {
                length = 40 + payload;
            }
        }
        return new Decoded.Ip(
                version, at, ByteBuffer.wrap(f, at, length).slice().asReadOnlyBuffer());
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xFF) << 8) | (f[at + 1] & 0xFF);
    }
}
