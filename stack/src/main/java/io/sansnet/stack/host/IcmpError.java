package io.sansnet.stack.host;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import java.util.Objects;

/**
 * An ICMP (RFC 792) or ICMPv6 (RFC 4443) error message as the host received it, for a {@link TransportHandler}.
 *
 * @param reporter the address that sent the error (a router on the path, or the peer)
 * @param version 4 for ICMP, 6 for ICMPv6
 * @param type the ICMP type (e.g. 3 destination unreachable, or ICMPv6 2 packet too big)
 * @param code the ICMP code
 * @param restOfHeader octets 4..7 of the message: the next-hop MTU of fragmentation needed (low 16 bits, RFC 1191 §4),
 *     the MTU of packet too big (RFC 4443 §3.2), or the parameter problem pointer
 * @param quoted the invoking packet as quoted: its IP header and as much of its data as the reporter included
 */
public record IcmpError(IpAddress reporter, int version, int type, int code, int restOfHeader, Bytes quoted) {
    public IcmpError {
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(quoted, "quoted");
    }
}
