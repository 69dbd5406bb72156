package io.sansnet.bench.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs one {@link PlaintextServer} in its own JVM for {@link HttpBench}: {@code PeerServer NAME THREADS} prints {@code
 * listening PORT} once bound and serves until its standard input ends (so it never outlives the harness).
 */
public final class PeerServer {
    private PeerServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PeerServer sansnet|netty|netty-epoll|jdk THREADS");
            System.exit(2);
        }
        try (PlaintextServer server = PlaintextServer.start(args[0], Integer.parseInt(args[1]))) {
            System.out.println("listening " + server.port());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // wait for EOF
            }
        }
        System.exit(0);
    }
}
