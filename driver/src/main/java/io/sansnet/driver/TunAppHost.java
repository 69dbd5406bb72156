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
import io.sansnet.stack.app.UdpHandler;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The application interface ({@link AppHost}) of a running {@link TunHost}: the same application code that runs on a
 * simulated host runs here against the Linux kernel on the other side of a TUN device.
 *
 * <h2>Threading model</h2>
 *
 * The owning loop is the {@link TunHost}'s loop thread (see {@link DriverLoop}). Every callback — UDP handlers, timer
 * tasks, {@link AppFuture#onComplete} callbacks — runs on that thread, one at a time, and never inside a call into the
 * stack: a datagram the stack delivers is handed to the handler as a separate task. Application code is meant to run
 * on the loop (started from {@link #execute} or a callback). Calls from other threads are still safe: {@link #schedule}
 * and {@link #execute} only queue; {@link #bindUdp}, {@link UdpSocket#send}, {@link UdpSocket#close} and {@link #ping}
 * are handed to the loop and the caller waits (at most {@link #CROSS_THREAD_WAIT}) for their result. Futures must be
 * read on the loop; another thread waits for one with {@link #await}.
 *
 * <h2>Clock and timers</h2>
 *
 * {@link #nowNanos()} is {@link System#nanoTime()} relative to this object's creation, read once when the loop enters
 * one of our callbacks and constant during it (monotonic). Timers wait on a small timer thread, which hands each due
 * task to the loop with {@link DriverLoop#execute} in the order (due time, order of scheduling); a timer task therefore
 * never sees {@link #nowNanos()} before its due time. (The loop's own iteration time is not visible outside
 * {@link DriverLoop}; a public accessor there would let the clock be exactly the iteration's time.)
 *
 * <h2>Ping</h2>
 *
 * Echo requests are built here and sent with {@link Host#sendIp}; the stack answers echo requests but drops echo
 * replies, so replies are found by the {@link EchoReplyTap} that must be the {@link TunHost}'s recorder (as
 * {@link #start} arranges). Without a tap {@link #ping} fails with {@link AppError.Kind#UNSUPPORTED}. A reply that
 * arrives fragmented is reassembled inside the stack, where the tap cannot see it: such a ping times out.
 */
public final class TunAppHost implements AppHost, AutoCloseable {

    /** How long a thread other than the loop waits for the loop to carry out a call before it fails with CLOSED. */
    public static final Duration CROSS_THREAD_WAIT = Duration.ofSeconds(10);

    /** Largest echo payload: what fits in one IPv4 datagram after the IP and ICMP headers (RFC 791). */
    public static final int MAX_PING_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH - 8;

    private final TunHost loop;
    private final Host host;
    private final String name;
    private final List<IpAddress> addresses;
    private final long originNanoTime;
    private final Timers timers;
    private final Pinger pinger;
    private volatile Thread loopThread;
    private volatile boolean closed;
    /** Loop thread only: the time read when the current callback began. */
    private long now;

    private TunAppHost(TunHost loop, EchoReplyTap tap, long originNanoTime) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.host = loop.host();
        this.name = loop.device().name();
        HostConfig c = host.config();
        List<IpAddress> a = new ArrayList<>();
        a.add(c.ipv4Address());
        if (c.ipv6Address() != null) {
            a.add(c.ipv6Address());
        }
        this.addresses = List.copyOf(a);
        this.originNanoTime = originNanoTime;
        this.timers = new Timers("timers " + loop.device().label());
        this.pinger = tap == null ? null : new Pinger(identifierFor(this));
        if (tap != null) {
            tap.listen(this::inspect);
        }
    }

    /**
     * Wraps {@code loop}, which must have been started; {@code tap} is its recorder (for {@link #ping}), or null.
     * Waits for the loop to run one task (to learn its thread); throws {@link IllegalStateException} if it does not
     * within {@link #CROSS_THREAD_WAIT}.
     */
    public static TunAppHost wrap(TunHost loop, EchoReplyTap tap) {
        TunAppHost h = new TunAppHost(loop, tap, System.nanoTime());
        h.learnLoopThread();
        return h;
    }

    /**
     * Runs {@code host} on {@code device} (see {@link TunHost}) with an {@link EchoReplyTap} in front of
     * {@code recorder} (null: none), starts the loop and returns its application interface. {@link #close()} stops
     * the loop and closes the device.
     */
    public static TunAppHost start(TunDevice device, Host host, FaultSpec spec, long seed, PacketRecorder recorder)
            throws NativeException {
        EchoReplyTap tap = new EchoReplyTap(recorder);
        TunHost loop = new TunHost(device, host, spec, seed, tap);
        TunAppHost h = new TunAppHost(loop, tap, System.nanoTime());
        loop.start();
        h.learnLoopThread();
        return h;
    }

    private void learnLoopThread() {
        CompletableFuture<Thread> t = new CompletableFuture<>();
        loop.execute(() -> t.complete(Thread.currentThread()));
        try {
            loopThread = t.get(CROSS_THREAD_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the loop of " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the loop of " + name + " does not run (not started, or ended)", e);
        }
    }

    private static int identifierFor(Object o) {
        return (int) ((ProcessHandle.current().pid() * 31 + System.identityHashCode(o)) & 0xFFFF);
    }

    /** The driver loop underneath (for counters, and to close it). */
    public TunHost loop() {
        return loop;
    }

    /** True when the caller runs on the owning loop. */
    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    /** Stops the timer thread and the loop, and closes the device. Idempotent; any thread but the loop's. */
    @Override
    public void close() {
        closed = true;
        timers.stop();
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
        return inLoop() ? now : System.nanoTime() - originNanoTime;
    }

    /** Called by the loop at the start of each of our callbacks: one clock read per callback. */
    private void enter() {
        now = Math.max(now, System.nanoTime() - originNanoTime);
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        Timer t = new Timer(task);
        if (delayNanos <= 0) {
            loop.execute(t::fire);
        } else {
            timers.add(t, nowNanos() + delayNanos);
        }
        return t::cancel;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        loop.execute(() -> {
            enter();
            task.run();
        });
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
        AppResult<AppFuture<Long>> r = onLoop(() -> AppResult.ok(pingOnLoop(destination, data, timeoutNanos)));
        if (r.isOk()) {
            return r.value();
        }
        return failed(r.error());
    }

    private <T> AppFuture<T> failed(AppError e) {
        Promise<T> p = newPromise();
        p.fail(e);
        return p;
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
        CompletableFuture<AppResult<T>> f = new CompletableFuture<>();
        loop.execute(() -> {
            enter();
            try {
                f.complete(call.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
                throw e;
            }
        });
        try {
            return f.get(CROSS_THREAD_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AppResult.err(AppError.Kind.CLOSED, "interrupted while waiting for the loop of " + name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return AppResult.err(AppError.Kind.CLOSED, "the loop of " + name + " does not answer (closed?)");
        }
    }

    // ---- ping ----

    private AppFuture<Long> pingOnLoop(IpAddress dst, byte[] payload, long timeoutNanos) {
        if (pinger == null) {
            return failed(new AppError(
                    AppError.Kind.UNSUPPORTED, "no EchoReplyTap is the recorder of " + name + ": replies are unseen"));
        }
        IpAddress src = address(dst.version());
        if (src == null) {
            return failed(new AppError(AppError.Kind.NO_ROUTE, name + " has no IPv" + dst.version() + " address"));
        }
        if (payload.length > MAX_PING_PAYLOAD) {
            return failed(new AppError(AppError.Kind.MESSAGE_TOO_BIG, "echo payload over " + MAX_PING_PAYLOAD));
        }
        return pinger.ping(src, dst, payload, timeoutNanos);
    }

    /** Every packet the loop records (loop thread): completes the ping a reply answers. */
    private void inspect(byte[] packet) {
        EchoReplyTap.EchoReply r = EchoReplyTap.parseEchoReply(packet);
        if (r != null && pinger != null && addresses.contains(r.destination())) {
            enter();
            pinger.answer(r);
        }
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
            Pending old = pending.put(seq, new Pending(p, now, t, dst));
            if (old != null) {
                old.timeout.cancel();
                old.promise.fail(new AppError(AppError.Kind.TIMED_OUT, "sequence number reused"));
            }
            return p;
        }

        void answer(EchoReplyTap.EchoReply r) {
            if (r.identifier() != identifier) {
                return;
            }
            Pending p = pending.get(r.sequence());
            if (p != null && p.destination.equals(r.source())) {
                pending.remove(r.sequence());
                p.timeout.cancel();
                p.promise.complete(now - p.sentAt);
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

    /** One scheduled task: pending until it fires or is cancelled, whichever comes first. */
    private final class Timer {
        private static final int PENDING = 0;
        private static final int FIRED = 1;
        private static final int CANCELLED = 2;
        private final Runnable task;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        Timer(Runnable task) {
            this.task = task;
        }

        /** On the loop. */
        void fire() {
            if (state.compareAndSet(PENDING, FIRED)) {
                enter();
                task.run();
            }
        }

        boolean cancel() {
            return state.compareAndSet(PENDING, CANCELLED);
        }

        boolean cancelled() {
            return state.get() == CANCELLED;
        }
    }

    private record Due(long atNanos, long order, Timer timer) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /**
     * The timer thread: sleeps until the earliest due time and hands due timers to the loop in (due time, scheduling
     * order). Started on first use; a daemon, stopped by {@link TunAppHost#close()}.
     */
    private final class Timers {
        private final String threadName;
        private final PriorityQueue<Due> queue = new PriorityQueue<>();
        private long order;
        private boolean stopped;
        private Thread thread;

        Timers(String threadName) {
            this.threadName = threadName;
        }

        synchronized void add(Timer t, long atNanos) {
            if (stopped) {
                return;
            }
            queue.add(new Due(atNanos, order++, t));
            if (thread == null) {
                thread = new Thread(this::run, threadName);
                thread.setDaemon(true);
                thread.start();
            }
            notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            queue.clear();
            notifyAll();
        }

        private synchronized void run() {
            while (!stopped) {
                Due first = queue.peek();
                if (first != null && first.timer.cancelled()) {
                    queue.poll();
                    continue;
                }
                long t = System.nanoTime() - originNanoTime;
                if (first != null && first.atNanos <= t) {
                    queue.poll();
                    loop.execute(first.timer::fire);
                    continue;
                }
                long waitNanos = first == null ? 0 : first.atNanos - t;
                try {
                    if (first == null) {
                        wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(this, waitNanos);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
