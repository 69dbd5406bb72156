package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * The addresses that an upper-layer checksum covers besides the upper-layer bytes: RFC 768 / RFC 9293 §3.1 for IPv4,
 * RFC 8200 §8.1 for IPv6. The protocol number and the upper-layer length are supplied by the codec (UDP uses 17, TCP
 * 6, ICMPv6 58).
 *
 * <p>Note: with an IPv6 Routing header the destination should be the final one (RFC 8200 §8.1); callers pass it.
 *
 * @param src source address
 * @param dst destination address, of the same IP version
 */
public record PseudoHeader(IpAddress src, IpAddress dst) {

    public PseudoHeader {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (src.version() != dst.version()) {
            throw new IllegalArgumentException("mixed IP versions: " + src + " and " + dst);
        }
    }

    /** 4 or 6. */
    public int version() {
        return src.version();
    }

    /** The unfolded one's complement sum of the pseudo-header for a protocol and an upper-layer length. */
    public long sum(int protocol, int upperLayerLength) {
        if (src instanceof Ipv4Address s) {
            return Checksum.pseudoHeaderV4(s, (Ipv4Address) dst, protocol, upperLayerLength);
        }
        return Checksum.pseudoHeaderV6((Ipv6Address) src, (Ipv6Address) dst, protocol, upperLayerLength);
    }

    /** The reply direction: source and destination swapped. */
    public PseudoHeader reversed() {
        return new PseudoHeader(dst, src);
    }
}
