package io.sansnet.driver.tun;

import java.io.IOException;

/** A failed system call: which call, on what, and the {@code errno} with its text. */
public final class NativeException extends IOException {
    private final int errno;

    public NativeException(String what, int errno) {
        super(what + ": " + describe(errno));
        this.errno = errno;
    }

    /** The C {@code errno} of the failed call. */
    public int errno() {
        return errno;
    }

    /** Whether the failure is about the environment the process runs in (no device, no permission). */
    public boolean isEnvironment() {
        return errno == LibC.EPERM
                || errno == LibC.EACCES
                || errno == LibC.ENOENT
                || errno == LibC.ENODEV
                || errno == LibC.EBUSY
                || errno == LibC.EINVAL;
    }

    static String describe(int errno) {
        String text;
        try {
            text = LibC.INSTANCE.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return (text == null ? "error" : text) + " (errno " + errno + ")";
    }
}
