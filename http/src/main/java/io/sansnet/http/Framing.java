package io.sansnet.http;

import java.util.List;
import java.util.Set;

/**
 * How a message body is delimited (RFC 9112 §6.3), decided from a head, the request method and the status. The same
 * rules check what we receive and what we send; they throw {@link LocalProtocolError}, which {@link HttpConnection}
 * turns into a {@link RemoteProtocolError} when the head came from the peer (as h11 does).
 */
record Framing(Kind kind, long length) {
    enum Kind {
        /** Exactly {@code length} octets (0 for no body). */
        LENGTH,
        /** The chunked transfer coding (RFC 9112 §7.1). */
        CHUNKED,
        /** Until the server closes the connection (responses only). */
        UNTIL_CLOSE
    }

    static final Framing NONE = new Framing(Kind.LENGTH, 0);
    static final Framing CHUNKED = new Framing(Kind.CHUNKED, -1);
    static final Framing UNTIL_CLOSE = new Framing(Kind.UNTIL_CLOSE, -1);

    /** Transfer codings registered with IANA that we recognise (and refuse with 501 in requests, since only chunked is implemented). */
    private static final Set<String> KNOWN_CODINGS =
            Set.of("chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress");

    /** RFC 9112 §6.3 for a request: Transfer-Encoding, then Content-Length, else no body. */
    static Framing ofRequest(HttpEvent.Request r, long maxBodyBytes) throws LocalProtocolError {
        Headers h = r.headers();
        boolean hasTe = h.contains("Transfer-Encoding");
        boolean hasCl = h.contains("Content-Length");
        // RFC 9112 §6.1: "A server MAY reject a request that contains both Content-Length and Transfer-Encoding or
        // process such a request in accordance with the Transfer-Encoding alone." We reject: smuggling defence (§11.2).
        if (hasTe && hasCl) throw new LocalProtocolError("both Transfer-Encoding and Content-Length", 400);
        Framing f;
        if (hasTe) {
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding "MUST [be treated] as if the framing is
            // faulty".
            if (r.version() == HttpVersion.HTTP_1_0)
                throw new LocalProtocolError("Transfer-Encoding in an HTTP/1.0 request", 400);
            List<String> codings = h.tokens("Transfer-Encoding");
            for (String c : codings)
                // RFC 9112 §6.1: "A server that receives a request message with a transfer coding it does not
                // understand SHOULD respond with 501 (Not Implemented)."
                if (!KNOWN_CODINGS.contains(c)) throw new LocalProtocolError("unknown transfer coding " + c, 501);
            checkChunkedOnce(codings);
            // RFC 9112 §6.3 item 4: chunked not final in a request: "the server MUST respond with the 400 (Bad
            // Request) status code and then close the connection".
            if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked"))
                throw new LocalProtocolError("Transfer-Encoding does not end in chunked", 400);
            if (codings.size() > 1)
                throw new LocalProtocolError("transfer codings other than chunked are not implemented", 501);
            f = CHUNKED;
        } else if (hasCl) {
            f = new Framing(Kind.LENGTH, contentLength(h, maxBodyBytes));
        } else {
            // RFC 9112 §6.3 item 7: "If this is a request message and none of the above are true, then the message
            // body length is zero".
            f = NONE;
        }
        // RFC 9110 §9.3.6: "A CONNECT request message does not have content."
        if (r.method().equals("CONNECT")) return NONE;
        return f;
    }

    /** RFC 9112 §6.3 for a response to {@code requestMethod} (null if no request was sent). */
    static Framing ofResponse(int status, HttpVersion version, Headers h, String requestMethod, long maxBodyBytes)
            throws LocalProtocolError {
        // RFC 9112 §6.3 item 1: HEAD responses, 1xx, 204 and 304 end with the header section, whatever they declare.
        if ("HEAD".equals(requestMethod) || status < 200 || status == 204 || status == 304) return NONE;
        // Item 2: a 2xx to CONNECT switches to tunnel mode.
        if ("CONNECT".equals(requestMethod) && status < 300) return NONE;
        boolean hasTe = h.contains("Transfer-Encoding");
        boolean hasCl = h.contains("Content-Length");
        // Item 3: TE overrides CL, but "ought to be handled as an error" (smuggling or response splitting).
        if (hasTe && hasCl) throw new LocalProtocolError("both Transfer-Encoding and Content-Length", 502);
        if (hasTe) {
            if (version == HttpVersion.HTTP_1_0)
                throw new LocalProtocolError("Transfer-Encoding in an HTTP/1.0 response", 502);
            List<String> codings = h.tokens("Transfer-Encoding");
            checkChunkedOnce(codings);
            // Item 4: chunked final: chunked framing (other codings stay for the application to decode);
            // otherwise the body is read until the connection closes.
            if (!codings.isEmpty() && codings.get(codings.size() - 1).equals("chunked")) return CHUNKED;
            return UNTIL_CLOSE;
        }
        if (hasCl) return new Framing(Kind.LENGTH, contentLength(h, maxBodyBytes));
        // Item 8: otherwise, until close.
        return UNTIL_CLOSE;
    }

    /** RFC 9112 §6.1: "A sender MUST NOT apply the chunked transfer coding more than once to a message body". */
    private static void checkChunkedOnce(List<String> codings) throws LocalProtocolError {
        int n = 0;
        for (String c : codings) if (c.equals("chunked")) n++;
        if (n > 1) throw new LocalProtocolError("chunked applied more than once", 400);
    }

    /**
     * RFC 9110 §8.6: Content-Length = 1*DIGIT. Several fields, or a list in one field, are accepted only when all
     * values are the same ("Content-Length: 42, 42" is allowed by §8.6: a recipient "MAY ... replace that invalid field
     * value with a single instance of the decimal value"); differing values are refused (RFC 9112 §6.3 item 5).
     */
    static long contentLength(Headers h, long maxBodyBytes) throws LocalProtocolError {
        long value = -1;
        for (String field : h.all("Content-Length")) {
            // The list elements, split at commas without allocating for the usual single value.
            for (int start = 0, comma; start <= field.length(); start = comma + 1) {
                comma = field.indexOf(',', start);
                if (comma < 0) comma = field.length();
                String s = Chars.trimOws(field.substring(start, comma));
                if (s.isEmpty()) throw new LocalProtocolError("empty Content-Length", 400);
                long v = 0;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') throw new LocalProtocolError("invalid Content-Length " + s, 400);
                    if (v > (Long.MAX_VALUE - 9) / 10) throw new LocalProtocolError("Content-Length overflow", 400);
                    v = v * 10 + (c - '0');
                }
                if (value >= 0 && v != value) throw new LocalProtocolError("conflicting Content-Length values", 400);
                value = v;
            }
        }
        if (value > maxBodyBytes)
            throw new LocalProtocolError("Content-Length " + value + " exceeds " + maxBodyBytes, 413);
        return value;
    }
}
