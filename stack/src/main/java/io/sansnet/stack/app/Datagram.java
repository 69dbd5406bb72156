package io.sansnet.stack.app;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import java.util.Objects;

/**
 * A UDP datagram as the application sees it (RFC 768).
 *
 * @param source the sender's address
 * @param sourcePort the sender's port, 0..65535
 * @param destination the address it was sent to (one of ours)
 * @param destinationPort the local port it arrived on
 * @param payload the data
 */
public record Datagram(IpAddress source, int sourcePort, IpAddress destination, int destinationPort, Bytes payload) {
    public Datagram {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }
}
