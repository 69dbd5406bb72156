package io.sansnet.bench.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's built-in {@code com.sun.net.httpserver}: its one dispatcher thread does the socket I/O, handlers run on a
 * fixed pool of {@code threads} threads. Run it with {@code -Dsun.net.httpserver.nodelay=true} (the benchmark does),
 * or every small response waits for Nagle's algorithm. The JDK adds {@code Date} itself.
 */
final class JdkPlaintext implements PlaintextServer {
    private final HttpServer server;
    private final ExecutorService executor;

    private JdkPlaintext(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static JdkPlaintext start(int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext(PATH, JdkPlaintext::handle);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jdk-http-handler");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new JdkPlaintext(server, executor);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("Server", "jdk");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        }
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
