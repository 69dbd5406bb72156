package io.sansnet.driver.tun;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open Linux TUN device in {@code IFF_TUN | IFF_NO_PI} mode: every {@link #read} gives one IP packet, every
 * {@link #write} sends one, with no packet-information prefix (linux {@code Documentation/networking/tuntap.rst}).
 *
 * <p>{@link #open(String)} attaches to the device {@code name} in the caller's network namespace, creating a
 * non-persistent device when none exists (it disappears on {@link #close()}); a device made with
 * {@code ip tuntap add dev NAME mode tun} stays. {@link #open(String, String)} does the same inside a named namespace
 * ({@code ip netns add NS}) by switching one short-lived thread into it with {@code setns(2)}: the descriptor keeps
 * working from any thread afterwards, so one process can serve devices in several namespaces.
 *
 * <p>The descriptor is non-blocking: wait for input with {@link Poller}. Reads and writes may come from one thread at a
 * time (the driver's loop); {@link #close()} is idempotent.
 */
public final class TunDevice implements AutoCloseable {

    /** The clone device (linux {@code Documentation/networking/tuntap.rst}). */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    /** Where {@code ip netns add NAME} keeps the namespace handle. */
    public static final String NETNS_DIR = "/var/run/netns/";

    /** Largest packet read or written: an IPv4 total length or IPv6 payload length is 16 bits. */
    public static final int MAX_PACKET_BYTES = 65_535 + 40;

    private final String name;
    private final String netns;
    private volatile int fd;

    private TunDevice(int fd, String name, String netns) {
        this.fd = fd;
        this.name = name;
        this.netns = netns;
    }

    /** Opens (or creates) TUN device {@code name} in this process's network namespace. */
    public static TunDevice open(String name) throws NativeException {
        return attach(name, null);
    }

    /**
     * Opens (or creates) TUN device {@code name} inside network namespace {@code netns}: a name made by
     * {@code ip netns add}, or a path such as {@code /proc/PID/ns/net}; {@code null} means the current namespace.
     */
    public static TunDevice open(String name, String netns) throws NativeException {
        if (netns == null) {
            return open(name);
        }
        String path = netns.startsWith("/") ? netns : NETNS_DIR + netns;
        if (!netns.startsWith("/") && (netns.isEmpty() || netns.contains("/") || netns.startsWith("."))) {
            throw new NativeException("bad network namespace name '" + netns + "'", LibC.EINVAL);
        }
        AtomicReference<Object> result = new AtomicReference<>();
        // setns(2) changes the namespace of the calling thread only: do it on a thread that then ends.
        Thread t = new Thread(
                () -> {
                    try {
                        int nsFd = LibC.INSTANCE.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
                        if (nsFd < 0) {
                            throw new NativeException("open network namespace " + path, Native.getLastError());
                        }
                        try {
                            if (LibC.INSTANCE.setns(nsFd, LibC.CLONE_NEWNET) != 0) {
                                throw new NativeException("setns " + path, Native.getLastError());
                            }
                        } finally {
                            LibC.INSTANCE.close(nsFd);
                        }
                        result.set(attach(name, netns));
                    } catch (NativeException e) {
                        result.set(e);
                    }
                },
                "tun-open-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NativeException("interrupted while opening " + name, LibC.EINTR);
        }
        Object r = result.get();
        if (r instanceof TunDevice d) {
            return d;
        }
        if (r instanceof NativeException e) {
            throw e;
        }
        throw new NativeException("opening " + name + " in " + netns + " failed", LibC.EIO);
    }

    private static TunDevice attach(String name, String netns) throws NativeException {
        Objects.requireNonNull(name, "name");
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= LibC.IFNAMSIZ) {
            throw new NativeException(
                    "bad interface name '" + name + "' (1.." + (LibC.IFNAMSIZ - 1) + " characters)", LibC.EINVAL);
        }
        int fd = LibC.INSTANCE.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new NativeException("open " + CLONE_DEVICE, Native.getLastError());
        }
        byte[] ifreq = new byte[LibC.IFREQ_SIZE];
        System.arraycopy(nameBytes, 0, ifreq, 0, nameBytes.length);
        short flags = (short) (LibC.IFF_TUN | LibC.IFF_NO_PI);
        ifreq[LibC.IFNAMSIZ] = (byte) flags; // a little-endian short at offset 16
        ifreq[LibC.IFNAMSIZ + 1] = (byte) (flags >>> 8);
        if (LibC.INSTANCE.ioctl(fd, new NativeLong(LibC.TUNSETIFF), ifreq) != 0) {
            int errno = Native.getLastError();
            LibC.INSTANCE.close(fd);
            throw new NativeException("ioctl TUNSETIFF " + name, errno);
        }
        int end = 0;
        while (end < LibC.IFNAMSIZ && ifreq[end] != 0) {
            end++;
        }
        return new TunDevice(fd, new String(ifreq, 0, end, StandardCharsets.US_ASCII), netns);
    }

    /** The interface name the kernel gave (as asked, or {@code tun0} for a pattern such as {@code tun%d}). */
    public String name() {
        return name;
    }

    /** {@code NAME} or {@code NAME@NETNS}. */
    public String label() {
        return netns == null ? name : name + "@" + netns;
    }

    int fd() {
        return fd;
    }

    /**
     * Reads one packet into {@code buf} (at least {@link #MAX_PACKET_BYTES} long to never truncate) and returns its
     * length, or 0 when no packet is waiting.
     */
    public int read(byte[] buf) throws NativeException {
        while (true) {
            long n = LibC.INSTANCE.read(fd, buf, new NativeLong(buf.length)).longValue();
            if (n >= 0) {
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EAGAIN) {
                return 0;
            }
            if (errno != LibC.EINTR) {
                throw new NativeException("read " + name, errno);
            }
        }
    }

    /**
     * Writes one packet; returns 0 on success or the {@code errno} of the failure (EIO while the link is down, for
     * example), which the caller counts as a drop.
     */
    public int write(byte[] packet) {
        while (true) {
            long n = LibC.INSTANCE
                    .write(fd, packet, new NativeLong(packet.length))
                    .longValue();
            if (n >= 0) {
                return n == packet.length ? 0 : LibC.EIO;
            }
            int errno = Native.getLastError();
            if (errno != LibC.EINTR) {
                return errno;
            }
        }
    }

    @Override
    public synchronized void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            LibC.INSTANCE.close(f);
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + label() + "]";
    }
}
