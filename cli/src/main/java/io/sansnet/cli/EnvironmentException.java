package io.sansnet.cli;

/** The machine lacks something the command needs (a device, a permission, a readable file): exit code 3. */
public final class EnvironmentException extends RuntimeException {
    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }

    public EnvironmentException(String message) {
        super(message);
    }
}
