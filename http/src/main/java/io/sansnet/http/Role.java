package io.sansnet.http;

/** Which end of an HTTP/1.1 connection a {@link HttpConnection} plays (h11's CLIENT/SERVER). */
public enum Role {
    /** Sends requests, receives responses. */
    CLIENT,
    /** Receives requests, sends responses. */
    SERVER;

    /** The other end. */
    public Role peer() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
