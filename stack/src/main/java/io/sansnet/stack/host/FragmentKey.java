package io.sansnet.stack.host;

/**
 * What identifies the fragments of one original datagram. IPv4 (RFC 791 §3.2): source, destination, protocol and
 * identification. IPv6 (RFC 8200 §4.5): source, destination and the 32-bit identification ({@code protocol} is -1).
 * Only primitive fields, so hashing and ordering are deterministic.
 *
 * @param version 4 or 6
 * @param srcHi the IPv4 source in the low 32 bits, or the upper half of the IPv6 source
 * @param srcLo 0 for IPv4, or the lower half of the IPv6 source
 * @param dstHi like {@code srcHi}, for the destination
 * @param dstLo like {@code srcLo}, for the destination
 * @param protocol the IPv4 protocol, or -1 for IPv6
 * @param identification the 16-bit IPv4 or 32-bit IPv6 identification
 */
record FragmentKey(int version, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int identification) {

    static FragmentKey ipv4(int src, int dst, int protocol, int identification) {
        return new FragmentKey(4, src & 0xFFFFFFFFL, 0, dst & 0xFFFFFFFFL, 0, protocol, identification);
    }

    static FragmentKey ipv6(long srcHi, long srcLo, long dstHi, long dstLo, int identification) {
        return new FragmentKey(6, srcHi, srcLo, dstHi, dstLo, -1, identification);
    }
}
