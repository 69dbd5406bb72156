package io.sansnet.stack.app;

/**
 * An application: started on its host's loop when the host boots, and started again (with fresh state) after the host
 * restarts.
 */
@FunctionalInterface
public interface App {

    /** Called on the owning loop once the host is up. */
    void start(AppHost host);
}
