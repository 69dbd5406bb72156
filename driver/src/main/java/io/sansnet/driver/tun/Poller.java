package io.sansnet.driver.tun;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Waits with {@code ppoll(2)} until one of a fixed set of TUN devices is readable, a {@link #wake()} call arrives from
 * another thread (through an {@code eventfd(2)}), or a timeout passes. {@link #await} is for the owning loop thread
 * only; {@link #wake()} is safe from any thread.
 */
public final class Poller implements AutoCloseable {
    private static final int POLLFD_BYTES = 8;

    private final TunDevice[] devices;
    private final Memory fds;
    private final Memory timespec = new Memory(16);
    private final int eventFd;
    private final byte[] eightBytes = new byte[8];
    private final byte[] wakeValue = {1, 0, 0, 0, 0, 0, 0, 0};
    private volatile boolean closed;

    public Poller(TunDevice... devices) throws NativeException {
        this.devices = devices.clone();
        this.eventFd = LibC.INSTANCE.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw new NativeException("eventfd", Native.getLastError());
        }
        this.fds = new Memory((long) POLLFD_BYTES * (devices.length + 1));
    }

    /**
     * Waits at most {@code timeoutNanos} (negative means forever, 0 does not wait) and
     * returns a bit set: bit i set when device i is readable (or in error, so its read reports the error), bit
     * {@code devices.length} set when woken.
     */
    public long await(long timeoutNanos) throws NativeException {
        int n = devices.length + 1;
        for (int i = 0; i < devices.length; i++) {
            fds.setInt((long) i * POLLFD_BYTES, devices[i].fd());
            fds.setShort((long) i * POLLFD_BYTES + 4, LibC.POLLIN);
            fds.setShort((long) i * POLLFD_BYTES + 6, (short) 0);
        }
        fds.setInt((long) devices.length * POLLFD_BYTES, eventFd);
        fds.setShort((long) devices.length * POLLFD_BYTES + 4, LibC.POLLIN);
        fds.setShort((long) devices.length * POLLFD_BYTES + 6, (short) 0);
        Pointer timeout = null;
        if (timeoutNanos >= 0) {
            timespec.setLong(0, timeoutNanos / 1_000_000_000L);
            timespec.setLong(8, timeoutNanos % 1_000_000_000L);
            timeout = timespec;
        }
        int r = LibC.INSTANCE.ppoll(fds, new NativeLong(n), timeout, null);
        if (r < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EINTR) {
                return 0;
            }
            throw new NativeException("poll", errno);
        }
        long ready = 0;
        for (int i = 0; i < n; i++) {
            short revents = fds.getShort((long) i * POLLFD_BYTES + 6);
            if (revents != 0) {
                ready |= 1L << i;
            }
        }
        if ((ready & (1L << devices.length)) != 0) {
            LibC.INSTANCE.read(eventFd, eightBytes, new NativeLong(8)); // reset the counter
        }
        return ready;
    }

    /** Makes a current or the next {@link #await} return at once. Any thread. */
    public synchronized void wake() {
        if (!closed) {
            LibC.INSTANCE.write(eventFd, wakeValue, new NativeLong(8));
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(eventFd);
        }
    }
}
