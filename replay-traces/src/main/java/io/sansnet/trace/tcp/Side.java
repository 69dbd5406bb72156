package io.sansnet.trace.tcp;

/** Which endpoint sent a segment: the client sent the connection's first SYN. */
public enum Side {
    CLIENT,
    SERVER;

    public Side other() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
