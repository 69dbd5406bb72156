package io.sansnet.stack.app;

/** Receives the datagrams of one bound {@link UdpSocket}, on the owning loop. */
@FunctionalInterface
public interface UdpHandler {

    /** One datagram arrived on {@code socket}. */
    void onDatagram(UdpSocket socket, Datagram datagram);
}
