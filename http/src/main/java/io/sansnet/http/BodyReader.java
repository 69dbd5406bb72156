package io.sansnet.http;

import java.nio.ByteBuffer;

/**
 * Turns received body bytes into {@link HttpEvent.Data} views and one {@link HttpEvent.EndOfMessage}, for each way a
 * body can be delimited (RFC 9112 §6.3). {@link #next} returns null when it needs more bytes.
 */
sealed interface BodyReader {

    HttpEvent next(ReceiveBuffer rb) throws RemoteProtocolError;

    /** The peer closed with the buffer empty: the end of the body, or a truncated message. */
    HttpEvent readEof() throws RemoteProtocolError;

    /** Bytes of memory held between calls (chunk-size line, trailers); body data is never held. */
    default long heldBytes() {
        return 0;
    }

    /** RFC 9112 §6.3 item 6: exactly {@code remaining} octets. */
    final class ContentLength implements BodyReader {
        private long remaining;

        ContentLength(long length) {
            this.remaining = length;
        }

        @Override
        public HttpEvent next(ReceiveBuffer rb) {
            if (remaining == 0) return new HttpEvent.EndOfMessage();
            if (rb.isEmpty()) return null;
            ByteBuffer s = rb.slice(remaining);
            remaining -= s.remaining();
            return new HttpEvent.Data(s);
        }

        @Override
        public HttpEvent readEof() throws RemoteProtocolError {
            throw new RemoteProtocolError("peer closed the connection with " + remaining + " body bytes missing");
        }
    }

    /** RFC 9112 §6.3 item 8: a response body without declared length ends when the server closes. */
    final class UntilClose implements BodyReader {
        private final long maxBodyBytes;
        private long received;

        UntilClose(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public HttpEvent next(ReceiveBuffer rb) throws RemoteProtocolError {
            if (rb.isEmpty()) return null;
            ByteBuffer s = rb.slice(Long.MAX_VALUE);
            received += s.remaining();
            if (received > maxBodyBytes)
                throw new RemoteProtocolError("body larger than " + maxBodyBytes + " bytes", 413);
            return new HttpEvent.Data(s);
        }

        @Override
        public HttpEvent readEof() {
            return new HttpEvent.EndOfMessage();
        }
    }

    /**
     * RFC 9112 §7.1: chunked-body = *chunk last-chunk trailer-section CRLF, read incrementally. The chunk-size line is
     * collected (bounded by {@link HttpLimits#maxChunkLineBytes()}) and checked strictly: hex digits only, then
     * extensions exactly as the grammar allows; the CRLF after chunk data must be exactly CRLF.
     */
    final class Chunked implements BodyReader {
        private enum Phase {
            SIZE_LINE,
            DATA,
            DATA_CR,
            DATA_LF,
            TRAILERS
        }

        private final HttpLimits limits;
        private Phase phase = Phase.SIZE_LINE;
        private byte[] line = new byte[32];
        private int lineLen;
        private boolean pendingCr;
        private long chunkRemaining;
        private boolean chunkStart;
        private long received;
        private SectionReader trailers;

        Chunked(HttpLimits limits) {
            this.limits = limits;
        }

        @Override
        public HttpEvent next(ReceiveBuffer rb) throws RemoteProtocolError {
            while (true) {
                switch (phase) {
                    case SIZE_LINE:
                        if (!readSizeLine(rb)) return null;
                        break;
                    case DATA: {
                        if (rb.isEmpty()) return null;
                        ByteBuffer s = rb.slice(chunkRemaining);
                        chunkRemaining -= s.remaining();
                        boolean start = chunkStart;
                        chunkStart = false;
                        if (chunkRemaining == 0) phase = Phase.DATA_CR;
                        return new HttpEvent.Data(s, start, chunkRemaining == 0);
                    }
                    case DATA_CR:
                    case DATA_LF: {
                        if (rb.isEmpty()) return null;
                        int b = rb.next();
                        int want = phase == Phase.DATA_CR ? Chars.CR : Chars.LF;
                        if (b != want) throw new RemoteProtocolError("chunk data not followed by CRLF");
                        phase = phase == Phase.DATA_CR ? Phase.DATA_LF : Phase.SIZE_LINE;
                        break;
                    }
                    case TRAILERS:
                        if (!trailers.feed(rb)) return null;
                        Headers t = trailers.fields();
                        trailers = null;
                        return new HttpEvent.EndOfMessage(t);
                    default:
                        throw new AssertionError(phase);
                }
            }
        }

        /** Collects the chunk-size line; true once it is complete and parsed. */
        private boolean readSizeLine(ReceiveBuffer rb) throws RemoteProtocolError {
            while (!rb.isEmpty()) {
                int b = rb.next();
                if (pendingCr) {
                    if (b != Chars.LF) throw new RemoteProtocolError("bare CR in chunk-size line");
                    pendingCr = false;
                    parseSizeLine();
                    lineLen = 0;
                    return true;
                }
                if (b == Chars.CR) {
                    pendingCr = true;
                    continue;
                }
                if (b == Chars.LF) throw new RemoteProtocolError("bare LF in chunk-size line");
                if (lineLen >= limits.maxChunkLineBytes())
                    throw new RemoteProtocolError("chunk-size line or chunk extensions too long");
                if (lineLen == line.length) line = java.util.Arrays.copyOf(line, line.length * 2);
                line[lineLen++] = (byte) b;
            }
            return false;
        }

        /** chunk = chunk-size [ chunk-ext ] CRLF; chunk-size = 1*HEXDIG (RFC 9112 §7.1). */
        private void parseSizeLine() throws RemoteProtocolError {
            int i = 0, n = lineLen;
            long size = 0;
            int significant = 0;
            while (i < n && Chars.hexValue(line[i]) >= 0) {
                int v = Chars.hexValue(line[i++]);
                if (significant > 0 || v != 0) significant++;
                // 15 hex digits reach 2^60: far beyond any limit, and no overflow is possible below.
                if (significant > 15) throw new RemoteProtocolError("chunk size too large");
                size = size * 16 + v;
            }
            if (i == 0) throw new RemoteProtocolError("invalid chunk size");
            if (n - i > limits.maxChunkExtensionBytes()) throw new RemoteProtocolError("chunk extensions too long");
            parseExtensions(line, i, n);
            if (size > limits.maxBodyBytes() - received)
                throw new RemoteProtocolError("body larger than " + limits.maxBodyBytes() + " bytes", 413);
            received += size;
            if (size == 0) {
                phase = Phase.TRAILERS;
                trailers = new SectionReader(SectionReader.Kind.TRAILERS, limits);
            } else {
                phase = Phase.DATA;
                chunkRemaining = size;
                chunkStart = true;
            }
            if (line.length > 256) line = new byte[32];
        }

        /**
         * RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), chunk-ext-name =
         * token, chunk-ext-val = token / quoted-string. Extensions are checked, then ignored (§7.1.1: "A recipient MUST
         * ignore unrecognized chunk extensions").
         */
        static void parseExtensions(byte[] b, int i, int n) throws RemoteProtocolError {
            while (i < n) {
                while (i < n && Chars.isOws(b[i])) i++;
                if (i >= n || b[i] != ';') throw new RemoteProtocolError("invalid character after chunk size");
                i++;
                while (i < n && Chars.isOws(b[i])) i++;
                int nameStart = i;
                while (i < n && Chars.isTchar(b[i])) i++;
                if (i == nameStart) throw new RemoteProtocolError("empty chunk extension name");
                int save = i;
                while (i < n && Chars.isOws(b[i])) i++;
                if (i < n && b[i] == '=') {
                    i++;
                    while (i < n && Chars.isOws(b[i])) i++;
                    if (i < n && b[i] == '"') {
                        i = skipQuotedString(b, i, n);
                    } else {
                        int valStart = i;
                        while (i < n && Chars.isTchar(b[i])) i++;
                        if (i == valStart) throw new RemoteProtocolError("empty chunk extension value");
                    }
                } else {
                    i = save;
                }
            }
        }

        /** RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; returns the index after it. */
        private static int skipQuotedString(byte[] b, int i, int n) throws RemoteProtocolError {
            i++;
            while (i < n) {
                int c = b[i] & 0xFF;
                if (c == '"') return i + 1;
                if (c == '\\') {
                    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                    if (i + 1 >= n || !Chars.isFieldValueOctet(b[i + 1]))
                        throw new RemoteProtocolError("invalid quoted-pair in chunk extension");
                    i += 2;
                    continue;
                }
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
                if (!Chars.isFieldValueOctet(c)) throw new RemoteProtocolError("invalid character in quoted string");
                i++;
            }
            throw new RemoteProtocolError("unterminated quoted string in chunk extension");
        }

        @Override
        public long heldBytes() {
            return line.length + (trailers == null ? 0 : trailers.heldBytes());
        }

        @Override
        public HttpEvent readEof() throws RemoteProtocolError {
            throw new RemoteProtocolError("peer closed the connection in the middle of a chunked body");
        }
    }
}
