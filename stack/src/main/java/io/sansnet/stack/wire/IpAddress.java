package io.sansnet.stack.wire;

/** An IPv4 or IPv6 address: a plain value, never resolved through DNS or {@code java.net}. */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

    /** 4 or 6. */
    int version();

    /** 4 or 16 bytes in network order. */
    byte[] toBytes();

    /** Writes the address in network order into {@code dst} at {@code off}. */
    void writeTo(byte[] dst, int off);

    /**
     * Parses dotted-quad IPv4 or RFC 4291 IPv6 text (the latter recognised by a ':'), or throws
     * {@link IllegalArgumentException}: for configuration and literals, not for untrusted packets.
     */
    static IpAddress of(String text) {
        return text.indexOf(':') >= 0 ? Ipv6Address.of(text) : Ipv4Address.of(text);
    }
}
