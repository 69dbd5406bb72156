package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.app.TcpServer;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.app.UdpHandler;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpLayerTransport;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.PseudoHeader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The application interface ({@link AppHost}, {@link TcpTransport}) of a running {@link TunHost}: the same application
 * code that runs on a simulated host runs here against the Linux kernel on the other side of a TUN device.
 *
 * <h2>Threading model</h2>
 *
 * The owning loop is the {@link TunHost}'s loop thread (see {@link DriverLoop}). Every callback — UDP handlers, timer
 * tasks, {@link AppFuture#onComplete} callbacks, TCP accept handlers and {@link TcpStream#onReadable}/
 * {@link TcpStream#onWritable} callbacks — runs on that thread, one at a time. UDP handlers and future callbacks run as
 * tasks of their own; TCP stream callbacks run inside the TCP layer's processing, after its bookkeeping, as
 * {@link TcpLayerTransport} documents (calls back into the stream from there are allowed). Application code is meant to
 * run on the loop (started from {@link #execute} or a callback). Calls from other threads are still safe: every method
 * of this class, of its {@link UdpSocket}s, {@link TcpStream}s and {@link TcpServer}s is handed to the loop while the
 * caller waits (at most {@link #CROSS_THREAD_WAIT}; the answer is then a CLOSED error, 0 octets, or -1) — except
 * {@link #schedule} and {@link #execute}, which only queue. Futures must be read on the loop; another thread waits for
 * one with {@link #await}.
 *
 * <h2>Clock and timers</h2>
 *
 * {@link #nowNanos()} is the loop's clock ({@link DriverLoop#nowNanos()}): on the loop, the time read at the start of
 * the current iteration, the same time the stack is given; elsewhere a fresh reading. Timers are the loop's own
 * ({@link DriverLoop#scheduleAt}): its {@code ppoll(2)} waits until the earliest of the stack's and the application's
 * deadlines, so no extra thread is involved; a timer task never sees {@link #nowNanos()} before its due time.
 *
 * <h2>Ping</h2>
 *
 * Echo requests are built here and sent with {@link Host#sendIp}; the host reports echo replies through
 * {@link Host#onEchoReply} (after reassembly, so fragmented replies are seen too).
 *
 * <h2>TCP</h2>
 *
 * A {@link TcpLayer} attached to the host ({@link #start} makes one) serves {@link #connect} and {@link #listen}
 * through {@link TcpLayerTransport}. Connect failures are values: {@link AppError.Kind#REFUSED} (a RST answered the
 * SYN), {@link AppError.Kind#RESET}, {@link AppError.Kind#TIMED_OUT}, {@link AppError.Kind#NO_ROUTE}. Besides the
 * callback style of {@link TcpTransport#listen}, {@link #listen(int, int)} gives an {@link Acceptor} whose
 * {@link Acceptor#accept()} is a future. {@link #close()} aborts every connection (RST) before the loop stops.
 */
public final class TunAppHost implements AppHost, TcpTransport, AutoCloseable {

    /** How long a thread other than the loop waits for the loop to carry out a call before it fails with CLOSED. */
    public static final Duration CROSS_THREAD_WAIT = Duration.ofSeconds(10);

    /**
     * Cancelled timers still waiting in the loop's queue after which they are removed at once (rather than when due),
     * so scheduling and cancelling long timeouts again and again cannot fill the memory.
     */
    public static final int CANCELLED_TIMERS_PURGE_THRESHOLD = 1024;

    /** Largest echo payload: what fits in one IPv4 datagram after the IP and ICMP headers (RFC 791). */
    public static final int MAX_PING_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH - 8;

    private final TunHost loop;
    private final Host host;
    private final TcpLayer tcp;
    private final TcpLayerTransport tcpTransport;
    private final String name;
    private final List<IpAddress> addresses;
    private final Pinger pinger;
    private volatile boolean closed;
    /** Timers cancelled while waiting in the loop's queue (counted until a purge removes them). */
    private final AtomicInteger cancelledWaiting = new AtomicInteger();

    private TunAppHost(TunHost loop, TcpLayer tcp) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.host = loop.host();
        this.tcp = tcp;
        this.tcpTransport = tcp == null ? null : new TcpLayerTransport(tcp, this);
        this.name = loop.device().name();
        HostConfig c = host.config();
        List<IpAddress> a = new ArrayList<>();
        a.add(c.ipv4Address());
        if (c.ipv6Address() != null) {
            a.add(c.ipv6Address());
        }
        this.addresses = List.copyOf(a);
        this.pinger = new Pinger(identifierFor(this));
    }

    /**
     * Wraps {@code loop}, which must have been started; {@code tcp} is the TCP layer attached to its host, or null (then
     * {@link #connect} and {@link #listen} fail with {@link AppError.Kind#UNSUPPORTED}). Registers the echo-reply
     * listener on the loop; throws {@link IllegalStateException} if the loop does not run it within
     * {@link #CROSS_THREAD_WAIT}.
     */
    public static TunAppHost wrap(TunHost loop, TcpLayer tcp) {
        TunAppHost h = new TunAppHost(loop, tcp);
        AppResult<Void> r = h.onLoop(() -> {
            h.host.onEchoReply(h.pinger::answer);
            return AppResult.ok(null);
        });
        if (!r.isOk()) {
            throw new IllegalStateException("the loop of " + h.name + " does not run: " + r.error());
        }
        return h;
    }

    /**
     * Runs {@code host} on {@code device} (see {@link TunHost}) with a fresh {@link TcpLayer} attached (seeded from
     * {@code SplitMix64.derive(seed, "tcp")}, replacing any attached before), recording into {@code recorder} (null:
     * none), starts the loop and returns its application interface. {@link #close()} stops the loop and closes the
     * device.
     */
    public static TunAppHost start(TunDevice device, Host host, FaultSpec spec, long seed, PacketRecorder recorder)
            throws NativeException {
        TcpLayer tcp = new TcpLayer(host.config(), new SplitMix64(SplitMix64.derive(seed, "tcp")));
        return start(device, host, tcp, spec, seed, recorder);
    }

    /** As {@link #start(TunDevice, Host, FaultSpec, long, PacketRecorder)} with the caller's {@code tcp} (or none). */
    public static TunAppHost start(
            TunDevice device, Host host, TcpLayer tcp, FaultSpec spec, long seed, PacketRecorder recorder)
            throws NativeException {
        host.attachTcp(tcp);
        TunHost loop = new TunHost(device, host, spec, seed, recorder);
        TunAppHost h = new TunAppHost(loop, tcp);
        host.onEchoReply(h.pinger::answer); // before start: the host is still ours
        loop.start();
        return h;
    }

    private static int identifierFor(Object o) {
        return (int) ((ProcessHandle.current().pid() * 31 + System.identityHashCode(o)) & 0xFFFF);
    }

    /** The driver loop underneath (for counters, and to close it). */
    public TunHost loop() {
        return loop;
    }

    /** The TCP layer (null when there is none): touch it on the loop only, or after {@link #close()}. */
    public TcpLayer tcp() {
        return tcp;
    }

    /** True when the caller runs on the owning loop. */
    public boolean inLoop() {
        return loop.inLoop();
    }

    /**
     * Aborts every TCP connection (their RSTs leave in the loop's last iteration), stops the loop and closes the
     * device. Idempotent; any thread but the loop's.
     */
    @Override
    public void close() {
        if (tcp != null && !closed && loop.failure() == null) {
            onLoop(() -> {
                tcp.abortAll();
                return AppResult.ok(null);
            });
        }
        closed = true;
        loop.close();
    }

    /**
     * Waits on a thread other than the loop until {@code future} completes, at most {@code timeout}; a future not done
     * by then gives {@link AppError.Kind#TIMED_OUT}.
     */
    public <T> AppResult<T> await(AppFuture<T> future, Duration timeout) {
        if (inLoop()) {
            throw new IllegalStateException("await blocks: call it from another thread, not the loop");
        }
        CompletableFuture<AppResult<T>> done = new CompletableFuture<>();
        loop.execute(() -> future.onComplete(done::complete));
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AppResult.err(AppError.Kind.TIMED_OUT, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return AppResult.err(AppError.Kind.TIMED_OUT, "not done within " + timeout);
        }
    }

    // ---- EventLoop ----

    @Override
    public long nowNanos() {
        return loop.nowNanos();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        Timer t = new Timer(task, delayNanos > 0);
        if (delayNanos <= 0) {
            loop.execute(t);
        } else if (inLoop()) {
            loop.scheduleAt(loop.nowNanos() + delayNanos, t);
        } else {
            long at = loop.nowNanos() + delayNanos;
            loop.execute(() -> loop.scheduleAt(at, t));
        }
        return t::cancel;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(Objects.requireNonNull(task, "task"));
    }

    // ---- AppHost ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<IpAddress> addresses() {
        return addresses;
    }

    @Override
    public AppResult<UdpSocket> bindUdp(int port, UdpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (port < 1 || port > 65535) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port must be 1..65535: " + port);
        }
        return onLoop(() -> bindOnLoop(port, handler));
    }

    @Override
    public AppResult<UdpSocket> bindUdp(UdpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return onLoop(() -> bindOnLoop(0, handler));
    }

    private AppResult<UdpSocket> bindOnLoop(int port, UdpHandler handler) {
        TunUdpSocket s = new TunUdpSocket(handler);
        AppResult<io.sansnet.stack.host.UdpSocket> r = host.bind(port, s::fromStack);
        if (r instanceof AppResult.Err<io.sansnet.stack.host.UdpSocket> e) {
            return new AppResult.Err<>(e.error());
        }
        s.inner = r.value();
        return AppResult.ok(s);
    }

    @Override
    public AppFuture<Long> ping(IpAddress destination, byte[] payload, long timeoutNanos) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        byte[] data = payload.clone();
        return onLoopFuture(() -> pingOnLoop(destination, data, timeoutNanos));
    }

    private <T> AppFuture<T> failed(AppError e) {
        Promise<T> p = newPromise();
        p.fail(e);
        return p;
    }

    /** A future made on the loop (directly, or handed over); a loop that does not answer gives a failed future. */
    private <T> AppFuture<T> onLoopFuture(Supplier<AppFuture<T>> call) {
        AppResult<AppFuture<T>> r = onLoop(() -> AppResult.ok(call.get()));
        return r.isOk() ? r.value() : failed(r.error());
    }

    /**
     * Runs {@code call} on the loop: directly when already there, else handed over while this thread waits (failing
     * with CLOSED when the loop does not answer within {@link #CROSS_THREAD_WAIT}).
     */
    private <T> AppResult<T> onLoop(Supplier<AppResult<T>> call) {
        if (inLoop()) {
            return call.get();
        }
        if (closed || loop.failure() != null) {
            return AppResult.err(AppError.Kind.CLOSED, name + " is closed");
        }
        return LoopCalls.await(loop::execute, call, name, CROSS_THREAD_WAIT);
    }

    // ---- TcpTransport ----

    @Override
    public AppFuture<TcpStream> connect(IpAddress address, int port) {
        Objects.requireNonNull(address, "address");
        if (tcp == null) {
            return failed(new AppError(AppError.Kind.UNSUPPORTED, name + " has no TCP layer"));
        }
        if (port < 1 || port > 65535) {
            return failed(new AppError(AppError.Kind.INVALID_ARGUMENT, "port must be 1..65535: " + port));
        }
        return onLoopFuture(() -> {
            Promise<TcpStream> p = newPromise();
            tcpTransport.connect(address, port).onComplete(r -> {
                if (r instanceof AppResult.Ok<TcpStream> ok) {
                    p.complete(new TunTcpStream(ok.value()));
                } else {
                    p.fail(r.error());
                }
            });
            return p;
        });
    }

    /**
     * {@inheritDoc} The handler runs on the loop with a stream whose methods may also be called from other threads.
     */
    @Override
    public AppResult<TcpServer> listen(int port, int backlog, Consumer<TcpStream> acceptHandler) {
        Objects.requireNonNull(acceptHandler, "acceptHandler");
        AppResult<TcpServer> r = listenStreams(port, backlog, acceptHandler);
        if (!r.isOk()) {
            return r;
        }
        TcpServer inner = r.value();
        return AppResult.ok(new TcpServer() {
            @Override
            public int localPort() {
                return inner.localPort();
            }

            @Override
            public void close() {
                onLoop(() -> {
                    inner.close();
                    return AppResult.ok(null);
                });
            }

            @Override
            public String toString() {
                return name + ":tcp/" + inner.localPort() + " (listening)";
            }
        });
    }

    private AppResult<TcpServer> listenStreams(int port, int backlog, Consumer<TcpStream> acceptHandler) {
        if (tcp == null) {
            return AppResult.err(AppError.Kind.UNSUPPORTED, name + " has no TCP layer");
        }
        if (port < 1 || port > 65535) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port must be 1..65535: " + port);
        }
        return onLoop(() -> tcpTransport.listen(port, backlog, s -> acceptHandler.accept(new TunTcpStream(s))));
    }

    /**
     * Passive OPEN with futures: established connections wait (at most {@code backlog} of them; more are aborted) until
     * {@link Acceptor#accept()} takes them. Fails as {@link #listen(int, int, Consumer)} does.
     */
    public AppResult<Acceptor> listen(int port, int backlog) {
        if (backlog < 1) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "backlog must be at least 1: " + backlog);
        }
        Acceptor a = new Acceptor(backlog);
        AppResult<TcpServer> r = listenStreams(port, backlog, a::arrived);
        if (!r.isOk()) {
            return AppResult.err(r.error().kind(), r.error().detail());
        }
        a.server = r.value();
        return AppResult.ok(a);
    }

    /** A listening port whose connections are taken with a future ({@link #accept()}). Any thread. */
    public final class Acceptor implements TcpServer {
        private final int backlog;
        /** Loop thread only: established streams not yet taken, and accepts waiting for one. */
        private final ArrayDeque<TcpStream> ready = new ArrayDeque<>();

        private final ArrayDeque<Promise<TcpStream>> waiting = new ArrayDeque<>();
        private volatile TcpServer server;
        private boolean closedOnLoop;

        private Acceptor(int backlog) {
            this.backlog = backlog;
        }

        private void arrived(TcpStream s) {
            Promise<TcpStream> w = waiting.poll();
            if (w != null) {
                w.complete(s);
            } else if (ready.size() < backlog) {
                ready.add(s);
            } else {
                s.abort(); // nobody takes it: the backlog is full
            }
        }

        /** The next established connection; fails with CLOSED once this acceptor is closed. */
        public AppFuture<TcpStream> accept() {
            return onLoopFuture(() -> {
                Promise<TcpStream> p = newPromise();
                if (closedOnLoop) {
                    p.fail(new AppError(AppError.Kind.CLOSED, this + " is closed"));
                } else if (!ready.isEmpty()) {
                    p.complete(ready.poll());
                } else {
                    waiting.add(p);
                }
                return p;
            });
        }

        @Override
        public int localPort() {
            return server.localPort();
        }

        /** Stops listening; connections not yet taken are aborted and waiting accepts fail with CLOSED. */
        @Override
        public void close() {
            onLoop(() -> {
                if (!closedOnLoop) {
                    closedOnLoop = true;
                    server.close();
                    for (TcpStream s; (s = ready.poll()) != null; ) {
                        s.abort();
                    }
                    for (Promise<TcpStream> p; (p = waiting.poll()) != null; ) {
                        p.fail(new AppError(AppError.Kind.CLOSED, this + " is closed"));
                    }
                }
                return AppResult.ok(null);
            });
        }

        @Override
        public String toString() {
            return name + ":tcp/" + server.localPort() + " (acceptor)";
        }
    }

    /** A connection whose calls are handed to the loop when made from another thread. */
    private final class TunTcpStream implements TcpStream {
        private final TcpStream inner;

        TunTcpStream(TcpStream inner) {
            this.inner = inner;
        }

        @Override
        public IpAddress localAddress() {
            return inner.localAddress();
        }

        @Override
        public int localPort() {
            return inner.localPort();
        }

        @Override
        public IpAddress remoteAddress() {
            return inner.remoteAddress();
        }

        @Override
        public int remotePort() {
            return inner.remotePort();
        }

        @Override
        public int send(ByteBuffer src) {
            Objects.requireNonNull(src, "src");
            if (inLoop()) {
                return inner.send(src);
            }
            AppResult<Integer> r = onLoop(() -> AppResult.ok(inner.send(src)));
            return r.isOk() ? r.value() : 0;
        }

        @Override
        public int receive(ByteBuffer dst) {
            Objects.requireNonNull(dst, "dst");
            if (inLoop()) {
                return inner.receive(dst);
            }
            AppResult<Integer> r = onLoop(() -> AppResult.ok(inner.receive(dst)));
            return r.isOk() ? r.value() : -1;
        }

        @Override
        public int readable() {
            if (inLoop()) {
                return inner.readable();
            }
            AppResult<Integer> r = onLoop(() -> AppResult.ok(inner.readable()));
            return r.isOk() ? r.value() : 0;
        }

        @Override
        public void onReadable(Runnable callback) {
            Objects.requireNonNull(callback, "callback");
            onLoop(() -> {
                inner.onReadable(callback);
                return AppResult.ok(null);
            });
        }

        @Override
        public void onWritable(Runnable callback) {
            Objects.requireNonNull(callback, "callback");
            onLoop(() -> {
                inner.onWritable(callback);
                return AppResult.ok(null);
            });
        }

        @Override
        public AppFuture<CloseReason> closed() {
            return inner.closed();
        }

        @Override
        public void close() {
            onLoop(() -> {
                inner.close();
                return AppResult.ok(null);
            });
        }

        @Override
        public void abort() {
            onLoop(() -> {
                inner.abort();
                return AppResult.ok(null);
            });
        }

        /** The status; null when called from another thread after the loop ended. */
        @Override
        public TcpStatus status() {
            if (inLoop()) {
                return inner.status();
            }
            AppResult<TcpStatus> r = onLoop(() -> AppResult.ok(inner.status()));
            return r.isOk() ? r.value() : null;
        }

        @Override
        public String toString() {
            return name + ":tcp/" + localPort() + "->" + remoteAddress() + ":" + remotePort();
        }
    }

    // ---- ping ----

    private AppFuture<Long> pingOnLoop(IpAddress dst, byte[] payload, long timeoutNanos) {
        IpAddress src = address(dst.version());
        if (src == null) {
            return failed(new AppError(AppError.Kind.NO_ROUTE, name + " has no IPv" + dst.version() + " address"));
        }
        if (payload.length > MAX_PING_PAYLOAD) {
            return failed(new AppError(AppError.Kind.MESSAGE_TOO_BIG, "echo payload over " + MAX_PING_PAYLOAD));
        }
        return pinger.ping(src, dst, payload, timeoutNanos);
    }

    /** Echo requests in flight, keyed by sequence number (loop thread only). */
    private final class Pinger {
        private final int identifier;
        private final Map<Integer, Pending> pending = new LinkedHashMap<>();
        private int nextSequence;

        private record Pending(Promise<Long> promise, long sentAt, Cancellable timeout, IpAddress destination) {}

        Pinger(int identifier) {
            this.identifier = identifier;
        }

        AppFuture<Long> ping(IpAddress src, IpAddress dst, byte[] payload, long timeoutNanos) {
            Promise<Long> p = newPromise();
            int seq = nextSequence;
            nextSequence = (nextSequence + 1) & 0xFFFF;
            int hops = host.config().hopLimit();
            boolean sent;
            if (src instanceof Ipv4Address s4 && dst instanceof Ipv4Address d4) {
                // RFC 792: echo request, type 8
                byte[] icmp = Icmpv4Message.echoRequest(identifier, seq, Bytes.copyOf(payload))
                        .encode();
                Ipv4Header h = Ipv4Header.builder(s4, d4, IpProtocol.ICMP)
                        .identification(seq) // unique per source for the datagram's lifetime (RFC 6864)
                        .ttl(hops)
                        .payloadLength(icmp.length)
                        .build();
                sent = host.sendIp(Ipv4Packet.of(h, Bytes.copyOf(icmp)));
            } else {
                Ipv6Address s6 = (Ipv6Address) src;
                Ipv6Address d6 = (Ipv6Address) dst;
                // RFC 4443 §4.1: echo request, type 128; the checksum covers the pseudo-header (§2.3)
                byte[] icmp = Icmpv6Message.echoRequest(identifier, seq, Bytes.copyOf(payload))
                        .encode(new PseudoHeader(s6, d6));
                Ipv6Header h = Ipv6Header.of(s6, d6, IpProtocol.ICMPV6, hops, icmp.length);
                sent = host.sendIp(Ipv6Packet.of(h, IpProtocol.ICMPV6, Bytes.copyOf(icmp)));
            }
            if (!sent) {
                p.fail(new AppError(AppError.Kind.MESSAGE_TOO_BIG, "the host dropped the echo request"));
                return p;
            }
            Cancellable t = schedule(timeoutNanos, () -> {
                Pending gone = pending.remove(seq);
                if (gone != null) {
                    gone.promise.fail(new AppError(AppError.Kind.TIMED_OUT, "no echo reply from " + dst));
                }
            });
            Pending old = pending.put(seq, new Pending(p, nowNanos(), t, dst));
            if (old != null) {
                old.timeout.cancel();
                old.promise.fail(new AppError(AppError.Kind.TIMED_OUT, "sequence number reused"));
            }
            return p;
        }

        /** Called by the host inside its receive, on the loop. */
        void answer(Host.EchoReply r) {
            if (r.identifier() != identifier || !addresses.contains(r.destination())) {
                return;
            }
            Pending p = pending.get(r.sequence());
            if (p != null && p.destination.equals(r.source())) {
                pending.remove(r.sequence());
                p.timeout.cancel();
                p.promise.complete(nowNanos() - p.sentAt);
            }
        }
    }

    // ---- UDP ----

    /** A bound port; its handler runs as a loop task of its own, never inside the stack's receive. */
    private final class TunUdpSocket implements UdpSocket {
        private final UdpHandler handler;
        private volatile io.sansnet.stack.host.UdpSocket inner;

        TunUdpSocket(UdpHandler handler) {
            this.handler = handler;
        }

        /** Called inside the stack's receive on the loop: hand the datagram over as a separate task. */
        void fromStack(io.sansnet.stack.app.UdpSocket ignored, Datagram d) {
            execute(() -> {
                if (inner.isOpen()) {
                    handler.onDatagram(this, d);
                }
            });
        }

        @Override
        public int localPort() {
            return inner.localPort();
        }

        @Override
        public AppResult<Void> send(IpAddress destination, int port, byte[] payload) {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(payload, "payload");
            byte[] data = inLoop() ? payload : payload.clone();
            return onLoop(() -> {
                if (!inner.isOpen()) {
                    return AppResult.err(AppError.Kind.CLOSED, "socket " + localPort() + " on " + name + " is closed");
                }
                return inner.send(destination, port, data);
            });
        }

        @Override
        public void close() {
            onLoop(() -> {
                inner.close();
                return AppResult.ok(null);
            });
        }

        @Override
        public boolean isOpen() {
            if (inLoop()) {
                return inner.isOpen();
            }
            AppResult<Boolean> r = onLoop(() -> AppResult.ok(inner.isOpen()));
            return r.isOk() && r.value();
        }

        @Override
        public String toString() {
            return name + ":udp/" + localPort();
        }
    }

    // ---- timers ----

    private static boolean isCancelledTimer(Runnable r) {
        return r instanceof TunAppHost.Timer t && t.state.get() == Timer.CANCELLED;
    }

    /** One scheduled task: pending until it fires or is cancelled, whichever comes first. */
    private final class Timer implements Runnable {
        private static final int PENDING = 0;
        private static final int FIRED = 1;
        private static final int CANCELLED = 2;
        private final Runnable task;
        private final boolean queued;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        Timer(Runnable task, boolean queued) {
            this.task = task;
            this.queued = queued;
        }

        /** On the loop: fires unless cancelled. */
        @Override
        public void run() {
            if (state.compareAndSet(PENDING, FIRED)) {
                task.run();
            } else if (queued) {
                cancelledWaiting.decrementAndGet(); // cancelled, and due before a purge removed it
            }
        }

        boolean cancel() {
            if (!state.compareAndSet(PENDING, CANCELLED)) {
                return false;
            }
            if (queued && cancelledWaiting.incrementAndGet() == CANCELLED_TIMERS_PURGE_THRESHOLD) {
                loop.execute(() -> cancelledWaiting.addAndGet(-loop.removeTimers(TunAppHost::isCancelledTimer)));
            }
            return true;
        }
    }
}
