package io.sansnet.stack.tcp;

import io.sansnet.stack.wire.IpAddress;
import java.util.Objects;

/**
 * A connection's identity (RFC 9293 §3.2, "a pair of sockets"). A listening connection may have an unspecified remote
 * side until a SYN names it.
 */
public record FourTuple(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
    public FourTuple {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("ports must be 0..65535");
        }
    }

    public FourTuple withRemotePort(int port) {
        return new FourTuple(localAddress, localPort, remoteAddress, port);
    }
}
