package io.sansnet.http;

import java.nio.ByteBuffer;

/**
 * What happens on an HTTP/1.1 connection, in both directions (h11's {@code _events.py}): {@link HttpConnection#nextEvent}
 * returns them and {@link HttpConnection#send} takes them. A message is a head ({@link Request} or {@link Response}),
 * then zero or more {@link Data}, then {@link EndOfMessage}; a response may be preceded by {@link
 * InformationalResponse}s. {@link NeedData} and {@link Paused} are only returned, never sent: they say why no event is
 * available.
 *
 * <p>The records validate their fields in their constructors (IllegalArgumentException), so a value that exists is
 * well-formed; the connection checks the protocol rules that depend on state.
 */
public sealed interface HttpEvent {

    /**
     * A request head (RFC 9112 §3). {@code method} is a token (RFC 9110 §9), {@code target} visible ASCII.
     *
     * @param target the request-target exactly as on the wire (origin-, absolute-, authority- or asterisk-form)
     */
    record Request(String method, String target, HttpVersion version, Headers headers) implements HttpEvent {
        public Request {
            if (!Chars.isToken(method)) throw new IllegalArgumentException("method is not a token: " + method);
            if (!Chars.isRequestTarget(target)) throw new IllegalArgumentException("invalid request-target: " + target);
            if (version == null || headers == null) throw new IllegalArgumentException("null version or headers");
        }

        /** An HTTP/1.1 request. */
        public Request(String method, String target, Headers headers) {
            this(method, target, HttpVersion.HTTP_1_1, headers);
        }
    }

    /** A 1xx interim response (RFC 9110 §15.2), 101 Switching Protocols included. */
    record InformationalResponse(int status, String reason, HttpVersion version, Headers headers) implements HttpEvent {
        public InformationalResponse {
            if (status < 100 || status > 199) throw new IllegalArgumentException("not a 1xx status: " + status);
            Response.checkReason(reason);
            if (version == null || headers == null) throw new IllegalArgumentException("null version or headers");
        }

        public InformationalResponse(int status, Headers headers) {
            this(status, "", HttpVersion.HTTP_1_1, headers);
        }
    }

    /** A final response head (RFC 9112 §4), status 200..999. */
    record Response(int status, String reason, HttpVersion version, Headers headers) implements HttpEvent {
        public Response {
            if (status < 200 || status > 999) throw new IllegalArgumentException("not a final status: " + status);
            checkReason(reason);
            if (version == null || headers == null) throw new IllegalArgumentException("null version or headers");
        }

        public Response(int status, Headers headers) {
            this(status, "", HttpVersion.HTTP_1_1, headers);
        }

        static void checkReason(String reason) {
            if (reason == null) throw new IllegalArgumentException("null reason");
            for (int i = 0; i < reason.length(); i++) {
                char c = reason.charAt(i);
                if (c > 0xFF || !Chars.isFieldValueOctet(c))
                    throw new IllegalArgumentException("invalid character in reason-phrase");
            }
        }
    }

    /**
     * Body bytes. Received data is a view of the buffer given to {@link HttpConnection#receiveData}, not a copy: read it
     * before that buffer is reused. With chunked coding, {@code chunkStart}/{@code chunkEnd} mark where a chunk of the
     * wire encoding began and ended (informational only; chunk boundaries carry no meaning, RFC 9112 §7.1).
     */
    record Data(ByteBuffer data, boolean chunkStart, boolean chunkEnd) implements HttpEvent {
        public Data {
            if (data == null) throw new IllegalArgumentException("null data");
        }

        public Data(ByteBuffer data) {
            this(data, false, false);
        }

        public Data(byte[] data) {
            this(ByteBuffer.wrap(data), false, false);
        }

        /** The number of body bytes. */
        public int length() {
            return data.remaining();
        }

        /** A copy of the bytes. */
        public byte[] toByteArray() {
            byte[] out = new byte[data.remaining()];
            data.duplicate().get(out);
            return out;
        }
    }

    /** The end of a message, with the trailer section of a chunked message (RFC 9112 §7.1.2), else empty. */
    record EndOfMessage(Headers trailers) implements HttpEvent {
        public EndOfMessage {
            if (trailers == null) throw new IllegalArgumentException("null trailers");
        }

        public EndOfMessage() {
            this(Headers.EMPTY);
        }
    }

    /** The peer closed its sending side (or, when sent, we are closing ours). */
    record ConnectionClosed() implements HttpEvent {}

    /** No complete event yet: feed more bytes with {@link HttpConnection#receiveData}. */
    record NeedData() implements HttpEvent {
        public static final NeedData INSTANCE = new NeedData();
    }

    /**
     * Bytes are waiting, but they belong to a later cycle (a pipelined request while our response is unfinished) or to
     * another protocol (after Upgrade/CONNECT). Finish the current cycle and call {@link
     * HttpConnection#startNextCycle()}, or take {@link HttpConnection#trailingData()} after a switch.
     */
    record Paused() implements HttpEvent {
        public static final Paused INSTANCE = new Paused();
    }
}
