package io.sansnet.cli;

import io.sansnet.driver.tun.NativeException;
import java.io.PrintWriter;

/** Maps how a driver loop ended to an exit code. */
final class Failures {
    private Failures() {}

    static int exitCode(Throwable failure, PrintWriter err) {
        if (failure == null) {
            return Main.EXIT_OK;
        }
        err.println("sansnet: the loop failed: " + failure);
        err.flush();
        if (failure instanceof NativeException ne && ne.isEnvironment()) {
            return Main.EXIT_ENVIRONMENT;
        }
        return Main.EXIT_CHECK_FAILED;
    }
}
