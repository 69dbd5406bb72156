package io.sansnet.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Writes heads and chunk framing (RFC 9112 §3, §4, §5, §7.1). Field values are ISO-8859-1, octet for octet. */
final class Serializer {
    private Serializer() {}

    static final byte[] CRLF = {'\r', '\n'};

    /** A growable byte array (java.io stays out of the protocol code). */
    private static final class Out {
        private byte[] b;
        private int n;

        Out(int capacity) {
            b = new byte[capacity];
        }

        Out put(char c) {
            if (n == b.length) b = Arrays.copyOf(b, b.length * 2);
            b[n++] = (byte) c;
            return this;
        }

        Out put(String s) {
            for (int i = 0; i < s.length(); i++) put(s.charAt(i));
            return this;
        }

        Out crlf() {
            return put('\r').put('\n');
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(b, 0, n);
        }
    }

    static ByteBuffer requestHead(HttpEvent.Request r) {
        Out out = new Out(128);
        out.put(r.method())
                .put(' ')
                .put(r.target())
                .put(' ')
                .put(r.version().text())
                .crlf();
        fields(out, r.headers());
        return out.crlf().buffer();
    }

    static ByteBuffer responseHead(HttpVersion version, int status, String reason, Headers headers) {
        Out out = new Out(128);
        out.put(version.text())
                .put(' ')
                .put(Integer.toString(status))
                .put(' ')
                .put(reason)
                .crlf();
        fields(out, headers);
        return out.crlf().buffer();
    }

    static ByteBuffer chunkSize(int n) {
        return new Out(12).put(Integer.toHexString(n)).crlf().buffer();
    }

    /** last-chunk trailer-section CRLF */
    static ByteBuffer lastChunk(Headers trailers) {
        Out out = new Out(16);
        out.put('0').crlf();
        fields(out, trailers);
        return out.crlf().buffer();
    }

    private static void fields(Out out, Headers h) {
        for (int i = 0; i < h.size(); i++)
            out.put(h.name(i)).put(':').put(' ').put(h.value(i)).crlf();
    }
}
