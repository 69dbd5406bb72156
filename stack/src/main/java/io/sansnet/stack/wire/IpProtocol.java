package io.sansnet.stack.wire;

/**
 * IP protocol / IPv6 next-header numbers (IANA "Assigned Internet Protocol Numbers"). Plain ints, since the space is
 * open-ended and unknown values must pass through.
 */
public final class IpProtocol {
    /** IPv6 Hop-by-Hop Options (RFC 8200 §4.3). */
    public static final int HOPOPT = 0;

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 Routing header (RFC 8200 §4.4). */
    public static final int IPV6_ROUTE = 43;
    /** IPv6 Fragment header (RFC 8200 §4.5). */
    public static final int IPV6_FRAG = 44;

    public static final int ESP = 50;
    /** Authentication Header (RFC 4302); its length counts 4-octet units. */
    public static final int AH = 51;

    public static final int ICMPV6 = 58;
    /** No Next Header (RFC 8200 §4.7). */
    public static final int IPV6_NONXT = 59;
    /** IPv6 Destination Options (RFC 8200 §4.6). */
    public static final int IPV6_OPTS = 60;
    /** Mobility header (RFC 6275). */
    public static final int MOBILITY = 135;
    /** Host Identity Protocol (RFC 7401). */
    public static final int HIP = 139;
    /** Shim6 (RFC 5533). */
    public static final int SHIM6 = 140;
    /** Experimentation and testing (RFC 3692). */
    public static final int EXPERIMENTAL_1 = 253;

    public static final int EXPERIMENTAL_2 = 254;

    private IpProtocol() {}

    /**
     * True for the IPv6 extension headers that share the "next header, length in 8-octet units beyond the first"
     * layout (RFC 8200 §4, RFC 6564), plus AH (4-octet units) and Fragment (fixed). ESP is not walkable (its contents
     * are encrypted) and counts as upper layer.
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        return switch (nextHeader) {
            case HOPOPT, IPV6_ROUTE, IPV6_FRAG, AH, IPV6_OPTS, MOBILITY, HIP, SHIM6, EXPERIMENTAL_1, EXPERIMENTAL_2 ->
                true;
            default -> false;
        };
    }
}
