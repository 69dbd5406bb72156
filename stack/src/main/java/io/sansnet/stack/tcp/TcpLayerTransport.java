package io.sansnet.stack.tcp;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.app.TcpServer;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.wire.IpAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The application interface ({@link TcpTransport}, {@link TcpStream}) over a {@link TcpLayer}, for any host whose loop
 * is an {@link EventLoop}: a simulated host, or a driver's loop. Like the layer it is used on the loop only; stream
 * callbacks run there, inside the layer's calls (after the layer's own bookkeeping), and futures complete through the
 * loop as {@link Promise} does.
 */
public final class TcpLayerTransport implements TcpTransport {

    private final TcpLayer layer;
    private final EventLoop loop;

    public TcpLayerTransport(TcpLayer layer, EventLoop loop) {
        this.layer = layer;
        this.loop = loop;
    }

    @Override
    public AppFuture<TcpStream> connect(IpAddress address, int port) {
        Promise<TcpStream> p = loop.newPromise();
        Stream s = new Stream(p);
        AppResult<TcpSocket> r = layer.connect(address, port, s, loop.nowNanos());
        if (!r.isOk()) {
            p.fail(r.error());
        } else {
            s.socket = r.value();
        }
        return p;
    }

    @Override
    public AppResult<TcpServer> listen(int port, int backlog, Consumer<TcpStream> acceptHandler) {
        AppResult<TcpListener> r = layer.listen(port, backlog, socket -> {
            Stream s = new Stream(null);
            s.socket = socket;
            socket.setHandler(s); // delivers Connected first
            acceptHandler.accept(s);
        });
        if (!r.isOk()) {
            return AppResult.err(r.error().kind(), r.error().detail());
        }
        TcpListener l = r.value();
        return AppResult.ok(new TcpServer() {
            @Override
            public int localPort() {
                return l.port();
            }

            @Override
            public void close() {
                l.close();
            }
        });
    }

    /** How a connect that never reached ESTABLISHED fails, by why the connection closed. */
    static AppError connectError(CloseReason reason, TcpSocket socket) {
        if (socket.failure() != null) {
            return new AppError(AppError.Kind.NO_ROUTE, socket.failure());
        }
        return switch (reason) {
            case REFUSED ->
                new AppError(
                        AppError.Kind.REFUSED, REFUSED + ": " + socket.tuple().remoteAddress());
            case TIMED_OUT -> new AppError(AppError.Kind.TIMED_OUT, "no answer to SYN");
            case RESET -> new AppError(AppError.Kind.RESET, RESET + ": " + reason);
            case ABORTED, GRACEFUL -> new AppError(AppError.Kind.CLOSED, RESET + ": " + reason);
        };
    }

    /** One connection: the layer's handler and the application's stream. */
    private final class Stream implements TcpStream, TcpSocket.Handler {
        private final Promise<TcpStream> connecting;
        private final Promise<CloseReason> closed = loop.newPromise();
        private TcpSocket socket;
        private Runnable onReadable = () -> {};
        private Runnable onWritable = () -> {};
        private boolean connected;
        private boolean userClosed;

        Stream(Promise<TcpStream> connecting) {
            this.connecting = connecting;
        }

        @Override
        public void onEvent(TcpSocket s, TcpEvent e) {
            if (e instanceof TcpEvent.Connected) {
                connected = true;
                if (connecting != null) {
                    connecting.complete(this);
                }
            } else if (e instanceof TcpEvent.Readable || e instanceof TcpEvent.PeerFinished) {
                onReadable.run();
            } else if (e instanceof TcpEvent.Writable) {
                onWritable.run();
            } else if (e instanceof TcpEvent.Closed c) {
                if (!connected && connecting != null) {
                    connecting.fail(connectError(c.reason(), s));
                }
                closed.complete(c.reason());
            }
        }

        @Override
        public IpAddress localAddress() {
            return socket.tuple().localAddress();
        }

        @Override
        public int localPort() {
            return socket.tuple().localPort();
        }

        @Override
        public IpAddress remoteAddress() {
            return socket.tuple().remoteAddress();
        }

        @Override
        public int remotePort() {
            return socket.tuple().remotePort();
        }

        @Override
        public int send(ByteBuffer src) {
            return closed.isDone() || userClosed ? 0 : socket.send(src);
        }

        @Override
        public int receive(ByteBuffer dst) {
            return socket.receive(dst);
        }

        @Override
        public int readable() {
            return socket.readable();
        }

        @Override
        public void onReadable(Runnable callback) {
            onReadable = callback;
            if (socket.readable() > 0) {
                loop.execute(callback); // data that arrived before the callback was set
            }
        }

        @Override
        public void onWritable(Runnable callback) {
            onWritable = callback;
        }

        @Override
        public AppFuture<CloseReason> closed() {
            return closed;
        }

        @Override
        public void close() {
            userClosed = true;
            socket.close();
        }

        @Override
        public void abort() {
            userClosed = true;
            socket.abort();
        }

        @Override
        public TcpStatus status() {
            return socket.status();
        }
    }
}
