package io.sansnet.sim;

import io.sansnet.stack.app.App;
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
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.host.HostCounters;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpConfig;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpLayerTransport;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.IpAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A simulated host: the real sans-io {@link Host} driven by the simulation's clock, and the {@link AppHost} its
 * applications use. Application callbacks, timers and futures run as simulation events, never inside a call into the
 * stack. A crash throws the stack away (sockets, timers, pending pings and reassembly state are lost); a restart boots
 * a fresh stack and starts the installed {@link App}s again.
 *
 * <p>TCP: each boot attaches a fresh {@link TcpLayer} to the stack, and the host is the application's
 * {@link TcpTransport} ({@code connect}, {@code listen}). Stream callbacks run inside the layer's calls (after its
 * bookkeeping), as {@link TcpLayerTransport} documents; segments a user call queues leave at once. Streams die with
 * the stack generation they were opened in.
 */
public final class SimHost extends Node implements AppHost, TcpTransport {

    private final HostConfig config;
    private final SplitMix64 bootRng;
    private final List<App> apps = new ArrayList<>();
    private Host stack;
    /** Incremented by every crash: callbacks, timers and sockets of an older generation are dead. */
    private int generation;

    private int boots;
    private Cancellable stackTimer;
    private long stackTimerAt = Long.MAX_VALUE;
    private final Pinger pinger;
    private final SplitMix64 tcpRng;
    /** The TCP layer attached to the running stack (null while crashed), and its application interface. */
    private TcpLayer tcp;

    private TcpLayerTransport tcpTransport;
    /** True inside a call into the stack: a user call made from a callback there is flushed when the call returns. */
    private boolean inStack;

    SimHost(Simulation sim, String name, HostConfig config) {
        super(sim, name, addressesOf(config));
        this.config = config;
        this.bootRng = sim.rng("host:" + name);
        this.pinger = new Pinger(this, sim.rng("host:" + name + ":ping"));
        this.tcpRng = sim.rng("host:" + name + ":tcp");
        sim.schedule(0, this::boot);
    }

    private static List<IpAddress> addressesOf(HostConfig c) {
        List<IpAddress> a = new ArrayList<>();
        a.add(c.ipv4Address());
        if (c.ipv6Address() != null) {
            a.add(c.ipv6Address());
        }
        return a;
    }

    /** True between a boot and a crash. */
    public boolean isUp() {
        return stack != null;
    }

    /** How many times the host booted (1 after the first boot). */
    public int boots() {
        return boots;
    }

    /** The running stack, or null while crashed (for counters and white-box tests). */
    public Host stack() {
        return stack;
    }

    /** The running stack's counters; throws while crashed. */
    public HostCounters counters() {
        if (stack == null) {
            throw new IllegalStateException(name() + " is down");
        }
        return stack.counters();
    }

    /** Starts {@code app} on every boot (now, if the host is up). */
    public void install(App app) {
        apps.add(Objects.requireNonNull(app, "app"));
        if (isUp()) {
            int gen = generation;
            sim.schedule(0, () -> {
                if (gen == generation) {
                    app.start(this);
                }
            });
        }
    }

    /** Crashes the host now: its stack and everything in it are lost. */
    public void crash() {
        if (stack == null) {
            return;
        }
        stack = null;
        tcp = null;
        tcpTransport = null;
        generation++;
        if (stackTimer != null) {
            stackTimer.cancel();
            stackTimer = null;
        }
        stackTimerAt = Long.MAX_VALUE;
        pinger.clear();
        sim.record(this, EventKind.CRASH, new byte[0]);
    }

    /** Boots a fresh stack now (after a crash) and starts the installed apps. */
    public void restart() {
        if (stack == null) {
            boot();
        }
    }

    /** Crashes at {@code atNanos} and boots again at {@code restartNanos}. */
    public void scheduleCrash(long atNanos, long restartNanos) {
        if (restartNanos < atNanos) {
            throw new IllegalArgumentException("restart before crash");
        }
        sim.scheduleAt(atNanos, this::crash);
        sim.scheduleAt(restartNanos, this::restart);
    }

    private void boot() {
        if (stack != null) {
            return;
        }
        boots++;
        HostConfig c = config.withMtu(Math.min(Math.max(linkMtu(), minMtu()), HostConfig.MAX_MTU));
        stack = new Host(c, bootRng.fork("boot-" + boots));
        tcp = new TcpLayer(c, tcpConfig(), TcpLayer.Limits.DEFAULT, tcpRng.fork("boot-" + boots));
        stack.attachTcp(tcp);
        tcpTransport = new TcpLayerTransport(tcp, this);
        sim.record(this, EventKind.BOOT, new byte[0]);
        int gen = generation;
        for (App app : List.copyOf(apps)) {
            sim.schedule(0, () -> {
                if (gen == generation) {
                    app.start(this);
                }
            });
        }
        flush();
    }

    private int minMtu() {
        return config.hasIpv6() ? HostConfig.MIN_MTU_V6 : HostConfig.MIN_MTU_V4;
    }

    @Override
    void arrive(byte[] packet) {
        if (stack == null) {
            sim.record(this, EventKind.HOST_DOWN_DROP, packet);
            return;
        }
        sim.record(this, EventKind.RECEIVE, packet);
        sim.observe(this, PacketObserver.Direction.IN, packet);
        pinger.inspect(packet);
        inStack = true;
        try {
            stack.receive(packet, sim.nowNanos());
        } finally {
            inStack = false;
        }
        flush();
    }

    /** Sends what the stack has queued and re-arms its timer. */
    void flush() {
        if (stack == null) {
            return;
        }
        long now = sim.nowNanos();
        for (byte[] p; (p = stack.pollTransmit(now)) != null; ) {
            emit(p);
        }
        long t = stack.pollTimeout();
        if (t != stackTimerAt) {
            if (stackTimer != null) {
                stackTimer.cancel();
                stackTimer = null;
            }
            stackTimerAt = t;
            if (t != Long.MAX_VALUE) {
                stackTimer = sim.scheduleAt(Math.max(t, now), this::onStackTimer);
            }
        }
    }

    private void onStackTimer() {
        stackTimer = null;
        stackTimerAt = Long.MAX_VALUE;
        if (stack != null) {
            inStack = true;
            try {
                stack.handleTimeout(sim.nowNanos());
            } finally {
                inStack = false;
            }
            flush();
        }
    }

    /** After a user call into the TCP layer: sends what it queued, unless a stack call in progress will. */
    private void flushAfterUserCall() {
        if (!inStack) {
            flush();
        }
    }

    /** The TCP layer of the running stack, or null while crashed (for counters and white-box tests). */
    public TcpLayer tcp() {
        return tcp;
    }

    /** The connection settings of the host's TCP layer (its buffer bounds, timers): {@link TcpConfig#DEFAULT}. */
    public TcpConfig tcpConfig() {
        return TcpConfig.DEFAULT;
    }

    /** Emits a packet built outside the stack (the pinger's echo requests). */
    void emitRaw(byte[] packet) {
        if (stack != null) {
            emit(packet);
        }
    }

    // ---- AppHost ----

    @Override
    public long nowNanos() {
        return sim.nowNanos();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        int gen = generation;
        return sim.schedule(delayNanos, () -> {
            if (gen == generation) {
                task.run();
            }
        });
    }

    @Override
    public AppResult<UdpSocket> bindUdp(int port, UdpHandler handler) {
        if (port < 1 || port > 65535) {
            return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port must be 1..65535: " + port);
        }
        return bind(port, handler);
    }

    @Override
    public AppResult<UdpSocket> bindUdp(UdpHandler handler) {
        return bind(0, handler);
    }

    private AppResult<UdpSocket> bind(int port, UdpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (stack == null) {
            return AppResult.err(AppError.Kind.CLOSED, name() + " is down");
        }
        SimUdpSocket s = new SimUdpSocket(generation, handler);
        AppResult<io.sansnet.stack.host.UdpSocket> r = stack.bind(port, s::fromStack);
        if (r instanceof AppResult.Err<io.sansnet.stack.host.UdpSocket> e) {
            return new AppResult.Err<>(e.error());
        }
        s.inner = r.value();
        return AppResult.ok(s);
    }

    @Override
    public AppFuture<Long> ping(IpAddress destination, byte[] payload, long timeoutNanos) {
        if (stack == null) {
            Promise<Long> p = newPromise();
            p.fail(new AppError(AppError.Kind.CLOSED, name() + " is down"));
            return p;
        }
        return pinger.ping(destination, payload, timeoutNanos);
    }

    // ---- TcpTransport ----

    @Override
    public AppFuture<TcpStream> connect(IpAddress address, int port) {
        if (stack == null) {
            Promise<TcpStream> p = newPromise();
            p.fail(new AppError(AppError.Kind.CLOSED, name() + " is down"));
            return p;
        }
        int gen = generation;
        Promise<TcpStream> f = newPromise(); // as map() does
        tcpTransport.connect(address, port).onComplete(r -> {
            if (r instanceof AppResult.Ok<TcpStream> ok) {
                f.complete(new SimTcpStream(gen, ok.value()));
            } else {
                f.fail(r.error());
            }
        });
        flushAfterUserCall();
        return f;
    }

    @Override
    public AppResult<TcpServer> listen(int port, int backlog, Consumer<TcpStream> acceptHandler) {
        Objects.requireNonNull(acceptHandler, "acceptHandler");
        if (stack == null) {
            return AppResult.err(AppError.Kind.CLOSED, name() + " is down");
        }
        int gen = generation;
        AppResult<TcpServer> r =
                tcpTransport.listen(port, backlog, s -> acceptHandler.accept(new SimTcpStream(gen, s)));
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
                if (gen == generation) {
                    inner.close();
                    flushAfterUserCall();
                }
            }
        });
    }

    /**
     * A TCP stream that sends what a user call queued (the stack only transmits when polled) and dies with the stack
     * generation it was opened in: after a crash its calls do nothing, as the connection no longer exists.
     */
    private final class SimTcpStream implements TcpStream {
        private final int gen;
        private final TcpStream inner;

        SimTcpStream(int gen, TcpStream inner) {
            this.gen = gen;
            this.inner = inner;
        }

        private boolean alive() {
            return gen == generation && stack != null;
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
            if (!alive()) {
                return 0;
            }
            int n = inner.send(src);
            flushAfterUserCall();
            return n;
        }

        @Override
        public int receive(ByteBuffer dst) {
            if (!alive()) {
                return -1;
            }
            int n = inner.receive(dst);
            flushAfterUserCall(); // a window update may be due
            return n;
        }

        @Override
        public int readable() {
            return alive() ? inner.readable() : 0;
        }

        @Override
        public void onReadable(Runnable callback) {
            inner.onReadable(callback);
        }

        @Override
        public void onWritable(Runnable callback) {
            inner.onWritable(callback);
        }

        @Override
        public AppFuture<CloseReason> closed() {
            return inner.closed();
        }

        @Override
        public void close() {
            if (alive()) {
                inner.close();
                flushAfterUserCall();
            }
        }

        @Override
        public void abort() {
            if (alive()) {
                inner.abort();
                flushAfterUserCall();
            }
        }

        @Override
        public TcpStatus status() {
            return inner.status();
        }

        @Override
        public String toString() {
            return name() + ":tcp/" + localPort() + "->" + remoteAddress() + ":" + remotePort();
        }
    }

    /** A socket handle that dies with the stack generation it was bound in. */
    private final class SimUdpSocket implements UdpSocket {
        private final int gen;
        private final UdpHandler handler;
        io.sansnet.stack.host.UdpSocket inner;

        SimUdpSocket(int gen, UdpHandler handler) {
            this.gen = gen;
            this.handler = handler;
        }

        /** Called inside the stack's receive: hand the datagram to the application as a separate event. */
        void fromStack(UdpSocket ignored, Datagram d) {
            sim.schedule(0, () -> {
                if (isOpen()) {
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
            if (!isOpen()) {
                return AppResult.err(AppError.Kind.CLOSED, "socket " + localPort() + " on " + name() + " is closed");
            }
            AppResult<Void> r = inner.send(destination, port, payload);
            flush();
            return r;
        }

        @Override
        public void close() {
            if (gen == generation && inner.isOpen()) {
                inner.close();
            }
        }

        @Override
        public boolean isOpen() {
            return gen == generation && stack != null && inner.isOpen();
        }

        @Override
        public String toString() {
            return name() + ":udp/" + localPort() + (isOpen() ? "" : " (closed)");
        }
    }

    /** Echo requests in flight, keyed by sequence number. */
    static final class Pinger {
        private final SimHost host;
        private final int identifier;
        private int nextSequence;
        private final Map<Integer, Pending> pending = new LinkedHashMap<>();

        record Pending(Promise<Long> promise, long sentAt, Cancellable timeout, IpAddress destination) {}

        Pinger(SimHost host, SplitMix64 rng) {
            this.host = host;
            this.identifier = rng.nextInt(0x10000);
        }

        AppFuture<Long> ping(IpAddress dst, byte[] payload, long timeoutNanos) {
            Promise<Long> p = host.newPromise();
            IpAddress src = host.address(dst.version());
            if (src == null) {
                p.fail(new AppError(AppError.Kind.NO_ROUTE, host.name() + " has no IPv" + dst.version() + " address"));
                return p;
            }
            int seq = nextSequence;
            nextSequence = (nextSequence + 1) & 0xFFFF;
            byte[] packet = EchoPackets.request(src, dst, identifier, seq, payload, 64);
            if (packet.length > host.linkMtu()) {
                p.fail(new AppError(AppError.Kind.MESSAGE_TOO_BIG, "echo request larger than the MTU"));
                return p;
            }
            Cancellable t = host.schedule(timeoutNanos, () -> {
                Pending gone = pending.remove(seq);
                if (gone != null) {
                    gone.promise.fail(new AppError(AppError.Kind.TIMED_OUT, "no echo reply from " + dst));
                }
            });
            Pending old = pending.put(seq, new Pending(p, host.nowNanos(), t, dst));
            if (old != null) {
                old.timeout.cancel();
                old.promise.fail(new AppError(AppError.Kind.TIMED_OUT, "sequence number reused"));
            }
            host.emitRaw(packet);
            return p;
        }

        void inspect(byte[] packet) {
            EchoPackets.Reply r = EchoPackets.parseReply(packet);
            if (r == null || r.identifier() != identifier) {
                return;
            }
            Pending p = pending.get(r.sequence());
            if (p != null && p.destination.equals(r.source())) {
                pending.remove(r.sequence());
                p.timeout.cancel();
                p.promise.complete(host.nowNanos() - p.sentAt);
            }
        }

        void clear() {
            pending.clear();
        }
    }
}
