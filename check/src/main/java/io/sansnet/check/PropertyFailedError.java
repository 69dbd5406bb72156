package io.sansnet.check;

/**
 * A property failed. The message is the whole report: the property, the try, its seed, the shrunk counterexample
 * and the one-line command that replays the try. The cause is the original failure; the shrunk counterexample's own
 * failure, when it is another object, is attached as a suppressed exception.
 */
public final class PropertyFailedError extends AssertionError {
    private final String property;
    private final int tryIndex;
    private final long seed;
    private final String counterexample;
    private final String replayCommand;

    PropertyFailedError(
            String message,
            Throwable cause,
            String property,
            int tryIndex,
            long seed,
            String counterexample,
            String replayCommand) {
        super(message, cause);
        this.property = property;
        this.tryIndex = tryIndex;
        this.seed = seed;
        this.counterexample = counterexample;
        this.replayCommand = replayCommand;
    }

    /** The property's name, {@code Class#method} under JUnit. */
    public String property() {
        return property;
    }

    /** The failing try's index (0-based), or -1 when the try was replayed from a given seed. */
    public int tryIndex() {
        return tryIndex;
    }

    /** The failing try's seed: replaying it repeats the failure. */
    public long seed() {
        return seed;
    }

    /** The shrunk counterexample as printed: notes, then drawn values, one per line. */
    public String counterexample() {
        return counterexample;
    }

    /** The command that replays this one try. */
    public String replayCommand() {
        return replayCommand;
    }
}
