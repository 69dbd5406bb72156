package io.sansnet.driver.tun;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls the TUN driver needs, bound through JNA. {@code errno} of the last call on this thread is read
 * with {@link Native#getLastError()}. Constants are Linux x86-64/aarch64 values.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDWR = 0x2;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    int O_RDONLY = 0x0;

    /** {@code _IOW('T', 202, int)}: attach this file descriptor to a TUN/TAP interface (linux/if_tun.h). */
    long TUNSETIFF = 0x400454caL;

    short IFF_TUN = 0x0001;
    short IFF_NO_PI = 0x1000;

    /** {@code struct ifreq} is 40 bytes on 64-bit Linux: a 16-byte name, then a union whose first member is flags. */
    int IFREQ_SIZE = 40;

    int IFNAMSIZ = 16;

    short POLLIN = 0x001;
    short POLLERR = 0x008;
    short POLLHUP = 0x010;
    short POLLNVAL = 0x020;

    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    /** {@code CLONE_NEWNET} for {@link #setns}. */
    int CLONE_NEWNET = 0x40000000;

    int EINTR = 4;
    int EIO = 5;
    int EAGAIN = 11;
    int EPERM = 1;
    int ENOENT = 2;
    int EACCES = 13;
    int EBUSY = 16;
    int ENODEV = 19;
    int EINVAL = 22;

    int open(String path, int flags);

    int ioctl(int fd, NativeLong request, byte[] arg);

    NativeLong read(int fd, byte[] buf, NativeLong count);

    NativeLong write(int fd, byte[] buf, NativeLong count);

    int close(int fd);

    /** {@code struct pollfd[]} at {@code fds}: 8 bytes each, {@code int fd; short events; short revents}. */
    int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

    /**
     * {@code ppoll(2)}: like poll with a {@code struct timespec} timeout ({@code long tv_sec; long tv_nsec}), so
     * deadlines keep their microseconds; a null timeout waits forever, a null signal mask keeps the thread's.
     */
    int ppoll(Pointer fds, NativeLong nfds, Pointer timeout, Pointer sigmask);

    int eventfd(int initval, int flags);

    int setns(int fd, int nstype);

    String strerror(int errnum);
}
