package io.sansnet.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One of the servers the HTTP benchmark compares, listening on {@code 127.0.0.1} at an ephemeral port and answering
 * {@code GET /plaintext} with {@code 200}, {@code Content-Type: text/plain} and the 13-byte body {@code Hello, World!}
 * (plus {@code Content-Length}, {@code Date} and {@code Server}), keeping connections alive and answering pipelined
 * requests in order.
 */
public interface PlaintextServer extends AutoCloseable {

    /** The body every peer sends. */
    byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** The media type every peer sends. */
    String CONTENT_TYPE = "text/plain";

    /** The path every peer serves. */
    String PATH = "/plaintext";

    /** The peers {@link #start} knows, in the order the benchmark runs them. */
    List<String> PEERS = List.of("sansnet", "netty", "jdk");

    /** The bound port. */
    int port();

    /** Stops the server and its threads. */
    @Override
    void close();

    /**
     * Starts peer {@code name} with {@code threads} I/O threads.
     *
     * @param name {@code sansnet} (the socket driver), {@code netty} (NIO transport), {@code netty-epoll} (Netty's
     *     native epoll transport) or {@code jdk} ({@code com.sun.net.httpserver})
     */
    static PlaintextServer start(String name, int threads) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
        return switch (name) {
            case "sansnet" -> SansnetPlaintext.start(threads);
            case "netty" -> NettyPlaintext.start(threads, false);
            case "netty-epoll" -> NettyPlaintext.start(threads, true);
            case "jdk" -> JdkPlaintext.start(threads);
            default ->
                throw new IllegalArgumentException(
                        "unknown peer '" + name + "' (known: sansnet, netty, netty-epoll, jdk)");
        };
    }
}
