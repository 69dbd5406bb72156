package io.sansnet.driver.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link SelectorLoop} that serves connections: it owns one receive buffer, lent to each read in turn. */
final class SocketLoop {
    /** Bytes read from a socket at once. */
    static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private final SelectorLoop loop;
    private final AtomicLong open;
    private ByteBuffer receive = ByteBuffer.allocate(RECEIVE_BUFFER_BYTES);

    SocketLoop(SelectorLoop loop, AtomicLong open) {
        this.loop = loop;
        this.open = open;
    }

    SelectorLoop loop() {
        return loop;
    }

    java.nio.channels.Selector selector() {
        return loop.selector();
    }

    ByteBuffer receiveBuffer() {
        return receive;
    }

    /** The server keeps views of the current receive buffer: read into a fresh one from now on. */
    void receiveBufferTaken() {
        receive = ByteBuffer.allocate(RECEIVE_BUFFER_BYTES);
    }

    void connectionClosed() {
        open.decrementAndGet();
    }

    void countCallbackError() {
        loop.countCallbackError();
    }

    static SocketLoop open(String name, AtomicLong open) throws IOException {
        return new SocketLoop(new SelectorLoop(name), open);
    }
}
