package io.sansnet.driver.socket;

import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.FileSource;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.server.Reply;
import io.sansnet.http.server.Router;
import io.sansnet.http.server.StandardRoutes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Test helpers: a socket server on 127.0.0.1 with an ephemeral port, raw requests, pattern hashes. */
final class Servers {
    private Servers() {}

    static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    /** The standard routes plus {@code POST /upload}, which reads the whole body before answering. */
    static Router router(FileSource files) {
        return StandardRoutes.register(
                        Router.builder()
                                .post(
                                        "/upload",
                                        req -> Reply.withBody(
                                                Long.MAX_VALUE, (r, b) -> Reply.text(200, "got " + b.length))),
                        files,
                        StandardRoutes.DEFAULT_MAX_GENERATED_BYTES)
                .build();
    }

    static SocketHttpServer start(FileSource files, HttpServerConfig config) throws IOException {
        HttpServer server = new HttpServer(router(files), config, System::currentTimeMillis, AccessLog.NONE);
        return SocketHttpServer.start(server, LOOPBACK_ANY_PORT, 2);
    }

    /** Sends {@code request} on a new connection and reads until the server closes (or 10 s pass). */
    static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading everything (e.g. 414): read what it said.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (IOException e) {
                // a reset after the response: keep what arrived
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The status code of the first response in {@code wire}, or -1. */
    static int status(String wire) {
        if (!wire.startsWith("HTTP/1.1 ") || wire.length() < 12) return -1;
        return Integer.parseInt(wire.substring(9, 12));
    }

    /** SHA-256 of the first {@code n} bytes of the /bytes/N pattern. */
    static String patternSha256(long n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] period = new byte[251 * 256];
        for (int i = 0; i < period.length; i++) period[i] = (byte) (i % 251);
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(left, period.length);
            md.update(period, 0, k);
            left -= k;
        }
        return hex(md.digest());
    }

    static String sha256(byte[] b) throws Exception {
        return hex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder();
        for (byte x : d) sb.append(String.format("%02x", x));
        return sb.toString();
    }
}
