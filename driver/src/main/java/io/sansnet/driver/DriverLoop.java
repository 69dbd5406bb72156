package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.Poller;
import io.sansnet.driver.tun.TunDevice;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * The event loop shared by the TUN drivers: one thread that owns the devices and everything a subclass keeps (a
 * sans-io host, fault models, a recorder).
 *
 * <h2>Threading model</h2>
 *
 * <ul>
 *   <li>{@link #start()} starts the loop thread. From then on only that thread touches the devices and the subclass's
 *       state: no locks are needed there, and there are no data races by construction.
 *   <li>Other threads talk to the loop only through {@link #execute(Runnable)}: the task goes into a concurrent queue
 *       and the loop is woken (an {@code eventfd} in its {@code ppoll(2)} set); the task then runs on the loop thread.
 *       The queue's hand-off is the happens-before edge between the caller and the task.
 *   <li>{@link #close()} (any thread, idempotent) asks the loop to stop, wakes it, waits for it to end and closes the
 *       devices. State read after {@link #close()} or {@link #awaitTermination()} returns is safe to read from any
 *       thread (the end of the loop thread happens-before the return).
 * </ul>
 *
 * <h2>One iteration</h2>
 *
 * Wait in {@code ppoll(2)} until a device is readable, a task arrives, or the earliest deadline (the subclass's
 * {@link #nextDeadlineNanos()} or a timer given to {@link #scheduleAt}); read the clock once ({@link System#nanoTime()},
 * relative to the start: {@link #nowNanos()}); read up to {@link #MAX_READS_PER_ITERATION} packets from each readable
 * device; run queued tasks; run the timers that are due, in (due time, order of scheduling); let the subclass fire its
 * own timers and write what it has to send. Everything a task or a timer asks of the subclass therefore leaves in the
 * same iteration, and no thread but the loop's is needed for timers.
 */
public abstract class DriverLoop implements AutoCloseable {

    /** Packets read from one device per iteration before the others get a turn. */
    public static final int MAX_READS_PER_ITERATION = 64;

    /** Consecutive failed reads after which the loop gives up (a device that keeps failing is gone). */
    public static final int MAX_CONSECUTIVE_READ_ERRORS = 1_000;

    private final String name;
    private final TunDevice[] devices;
    private final Poller poller;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Loop thread only. */
    private final PriorityQueue<Due> timers = new PriorityQueue<>();

    private final CountDownLatch finished = new CountDownLatch(1);
    private final byte[] readBuffer = new byte[TunDevice.MAX_PACKET_BYTES];
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile Thread thread;
    private volatile long startNanoTime;
    private long startEpochNanos;
    /** Loop thread only: the time read at the start of the current iteration. */
    private long now;
    /** Loop thread only: the scheduling order of the next timer (ties in due time run in this order). */
    private long timerOrder;

    private long readErrors;
    private int consecutiveReadErrors;

    protected DriverLoop(String name, TunDevice... devices) throws NativeException {
        this.name = name;
        this.devices = devices.clone();
        this.poller = new Poller(devices);
    }

    /** Starts the loop thread. */
    public final synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        startNanoTime = System.nanoTime();
        startEpochNanos = System.currentTimeMillis() * 1_000_000L;
        thread = new Thread(this::run, name);
        thread.start();
    }

    /** Runs {@code task} on the loop thread soon. Any thread. Tasks run in the order they were handed over. */
    public final void execute(Runnable task) {
        tasks.add(task);
        poller.wake();
    }

    /**
     * The loop's clock, nanoseconds since {@link #start()}: on the loop thread the time read at the start of the current
     * iteration (constant during it, never going backwards, the time the subclass gives its host); on any other thread
     * a fresh reading of the same clock.
     */
    public final long nowNanos() {
        return inLoop() ? now : System.nanoTime() - startNanoTime;
    }

    /** True when the caller runs on the loop thread. */
    public final boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop in the first iteration whose time ({@link #nowNanos()}) is at least {@code atNanos},
     * after that iteration's queued tasks and before {@link #onTick}; timers due at the same time run in the order they
     * were scheduled. Loop thread only (other threads hand the call over with {@link #execute}). Cancellation is the
     * caller's: a task that decides to do nothing when it runs, and {@link #removeTimers} to drop such tasks early.
     */
    public final void scheduleAt(long atNanos, Runnable task) {
        if (!inLoop()) {
            throw new IllegalStateException("scheduleAt is for the loop thread; hand it over with execute()");
        }
        timers.add(new Due(atNanos, timerOrder++, task));
    }

    /** Drops the timers whose task {@code which} selects, keeping the others' order; returns how many. Loop thread. */
    public final int removeTimers(Predicate<Runnable> which) {
        if (!inLoop()) {
            throw new IllegalStateException("removeTimers is for the loop thread; hand it over with execute()");
        }
        int before = timers.size();
        timers.removeIf(d -> which.test(d.task));
        return before - timers.size();
    }

    /** Timers scheduled and not yet run (loop thread). */
    protected final int pendingTimers() {
        return timers.size();
    }

    private record Due(long atNanos, long order, Runnable task) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** Waits until the loop has ended (after {@link #close()} or a failure). */
    public final void awaitTermination() throws InterruptedException {
        finished.await();
    }

    /** Why the loop ended early, or null while it runs or after a normal stop. */
    public final Throwable failure() {
        return failure;
    }

    /** Stops the loop, waits for it, closes the devices. Idempotent; any thread but the loop's own. */
    @Override
    public final void close() {
        stopping = true;
        poller.wake();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        poller.close();
        for (TunDevice d : devices) {
            d.close();
        }
    }

    /** Failed reads so far (loop thread, or after the loop ended). */
    protected final long readErrors() {
        return readErrors;
    }

    /** The wall-clock time of loop time {@code nowNanos}, for capture timestamps. */
    protected final long epochNanos(long nowNanos) {
        return startEpochNanos + nowNanos;
    }

    /** One packet read from device {@code device} at {@code nowNanos}; the array is the subclass's to keep. */
    protected abstract void onPacket(int device, byte[] packet, long nowNanos);

    /** After reads and tasks: fire due timers, release delayed packets, write what is ready. */
    protected abstract void onTick(long nowNanos);

    /** The loop time at which {@link #onTick} must run next, or {@link Long#MAX_VALUE} to wait for input only. */
    protected abstract long nextDeadlineNanos();

    /** Runs on the loop thread once the loop has stopped (to flush and close what the subclass owns). */
    protected void onStop() {}

    private void run() {
        try {
            now = 0;
            onTick(now);
            while (!stopping) {
                long deadline = nextDeadlineNanos();
                Due first = timers.peek();
                if (first != null) {
                    deadline = Math.min(deadline, first.atNanos);
                }
                long wait = deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - now);
                long ready = tasks.isEmpty() ? poller.await(wait) : poller.await(0);
                // the one clock read of this iteration (max: nanoTime is monotonic, but stay safe)
                now = Math.max(now, System.nanoTime() - startNanoTime);
                for (int i = 0; i < devices.length; i++) {
                    if ((ready & (1L << i)) != 0) {
                        drain(i, now);
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                runDueTimers();
                onTick(now);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                onStop();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
            finished.countDown();
        }
    }

    /** Runs the timers due by {@link #now}; one scheduled by a running timer for now or earlier runs in this pass. */
    private void runDueTimers() {
        Due d;
        while ((d = timers.peek()) != null && d.atNanos <= now) {
            timers.poll();
            d.task.run();
        }
    }

    private void drain(int device, long now) throws NativeException {
        for (int k = 0; k < MAX_READS_PER_ITERATION; k++) {
            int n;
            try {
                n = devices[device].read(readBuffer);
            } catch (NativeException e) {
                readErrors++;
                if (++consecutiveReadErrors >= MAX_CONSECUTIVE_READ_ERRORS) {
                    throw e;
                }
                return;
            }
            if (n <= 0) {
                return;
            }
            consecutiveReadErrors = 0;
            byte[] packet = new byte[n];
            System.arraycopy(readBuffer, 0, packet, 0, n);
            onPacket(device, packet, now);
        }
    }
}
