package io.sansnet.cli;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a graceful stop: long-running commands stop, print their counters and exit 0 (the CLI
 * contract), instead of dying with 130/143. Handlers run on the JVM's signal-dispatch thread.
 */
final class Signals {
    private Signals() {}

    /** Calls {@code onStop} (once per signal) when SIGINT or SIGTERM arrives. */
    static void onInterrupt(Runnable onStop) {
        Signal.handle(new Signal("INT"), s -> onStop.run());
        Signal.handle(new Signal("TERM"), s -> onStop.run());
    }
}
