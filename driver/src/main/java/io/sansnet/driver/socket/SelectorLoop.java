package io.sansnet.driver.socket;

import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.EventLoop;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * One NIO selector thread: it owns its selector, the channels registered on it and everything their handlers keep, so
 * none of that needs locks. It is an {@link EventLoop}: a monotonic clock (nanoseconds since the loop started), timers
 * and tasks, all run on the loop thread. Other threads hand work over with {@link #execute} (a concurrent queue and a
 * selector wakeup, which is the happens-before edge).
 *
 * <p>One iteration: fire due timers; wait in {@code select} until a channel is ready, a task arrives or the next timer
 * is due; handle the ready keys (each key's attachment is a {@link Ready}); run queued tasks.
 */
final class SelectorLoop implements EventLoop, AutoCloseable {

    /** What a registered channel does when its key is selected (attach one to each key). */
    interface Ready {
        void onReady(SelectionKey key);

        /** The loop is stopping: release the channel. */
        void onLoopClosed();
    }

    private static final class Timer implements Cancellable {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean ran;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || ran) return false;
            cancelled = true;
            return true;
        }
    }

    private final String name;
    private final Selector selector;
    private final long startNanoTime = System.nanoTime();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private long seq;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private Thread thread;
    private long callbackErrors;

    SelectorLoop(String name) throws IOException {
        this.name = name;
        this.selector = Selector.open();
    }

    Selector selector() {
        return selector;
    }

    synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Throwable failure() {
        return failure;
    }

    /** Callbacks that threw (the connection was closed, the loop went on). Loop thread or after the loop ended. */
    long callbackErrors() {
        return callbackErrors;
    }

    void countCallbackError() {
        callbackErrors++;
    }

    @Override
    public long nowNanos() {
        return System.nanoTime() - startNanoTime;
    }

    /** Loop thread only (the {@link EventLoop} contract: application code calls from its loop). */
    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (!inLoop() && thread != null) {
            // Another thread: hand it over (the timer cannot be cancelled through this handle before it is queued).
            Timer[] holder = new Timer[1];
            Cancellable c = () -> holder[0] != null && holder[0].cancel();
            tasks.add(() -> holder[0] = addTimer(delayNanos, task));
            selector.wakeup();
            return c;
        }
        return addTimer(delayNanos, task);
    }

    private Timer addTimer(long delayNanos, Runnable task) {
        Timer t = new Timer(nowNanos() + Math.max(0, delayNanos), seq++, task);
        timers.add(t);
        return t;
    }

    /** Runs {@code task} on the loop thread soon. Any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) selector.wakeup();
    }

    /** Stops the loop and waits for it. Idempotent; any thread but the loop's. */
    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (!stopping) {
                long now = runDueTimers();
                long wait;
                if (!tasks.isEmpty()) wait = -1;
                else if (timers.isEmpty()) wait = 0;
                else wait = Math.max(1, (timers.peek().due - now + 999_999) / 1_000_000);
                if (wait < 0) selector.selectNow();
                else selector.select(wait);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    ((Ready) k.attachment()).onReady(k);
                }
                for (Runnable r; (r = tasks.poll()) != null; ) runSafely(r);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            for (SelectionKey k : selector.keys()) {
                try {
                    ((Ready) k.attachment()).onLoopClosed();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
            finished.countDown();
        }
    }

    private long runDueTimers() {
        long now = nowNanos();
        while (!timers.isEmpty() && timers.peek().due <= now) {
            Timer t = timers.poll();
            if (t.cancelled) continue;
            t.ran = true;
            runSafely(t.task);
        }
        return now;
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException e) {
            callbackErrors++;
        }
    }
}
