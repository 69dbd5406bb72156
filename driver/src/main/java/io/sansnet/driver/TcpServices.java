package io.sansnet.driver;

import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.tcp.TcpEvent;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpListener;
import io.sansnet.stack.tcp.TcpSocket;
import java.nio.ByteBuffer;

/**
 * The classic TCP test services on a {@link TcpLayer}: Echo (RFC 862) and Discard (RFC 863). Both run on the thread
 * that owns the layer (the loop thread of a {@link TunHost}) and keep bounded memory: echo holds at most one buffer of
 * unsent data and reads no more until the send buffer took it, so a fast sender is slowed by TCP's own flow control.
 */
public final class TcpServices {

    /** Octets moved per receive/send step. */
    public static final int CHUNK_BYTES = 64 * 1024;

    /** Backlog of the services' listeners. */
    public static final int BACKLOG = 128;

    private TcpServices() {}

    /** RFC 862: "Once a connection is established any data received is sent back." Closes after the peer does. */
    public static AppResult<TcpListener> echo(TcpLayer layer, int port) {
        return layer.listen(port, BACKLOG, s -> s.setHandler(new Echo()));
    }

    /** RFC 863: "Once a connection is established any data received is thrown away." Closes after the peer does. */
    public static AppResult<TcpListener> discard(TcpLayer layer, int port) {
        return layer.listen(port, BACKLOG, s -> s.setHandler(new Discard()));
    }

    /** Echo's per-connection state: the octets read and not yet accepted by {@code send}. */
    private static final class Echo implements TcpSocket.Handler {
        private final ByteBuffer pending = ByteBuffer.allocate(CHUNK_BYTES).flip();
        private boolean finished;
        private boolean closed;

        @Override
        public void onEvent(TcpSocket socket, TcpEvent event) {
            if (event instanceof TcpEvent.Closed) {
                closed = true;
                return;
            }
            if (event instanceof TcpEvent.PeerFinished) {
                finished = true;
            }
            pump(socket);
        }

        private void pump(TcpSocket socket) {
            while (!closed) {
                if (pending.hasRemaining()) {
                    socket.send(pending);
                    if (pending.hasRemaining()) {
                        return; // the send buffer is full: Writable resumes us
                    }
                }
                pending.clear();
                int n = socket.receive(pending);
                pending.flip();
                if (n > 0) {
                    continue;
                }
                if (n < 0 || finished && socket.readable() == 0) {
                    closed = true;
                    socket.close(); // everything echoed: our FIN follows it
                }
                return;
            }
        }
    }

    /** Discard: reads and forgets. */
    private static final class Discard implements TcpSocket.Handler {
        private final ByteBuffer sink = ByteBuffer.allocate(CHUNK_BYTES);
        private boolean closed;

        @Override
        public void onEvent(TcpSocket socket, TcpEvent event) {
            if (closed || event instanceof TcpEvent.Closed) {
                closed = true;
                return;
            }
            while (true) {
                sink.clear();
                int n = socket.receive(sink);
                if (n < 0) {
                    closed = true;
                    socket.close();
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        }
    }
}
