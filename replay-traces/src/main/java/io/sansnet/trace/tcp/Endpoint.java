package io.sansnet.trace.tcp;

import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.Ipv6Address;

/** An address and a TCP port. */
public record Endpoint(IpAddress address, int port) {
    @Override
    public String toString() {
        return (address instanceof Ipv6Address ? "[" + address + "]" : address.toString()) + ":" + port;
    }
}
