package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.Poller;
import io.sansnet.driver.tun.TunDevice;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

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
 * Wait in {@code ppoll(2)} until a device is readable, a task arrives, or the subclass's next deadline; read the clock
 * once ({@link System#nanoTime()}, relative to the start); read up to {@link #MAX_READS_PER_ITERATION} packets from
 * each readable device; run queued tasks; let the subclass fire timers and write what it has to send.
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
    private final CountDownLatch finished = new CountDownLatch(1);
    private final byte[] readBuffer = new byte[TunDevice.MAX_PACKET_BYTES];
    private volatile boolean stopping;
    private volatile Throwable failure;
    private Thread thread;
    private long startNanoTime;
    private long startEpochNanos;
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
            long now = 0;
            onTick(now);
            while (!stopping) {
                long deadline = nextDeadlineNanos();
                long wait = deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - now);
                long ready = tasks.isEmpty() ? poller.await(wait) : poller.await(0);
                now = System.nanoTime() - startNanoTime; // the one clock read of this iteration
                for (int i = 0; i < devices.length; i++) {
                    if ((ready & (1L << i)) != 0) {
                        drain(i, now);
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
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
