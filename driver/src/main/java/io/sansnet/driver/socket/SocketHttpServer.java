package io.sansnet.driver.socket;

import io.sansnet.http.server.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The socket driver: the sans-io {@link HttpServer} over kernel TCP. A listening {@link ServerSocketChannel} on the
 * first of {@code loops} selector threads accepts connections and deals them out round-robin; each connection then
 * lives on one loop for good (its reads, writes, timers and handler calls), so the server's per-connection state
 * needs no locks.
 *
 * <pre>{@code
 * try (SocketHttpServer s = SocketHttpServer.start(server, new InetSocketAddress("127.0.0.1", 0), 2)) {
 *     int port = s.localAddress().getPort();
 *     ...
 * }
 * }</pre>
 */
public final class SocketHttpServer implements AutoCloseable {

    /** Connections accepted per readiness event of the listening socket, before other work gets a turn. */
    static final int MAX_ACCEPTS_PER_EVENT = 64;

    /** The kernel's queue of connections not yet accepted (listen(2) backlog). */
    public static final int DEFAULT_BACKLOG = 1024;

    private final HttpServer server;
    private final ServerSocketChannel listener;
    private final List<SocketLoop> loops = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong open = new AtomicLong();
    private int next;

    private SocketHttpServer(HttpServer server, ServerSocketChannel listener) {
        this.server = server;
        this.listener = listener;
    }

    /**
     * Binds {@code address} (port 0: an ephemeral port, see {@link #localAddress()}) and starts {@code loopCount}
     * selector threads.
     */
    public static SocketHttpServer start(HttpServer server, InetSocketAddress address, int loopCount)
            throws IOException {
        if (loopCount < 1) throw new IllegalArgumentException("loopCount < 1");
        ServerSocketChannel ch = ServerSocketChannel.open();
        SocketHttpServer s = new SocketHttpServer(server, ch);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, DEFAULT_BACKLOG);
            ch.configureBlocking(false);
            for (int i = 0; i < loopCount; i++) s.loops.add(SocketLoop.open("sansnet-http-" + i, s.open));
            SocketLoop first = s.loops.get(0);
            ch.register(first.selector(), SelectionKey.OP_ACCEPT, new SelectorLoop.Ready() {
                @Override
                public void onReady(SelectionKey key) {
                    s.acceptSome();
                }

                @Override
                public void onLoopClosed() {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // stopping anyway
                    }
                }
            });
            for (SocketLoop l : s.loops) l.loop().start();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The bound address (with the actual port). */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("listener closed", e);
        }
    }

    public HttpServer server() {
        return server;
    }

    /** TCP connections accepted so far. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections currently open. */
    public long openConnections() {
        return open.get();
    }

    /** Why a loop ended early, or null. */
    public Throwable failure() {
        for (SocketLoop l : loops)
            if (l.loop().failure() != null) return l.loop().failure();
        return null;
    }

    /** Stops accepting, closes every connection, stops the loops. Idempotent. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketLoop l : loops) l.loop().close();
    }

    /** On the first loop's thread. */
    private void acceptSome() {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                return; // e.g. EMFILE: try again at the next readiness event
            }
            if (c == null) return;
            accepted.incrementAndGet();
            open.incrementAndGet();
            SocketLoop target = loops.get(next);
            next = (next + 1) % loops.size();
            if (target.loop().inLoop()) adopt(target, c);
            else target.loop().execute(() -> adopt(target, c));
        }
    }

    private void adopt(SocketLoop loop, SocketChannel c) {
        SocketStream stream = new SocketStream(c, loop);
        try {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            stream.register(s -> server.attach(s, loop.loop()));
        } catch (IOException | RuntimeException e) {
            stream.close();
        }
    }
}
