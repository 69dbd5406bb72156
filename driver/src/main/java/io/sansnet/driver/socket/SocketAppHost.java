package io.sansnet.driver.socket;

import io.sansnet.driver.LoopCalls;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.app.UdpHandler;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The application interface ({@link AppHost}) over the kernel's own UDP sockets: the same application code that runs
 * on a simulated host or on the TUN driver runs here with {@link DatagramChannel}s bound to local addresses (by
 * default the loopback addresses 127.0.0.1 and ::1).
 *
 * <h2>Threading model</h2>
 *
 * One loop thread owns a {@link Selector}, every channel, a deadline queue of timers and a queue of tasks handed over
 * by other threads. One iteration: wait in {@code select} (until a datagram, a task, or the earliest timer is due),
 * read the clock once, run the due timers in (due time, order of scheduling), deliver ready datagrams, run the handed
 * over tasks. Every callback (UDP handlers, timers, {@link AppFuture#onComplete}) runs on that thread, one at a time;
 * a callback that throws is counted ({@link #callbackErrors()}) and the loop goes on. Application code is meant to run
 * on the loop (started with {@link #execute}); calls from other threads are still safe: {@link #schedule} and
 * {@link #execute} only queue, while {@link #bindUdp}, {@link UdpSocket#send}, {@link UdpSocket#close} and
 * {@link #ping} are handed to the loop and the caller waits (at most {@link #CROSS_THREAD_WAIT}) for their result.
 * Another thread waits for a future with {@link #await}.
 *
 * <h2>Clock</h2>
 *
 * {@link #nowNanos()} is {@link System#nanoTime()} relative to the loop's start, read once per loop iteration and
 * constant during it; it never goes backwards. A timer never runs before its due time on that clock.
 *
 * <h2>UDP</h2>
 *
 * {@link #bindUdp(int, UdpHandler)} binds one channel per host address, all on the same port; a send goes out of the
 * channel of the destination's IP version (none: {@link AppError.Kind#NO_ROUTE}). Errors: the kernel's
 * {@link BindException} is {@link AppError.Kind#ADDRESS_IN_USE} ("Permission denied" for a privileged port without
 * the capability, and "Cannot assign requested address" for an address that is not local, are reported as
 * {@link AppError.Kind#INVALID_ARGUMENT}); a full socket send buffer is {@link AppError.Kind#WOULD_BLOCK}; a payload
 * over {@link #MAX_UDP_PAYLOAD_V4} / {@link #MAX_UDP_PAYLOAD_V6} is {@link AppError.Kind#MESSAGE_TOO_BIG}; another
 * I/O error of a send is {@link AppError.Kind#NO_ROUTE}. Closing a socket closes its channels and flushes them from
 * the selector at once, so the port is free when {@code close} returns.
 *
 * <h2>Ping</h2>
 *
 * The JDK has no ICMP sockets, so {@link #ping} always completes with {@link AppError.Kind#UNSUPPORTED}.
 */
public final class SocketAppHost implements AppHost, AutoCloseable {

    /** How long a thread other than the loop waits for the loop to carry out a call before it fails with CLOSED. */
    public static final Duration CROSS_THREAD_WAIT = Duration.ofSeconds(10);

    /** Largest UDP payload over IPv4: 65535 - 20 (IPv4 header) - 8 (UDP header) (RFC 768, RFC 791). */
    public static final int MAX_UDP_PAYLOAD_V4 = 65_507;

    /** Largest UDP payload over IPv6 without jumbograms: 65535 - 8 (UDP header) (RFC 8200 §3 payload length). */
    public static final int MAX_UDP_PAYLOAD_V6 = 65_527;

    /** Datagrams read from one channel per readiness, so one busy port cannot starve the others and the timers. */
    public static final int MAX_DATAGRAMS_PER_READY = 64;

    /** Ephemeral port range for {@link #bindUdp(UdpHandler)} (RFC 6335 §6). */
    public static final int EPHEMERAL_FIRST = 49_152;

    public static final int EPHEMERAL_LAST = 65_535;

    /** Random ephemeral ports tried before {@link #bindUdp(UdpHandler)} gives up with ADDRESS_IN_USE. */
    public static final int EPHEMERAL_ATTEMPTS = 64;

    private final String name;
    private final List<IpAddress> addresses;
    private final Selector selector;
    private final long origin = System.nanoTime();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(65_536);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile long callbackErrors;
    /** Loop thread only. */
    private long now;

    private long timerOrder;

    private SocketAppHost(String name, List<IpAddress> addresses) throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        List<IpAddress> sorted = new ArrayList<>();
        for (IpAddress a : addresses) {
            if (a.version() == 4) {
                sorted.add(a);
            }
        }
        for (IpAddress a : addresses) {
            if (a.version() == 6) {
                sorted.add(a);
            }
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a host needs at least one address");
        }
        this.addresses = List.copyOf(sorted);
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "socket-app " + name);
        this.thread.setDaemon(true);
    }

    /** Starts a host named {@code name} whose sockets bind to {@code addresses} (local addresses, IPv4 listed first). */
    public static SocketAppHost start(String name, List<IpAddress> addresses) throws IOException {
        SocketAppHost h = new SocketAppHost(name, addresses);
        h.thread.start();
        return h;
    }

    /** Starts a host on the loopback addresses 127.0.0.1 and ::1. */
    public static SocketAppHost startLoopback(String name) throws IOException {
        return start(name, List.of(IpAddress.of("127.0.0.1"), IpAddress.of("::1")));
    }

    /** True when the caller runs on the owning loop. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Why the loop ended abnormally, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Callbacks that threw (the loop went on). */
    public long callbackErrors() {
        return callbackErrors;
    }

    /** Stops the loop, closes every socket and waits for the loop thread. Idempotent; any thread but the loop's. */
    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        if (!inLoop()) {
            try {
                finished.await(CROSS_THREAD_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        execute(() -> future.onComplete(done::complete));
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AppResult.err(AppError.Kind.TIMED_OUT, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return AppResult.err(AppError.Kind.TIMED_OUT, "not done within " + timeout);
        }
    }

    // ---- the loop ----

    private void run() {
        try {
            while (!stopping) {
                long wait; // ms for select; -1: do not block
                if (!tasks.isEmpty() || !selector.selectedKeys().isEmpty()) {
                    wait = -1;
                } else if (timers.isEmpty()) {
                    wait = 0;
                } else {
                    long until = timers.peek().due - (System.nanoTime() - origin);
                    wait = until <= 0 ? -1 : Math.max(1, (until + 999_999) / 1_000_000);
                }
                if (wait < 0) {
                    selector.selectNow();
                } else {
                    selector.select(wait);
                }
                now = Math.max(now, System.nanoTime() - origin); // the one clock read of this iteration
                runDueTimers();
                List<SelectionKey> ready = new ArrayList<>(selector.selectedKeys());
                selector.selectedKeys().clear(); // a copy: a callback may select again (see BoundSocket.close)
                for (SelectionKey k : ready) {
                    if (k.isValid()) {
                        ((Channel) k.attachment()).receive();
                    }
                }
                int n = tasks.size(); // only what is queued now; later tasks wait for the next iteration
                for (int i = 0; i < n; i++) {
                    Runnable r = tasks.poll();
                    if (r == null) {
                        break;
                    }
                    runSafely(r);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            stopping = true;
            for (SelectionKey k : selector.keys()) {
                ((Channel) k.attachment()).owner.closeChannels();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            timers.clear();
            finished.countDown();
        }
    }

    private void runDueTimers() {
        long limit = timerOrder; // timers scheduled by these callbacks wait for the next iteration
        while (!timers.isEmpty() && timers.peek().due <= now && timers.peek().order < limit) {
            Timer t = timers.poll();
            if (t.state.compareAndSet(Timer.PENDING, Timer.FIRED)) {
                runSafely(t.task);
            }
        }
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            callbackErrors++;
        }
    }

    // ---- EventLoop ----

    @Override
    public long nowNanos() {
        return inLoop() ? now : System.nanoTime() - origin;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        Timer t = new Timer(task);
        long delay = Math.max(0, delayNanos);
        if (inLoop()) {
            addTimer(t, delay);
        } else {
            handOver(() -> addTimer(t, delay));
        }
        return () -> t.state.compareAndSet(Timer.PENDING, Timer.CANCELLED);
    }

    private void addTimer(Timer t, long delayNanos) {
        t.due = now + delayNanos;
        t.order = timerOrder++;
        timers.add(t);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (inLoop()) {
            addTimer(new Timer(task), 0); // after the tasks already due now, like schedule(0, task)
        } else {
            handOver(task);
        }
    }

    private void handOver(Runnable task) {
        tasks.add(task);
        selector.wakeup(); // the happens-before edge to the loop
    }

    /**
     * Runs {@code call} on the loop: directly when already there, else handed over while this thread waits (CLOSED
     * when the loop has stopped or does not answer within {@link #CROSS_THREAD_WAIT}).
     */
    private <T> AppResult<T> onLoop(Supplier<AppResult<T>> call) {
        if (inLoop()) {
            return call.get();
        }
        if (stopping) {
            return AppResult.err(AppError.Kind.CLOSED, name + " is closed");
        }
        return LoopCalls.await(this::handOver, call, name, CROSS_THREAD_WAIT);
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
        return onLoop(() -> {
            AppResult<UdpSocket> last = AppResult.err(AppError.Kind.ADDRESS_IN_USE, "no ephemeral port tried");
            for (int i = 0; i < EPHEMERAL_ATTEMPTS; i++) {
                int port = ThreadLocalRandom.current().nextInt(EPHEMERAL_FIRST, EPHEMERAL_LAST + 1);
                last = bindOnLoop(port, handler);
                if (last.isOk() || last.error().kind() != AppError.Kind.ADDRESS_IN_USE) {
                    return last;
                }
            }
            return AppResult.err(
                    AppError.Kind.ADDRESS_IN_USE, "no free ephemeral port after " + EPHEMERAL_ATTEMPTS + " tries");
        });
    }

    /** Always fails with {@link AppError.Kind#UNSUPPORTED}: the JDK has no ICMP sockets. */
    @Override
    public AppFuture<Long> ping(IpAddress destination, byte[] payload, long timeoutNanos) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        Promise<Long> p = newPromise();
        AppError e = new AppError(AppError.Kind.UNSUPPORTED, "the socket driver cannot send ICMP echo requests");
        if (inLoop()) {
            p.fail(e);
        } else {
            execute(() -> p.fail(e));
        }
        return p;
    }

    private AppResult<UdpSocket> bindOnLoop(int port, UdpHandler handler) {
        if (stopping) {
            return AppResult.err(AppError.Kind.CLOSED, name + " is closed");
        }
        BoundSocket s = new BoundSocket(port, handler);
        for (IpAddress a : addresses) {
            DatagramChannel ch = null;
            try {
                ch = DatagramChannel.open(
                        a.version() == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                ch.bind(new InetSocketAddress(toInet(a), port));
                ch.configureBlocking(false);
                Channel c = new Channel(s, a, ch);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                s.channels.add(c);
            } catch (IOException e) {
                closeQuietly(ch);
                s.closeChannels();
                return AppResult.err(kindOf(e), "bind udp " + a + " port " + port + ": " + e.getMessage());
            }
        }
        return AppResult.ok(s);
    }

    private static AppError.Kind kindOf(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof BindException && !m.contains("ermission") && !m.contains("assign")) {
            return AppError.Kind.ADDRESS_IN_USE;
        }
        return AppError.Kind.INVALID_ARGUMENT;
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    static InetAddress toInet(IpAddress a) {
        try {
            return InetAddress.getByAddress(a.toBytes()); // literal bytes: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + a.toBytes().length + " bytes", e);
        }
    }

    static IpAddress fromInet(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? Ipv4Address.read(b, 0) : Ipv6Address.read(b, 0);
    }

    // ---- UDP ----

    /** One channel of a bound socket: the socket's port on one host address. Loop thread only. */
    private final class Channel {
        final BoundSocket owner;
        final IpAddress local;
        final DatagramChannel channel;
        SelectionKey key;

        Channel(BoundSocket owner, IpAddress local, DatagramChannel channel) {
            this.owner = owner;
            this.local = local;
            this.channel = channel;
        }

        void receive() {
            for (int i = 0; i < MAX_DATAGRAMS_PER_READY && owner.open; i++) {
                InetSocketAddress from;
                try {
                    from = (InetSocketAddress) channel.receive(receiveBuffer.clear());
                } catch (IOException e) {
                    return; // e.g. an ICMP error queued on the socket: UDP gives no guarantee, the next read goes on
                }
                if (from == null) {
                    return;
                }
                receiveBuffer.flip();
                Datagram d = new Datagram(
                        fromInet(from.getAddress()), from.getPort(), local, owner.port, Bytes.copyOf(receiveBuffer));
                runSafely(() -> owner.handler.onDatagram(owner, d));
            }
        }
    }

    /** A bound port on every host address. */
    private final class BoundSocket implements UdpSocket {
        final int port;
        final UdpHandler handler;
        final List<Channel> channels = new ArrayList<>();
        volatile boolean open = true;

        BoundSocket(int port, UdpHandler handler) {
            this.port = port;
            this.handler = handler;
        }

        @Override
        public int localPort() {
            return port;
        }

        @Override
        public AppResult<Void> send(IpAddress destination, int destinationPort, byte[] payload) {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(payload, "payload");
            if (destinationPort < 1 || destinationPort > 65535) {
                return AppResult.err(AppError.Kind.INVALID_ARGUMENT, "port must be 1..65535: " + destinationPort);
            }
            int max = destination.version() == 4 ? MAX_UDP_PAYLOAD_V4 : MAX_UDP_PAYLOAD_V6;
            if (payload.length > max) {
                return AppResult.err(
                        AppError.Kind.MESSAGE_TOO_BIG, payload.length + " bytes is over the UDP limit " + max);
            }
            byte[] data = inLoop() ? payload : payload.clone();
            return onLoop(() -> sendOnLoop(destination, destinationPort, data));
        }

        private AppResult<Void> sendOnLoop(IpAddress destination, int destinationPort, byte[] data) {
            if (!open) {
                return AppResult.err(AppError.Kind.CLOSED, "socket " + port + " on " + name + " is closed");
            }
            for (Channel c : channels) {
                if (c.local.version() == destination.version()) {
                    try {
                        int n = c.channel.send(
                                ByteBuffer.wrap(data), new InetSocketAddress(toInet(destination), destinationPort));
                        return n == 0
                                ? AppResult.err(AppError.Kind.WOULD_BLOCK, "the socket send buffer is full")
                                : AppResult.ok(null);
                    } catch (ClosedChannelException e) {
                        return AppResult.err(AppError.Kind.CLOSED, "socket " + port + " on " + name + " is closed");
                    } catch (IOException e) {
                        return AppResult.err(AppError.Kind.NO_ROUTE, "send to " + destination + ": " + e.getMessage());
                    }
                }
            }
            return AppResult.err(AppError.Kind.NO_ROUTE, name + " has no IPv" + destination.version() + " address");
        }

        @Override
        public void close() {
            onLoop(() -> {
                closeChannels();
                return AppResult.ok(null);
            });
        }

        /** Loop thread: closes the channels and flushes their cancelled keys so the kernel releases the port now. */
        void closeChannels() {
            if (!open) {
                return;
            }
            open = false;
            boolean registered = false;
            for (Channel c : channels) {
                if (c.key != null) {
                    c.key.cancel();
                    registered = true;
                }
                closeQuietly(c.channel);
            }
            if (registered && selector.isOpen() && !stopping) {
                try {
                    // A registered channel's socket is closed when the selector deregisters its key, at the next
                    // select; do it now. The loop works on a copy of the selected keys, so this is safe in a callback.
                    selector.selectNow();
                } catch (IOException ignored) {
                    // the loop's own select reports a broken selector
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public String toString() {
            return name + ":udp/" + port;
        }
    }

    // ---- timers ----

    /** One scheduled task: pending until it fires or is cancelled, whichever comes first. */
    private static final class Timer implements Comparable<Timer> {
        static final int PENDING = 0;
        static final int FIRED = 1;
        static final int CANCELLED = 2;
        final Runnable task;
        final AtomicInteger state = new AtomicInteger(PENDING);
        long due;
        long order;

        Timer(Runnable task) {
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
