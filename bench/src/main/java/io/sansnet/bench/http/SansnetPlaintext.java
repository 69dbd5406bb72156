package io.sansnet.bench.http;

import io.sansnet.driver.socket.SocketHttpServer;
import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.server.StandardRoutes;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * sansnet's HTTP server on the socket driver, as {@code sansnet serve --listen 127.0.0.1:0 --threads N --quiet} runs
 * it: the standard routes ({@code /plaintext} among them), default limits, no access log.
 */
final class SansnetPlaintext implements PlaintextServer {
    private final SocketHttpServer sockets;

    private SansnetPlaintext(SocketHttpServer sockets) {
        this.sockets = sockets;
    }

    static SansnetPlaintext start(int threads) throws IOException {
        HttpServer server = new HttpServer(
                StandardRoutes.router(null, StandardRoutes.DEFAULT_MAX_GENERATED_BYTES),
                HttpServerConfig.builder().build(),
                System::currentTimeMillis,
                AccessLog.NONE);
        return new SansnetPlaintext(SocketHttpServer.start(server, new InetSocketAddress("127.0.0.1", 0), threads));
    }

    @Override
    public int port() {
        return sockets.localAddress().getPort();
    }

    @Override
    public void close() {
        sockets.close();
    }
}
