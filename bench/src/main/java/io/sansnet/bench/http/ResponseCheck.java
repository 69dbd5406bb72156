package io.sansnet.bench.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fetches {@code /plaintext} once with a plain socket and checks it is the response the benchmark compares: {@code 200},
 * {@code Content-Type: text/plain}, {@code Content-Length: 13}, body {@code Hello, World!}.
 */
final class ResponseCheck {
    private ResponseCheck() {}

    /** Bounds the response head read here. */
    static final int MAX_HEAD_BYTES = 8192;

    /**
     * The response head, as received (one string per line).
     *
     * @param head the status line and the header lines
     */
    record Response(List<String> head, byte[] body) {
        String header(String name) {
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** Null when this is the benchmark's response, else what differs. */
        String problem() {
            if (!head.get(0).startsWith("HTTP/1.1 200")) return "status line " + head.get(0);
            String type = header("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(PlaintextServer.CONTENT_TYPE)) {
                return "Content-Type " + type;
            }
            if (!String.valueOf(PlaintextServer.BODY.length).equals(header("Content-Length"))) {
                return "Content-Length " + header("Content-Length");
            }
            if (!Arrays.equals(body, PlaintextServer.BODY)) {
                return "body " + new String(body, StandardCharsets.ISO_8859_1);
            }
            return null;
        }
    }

    static Response fetch(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + PlaintextServer.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) throw new IOException("connection closed inside the response head");
                head.write(b);
                if (head.size() > MAX_HEAD_BYTES) throw new IOException("response head over " + MAX_HEAD_BYTES);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            List<String> lines = new ArrayList<>(
                    Arrays.asList(head.toString(StandardCharsets.ISO_8859_1).split("\r\n")));
            Response partial = new Response(lines, new byte[0]);
            String length = partial.header("Content-Length");
            if (length == null || !length.matches("[0-9]{1,4}")) {
                return partial;
            }
            byte[] body = in.readNBytes(Integer.parseInt(length));
            return new Response(lines, body);
        }
    }
}
