package io.sansnet.http;

import io.sansnet.http.ConnectionStateMachine.Switch;
import io.sansnet.http.ConnectionStateMachine.Trigger;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One HTTP/1.1 connection seen from one end, without I/O (an h11-style sans-io codec). Read first: RFC 9112 (message
 * syntax, framing, connection management), RFC 9110 §7.8 (Upgrade), §9.3.6 (CONNECT), §10.1.1 (Expect).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Bytes in: {@link #receiveData} (an empty buffer means the peer closed), then call {@link #nextEvent} until it
 *       returns {@link HttpEvent.NeedData} or {@link HttpEvent.Paused}. Received bytes are not copied: {@link
 *       HttpEvent.Data} events are views of the buffers passed in, so those buffers must stay unchanged until
 *       nextEvent has returned NeedData or Paused (at which point anything left is copied, and the caller may reuse
 *       them).
 *   <li>Bytes out: {@link #send} returns the bytes for an event (head, body data, end of message), after checking that
 *       this role may send it in this state.
 *   <li>Both parties' states ({@link #ourState()}, {@link #theirState()}) move only through {@link
 *       ConnectionStateMachine}. After a complete keep-alive exchange both are DONE: {@link #startNextCycle()} resets
 *       them to IDLE; pipelined requests wait as Paused until then.
 *   <li>Errors: the peer's violations raise {@link RemoteProtocolError} from nextEvent (then their state is ERROR and
 *       every later call raises the same error); the application's misuse raises {@link LocalProtocolError} from send
 *       (then our state is ERROR). Both carry a status hint. Nothing here throws unchecked exceptions for any input
 *       bytes.
 *   <li>Memory: besides the caller's own buffers, at most one head ({@link HttpLimits}) and the unconsumed tail of
 *       the bytes received while Paused are held; received bytes not yet turned into events never exceed {@link
 *       HttpLimits#maxBufferedBytes()}: {@link #receiveData} refuses more (typed: their state becomes ERROR and
 *       nextEvent raises a {@link RemoteProtocolError}).
 * </ul>
 */
public final class HttpConnection {
    private final Role ourRole;
    private final HttpLimits limits;
    private final Set<HttpViolation> allowed;
    private final ConnectionStateMachine cstate = new ConnectionStateMachine();
    private final ReceiveBuffer rbuf = new ReceiveBuffer();

    private SectionReader headReader;
    private BodyReader bodyReader;
    private BodyWriter bodyWriter;
    /** The method of the request of the current cycle (needed to frame the response: HEAD, CONNECT). */
    private String requestMethod;

    /**
     * Client pipelining (RFC 9112 §9.3.2): requests sent after ours finished but before the current response did.
     * Their bytes went out at once; each enters the state machine when {@link #startNextCycle()} reaches it.
     */
    private final ArrayDeque<Pipelined> ahead = new ArrayDeque<>();
    /** A pipelined request said "close": nothing more may follow it. */
    private boolean pipelineClosed;

    private static final class Pipelined {
        final HttpEvent.Request request;
        final BodyWriter writer;
        boolean ended;

        Pipelined(HttpEvent.Request request, BodyWriter writer) {
            this.request = request;
            this.writer = writer;
        }
    }

    private HttpVersion theirHttpVersion;
    private boolean clientIsWaitingFor100Continue;
    private RemoteProtocolError theirError;

    public HttpConnection(Role ourRole) {
        this(ourRole, HttpLimits.DEFAULT, EnumSet.noneOf(HttpViolation.class));
    }

    public HttpConnection(Role ourRole, HttpLimits limits) {
        this(ourRole, limits, EnumSet.noneOf(HttpViolation.class));
    }

    /** @param allowed deviations from RFC 9112 to tolerate in what we receive (default none) */
    public HttpConnection(Role ourRole, HttpLimits limits, Set<HttpViolation> allowed) {
        this.ourRole = ourRole;
        this.limits = limits;
        this.allowed = allowed.isEmpty() ? EnumSet.noneOf(HttpViolation.class) : EnumSet.copyOf(allowed);
    }

    public Role ourRole() {
        return ourRole;
    }

    public Role theirRole() {
        return ourRole.peer();
    }

    public HttpState ourState() {
        return cstate.state(ourRole);
    }

    public HttpState theirState() {
        return cstate.state(theirRole());
    }

    public HttpLimits limits() {
        return limits;
    }

    /** The HTTP version of the last head received, or null before any. */
    public HttpVersion theirHttpVersion() {
        return theirHttpVersion;
    }

    /** Whether this connection can be reused after the current cycle (no "close", no HTTP/1.0 without keep-alive). */
    public boolean keepAlive() {
        return cstate.keepAlive();
    }

    /**
     * RFC 9110 §10.1.1: the client sent {@code Expect: 100-continue} and has not yet seen a response nor sent body
     * data. A server should then send {@code InformationalResponse(100)} before reading the body, or a final response.
     */
    public boolean clientIsWaitingFor100Continue() {
        return clientIsWaitingFor100Continue;
    }

    /** True when we are the server and the client waits for 100 Continue. */
    public boolean theyAreWaitingFor100Continue() {
        return ourRole == Role.SERVER && clientIsWaitingFor100Continue;
    }

    /**
     * Memory this connection holds for received bytes, besides views of the caller's buffers: the queued bytes copied
     * while Paused, the head or chunk line being assembled, parsed fields. Bounded by the limits (see class doc).
     */
    long heldBytes() {
        return rbuf.ownedBytes()
                + (headReader == null ? 0 : headReader.heldBytes())
                + (bodyReader == null ? 0 : bodyReader.heldBytes());
    }

    /** How many received bytes are queued and not yet turned into events. */
    public long bufferedBytes() {
        return rbuf.available();
    }

    /**
     * After a protocol switch (both SWITCHED_PROTOCOL, or the client waiting in MIGHT_SWITCH_PROTOCOL): the bytes
     * received after the last HTTP message, which belong to the new protocol. A copy; the buffer keeps them.
     */
    public ByteBuffer trailingData() {
        return rbuf.peekAll();
    }

    /** Whether the peer's end of stream was received. */
    public boolean receivedEof() {
        return rbuf.isClosed();
    }

    /**
     * Feeds received bytes; an empty buffer means the peer closed its side (EOF).
     *
     * @return true when the bytes were queued; false when they were refused because the bytes queued and not yet
     *     turned into events would exceed {@link HttpLimits#maxBufferedBytes()} (e.g. a driver that keeps feeding a
     *     Paused connection). Then none of {@code data} is kept, the peer's state is ERROR and {@link #nextEvent}
     *     raises a {@link RemoteProtocolError} with status hint 503; the connection cannot continue.
     * @throws IllegalStateException when data is fed after EOF (API misuse)
     */
    public boolean receiveData(ByteBuffer data) {
        if (rbuf.isClosed()) {
            if (!data.hasRemaining()) return true;
            throw new IllegalStateException("received data after end of stream");
        }
        if (!data.hasRemaining()) {
            rbuf.close();
            return true;
        }
        if (rbuf.available() + data.remaining() > limits.maxBufferedBytes()) {
            if (theirState() != HttpState.ERROR) {
                theirError = new RemoteProtocolError(
                        "more than " + limits.maxBufferedBytes() + " received bytes waiting to be processed", 503);
                cstate.processError(theirRole());
            }
            return false;
        }
        rbuf.add(data);
        return true;
    }

    /** Feeds {@code data[offset .. offset+length)}; length 0 means EOF. See {@link #receiveData(ByteBuffer)}. */
    public boolean receiveData(byte[] data, int offset, int length) {
        return receiveData(ByteBuffer.wrap(data, offset, length));
    }

    /**
     * The next event from the peer, or {@link HttpEvent.NeedData} / {@link HttpEvent.Paused}.
     *
     * @throws RemoteProtocolError if the peer violated HTTP/1.1; their state becomes ERROR and stays so
     */
    public HttpEvent nextEvent() throws RemoteProtocolError {
        if (theirState() == HttpState.ERROR) {
            if (theirError == null) theirError = new RemoteProtocolError("can't receive data when peer state is ERROR");
            throw theirError;
        }
        try {
            HttpEvent ev = extractNextReceiveEvent();
            if (ev instanceof HttpEvent.NeedData || ev instanceof HttpEvent.Paused) {
                rbuf.detach();
            } else {
                processEvent(theirRole(), ev);
            }
            return ev;
        } catch (RemoteProtocolError e) {
            return fail(e);
        } catch (LocalProtocolError e) {
            // An event the state machine refuses, coming from the peer, is the peer's fault (h11 does the same).
            return fail(new RemoteProtocolError(e.getMessage(), e.statusHint()));
        }
    }

    private HttpEvent fail(RemoteProtocolError e) throws RemoteProtocolError {
        theirError = e;
        cstate.processError(theirRole());
        rbuf.detach();
        throw e;
    }

    private HttpEvent extractNextReceiveEvent() throws RemoteProtocolError, LocalProtocolError {
        HttpState state = theirState();
        // Their message is finished but bytes are waiting: they belong to the next cycle (pipelining).
        if (state == HttpState.DONE && !rbuf.isEmpty()) return HttpEvent.Paused.INSTANCE;
        if (state == HttpState.MIGHT_SWITCH_PROTOCOL || state == HttpState.SWITCHED_PROTOCOL)
            return HttpEvent.Paused.INSTANCE;
        HttpEvent ev = null;
        switch (state) {
            case IDLE, SEND_RESPONSE -> {
                boolean readingRequest = theirRole() == Role.CLIENT;
                if (state == HttpState.SEND_RESPONSE && readingRequest)
                    throw new AssertionError("client never SEND_RESPONSE");
                if (headReader == null)
                    headReader = new SectionReader(
                            readingRequest ? SectionReader.Kind.REQUEST_HEAD : SectionReader.Kind.RESPONSE_HEAD,
                            limits);
                if (headReader.feed(rbuf)) {
                    SectionReader r = headReader;
                    headReader = null;
                    ev = readingRequest ? requestFrom(r) : responseFrom(r);
                } else if (rbuf.isClosed()) {
                    if (headReader.hasPartial())
                        throw new RemoteProtocolError("peer closed the connection in the middle of a message head");
                    headReader = null;
                    ev = new HttpEvent.ConnectionClosed();
                }
            }
            case SEND_BODY -> {
                ev = bodyReader.next(rbuf);
                if (ev == null && rbuf.isClosed()) ev = bodyReader.readEof();
            }
            case DONE, MUST_CLOSE, CLOSED -> {
                if (!rbuf.isEmpty()) throw new RemoteProtocolError("data received when expecting end of stream");
                if (rbuf.isClosed()) ev = new HttpEvent.ConnectionClosed();
            }
            default -> throw new AssertionError(state);
        }
        return ev == null ? HttpEvent.NeedData.INSTANCE : ev;
    }

    /** Checks a received request head beyond its syntax: Host (RFC 9112 §3.2) and framing (done in processEvent). */
    private HttpEvent requestFrom(SectionReader r) throws RemoteProtocolError {
        SectionReader.StartLine s = r.startLine();
        Headers h = r.fields();
        int hosts = h.count("Host");
        // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message
        // that lacks a Host header field and to any request message that contains more than one Host header field".
        if (hosts > 1) throw new RemoteProtocolError("more than one Host field");
        if (hosts == 0 && s.version() == HttpVersion.HTTP_1_1 && !allowed.contains(HttpViolation.MISSING_HOST))
            throw new RemoteProtocolError("HTTP/1.1 request without Host");
        return new HttpEvent.Request(s.method(), s.target(), s.version(), h);
    }

    private HttpEvent responseFrom(SectionReader r) {
        SectionReader.StartLine s = r.startLine();
        Headers h = r.fields();
        if (s.status() < 200) return new HttpEvent.InformationalResponse(s.status(), s.reason(), s.version(), h);
        return new HttpEvent.Response(s.status(), s.reason(), s.version(), h);
    }

    /**
     * The bytes to send for {@code event}: a head, body data, the end of a message, or nothing for ConnectionClosed.
     * Response heads are completed as the connection needs (h11's header clean-up): {@code Transfer-Encoding: chunked}
     * when no length is given and the peer speaks 1.1, {@code Connection: close} when this is the last response,
     * {@code Connection: keep-alive} to an HTTP/1.0 client that asked for it.
     *
     * @throws LocalProtocolError if the event is not allowed now; our state becomes ERROR
     */
    public byte[] send(HttpEvent event) throws LocalProtocolError {
        List<ByteBuffer> parts = sendBuffers(event);
        int n = 0;
        for (ByteBuffer b : parts) n += b.remaining();
        byte[] out = new byte[n];
        int off = 0;
        for (ByteBuffer b : parts) {
            int len = b.remaining();
            b.duplicate().get(out, off, len);
            off += len;
        }
        return out;
    }

    /**
     * Like {@link #send} but as a gather list: body data is passed through as the caller's buffer, not copied (only
     * chunk framing is added around it).
     */
    public List<ByteBuffer> sendBuffers(HttpEvent event) throws LocalProtocolError {
        if (ourState() == HttpState.ERROR) throw new LocalProtocolError("can't send data when our state is ERROR");
        try {
            if (event instanceof HttpEvent.NeedData || event instanceof HttpEvent.Paused)
                throw new LocalProtocolError("NeedData and Paused are not sendable events");
            if (event instanceof HttpEvent.Request r && canPipeline()) return pipelineRequest(r);
            if ((event instanceof HttpEvent.Data || event instanceof HttpEvent.EndOfMessage)
                    && !ahead.isEmpty()
                    && !ahead.peekLast().ended) return pipelinedBody(ahead.peekLast(), event);
            if (event instanceof HttpEvent.Response r) event = cleanUpResponseHeadersForSending(r);
            if (event instanceof HttpEvent.Request r) checkRequestForSending(r);
            HttpState before = ourState();
            BodyWriter writer = before == HttpState.SEND_BODY ? bodyWriter : null;
            processEvent(ourRole, event);
            List<ByteBuffer> out = new ArrayList<>(3);
            if (event instanceof HttpEvent.Request r) {
                out.add(Serializer.requestHead(r));
            } else if (event instanceof HttpEvent.Response r) {
                out.add(Serializer.responseHead(r.version(), r.status(), r.reason(), r.headers()));
            } else if (event instanceof HttpEvent.InformationalResponse r) {
                out.add(Serializer.responseHead(r.version(), r.status(), r.reason(), r.headers()));
            } else if (event instanceof HttpEvent.Data d) {
                writer.data(d.data(), out);
            } else if (event instanceof HttpEvent.EndOfMessage e) {
                writer.end(e.trailers(), out);
            }
            return out;
        } catch (LocalProtocolError e) {
            cstate.processError(ourRole);
            throw e;
        }
    }

    /**
     * Whether a client may send its next request now although the current response is not complete: our request is
     * finished, the connection stays open, no protocol switch is pending, and any earlier pipelined request is fully
     * sent.
     */
    private boolean canPipeline() {
        HttpState theirs = theirState();
        return ourRole == Role.CLIENT
                && ourState() == HttpState.DONE
                && cstate.keepAlive()
                && !pipelineClosed
                && !cstate.hasPendingSwitchProposal()
                && (theirs == HttpState.SEND_RESPONSE || theirs == HttpState.SEND_BODY || theirs == HttpState.DONE)
                && (ahead.isEmpty() || ahead.peekLast().ended);
    }

    private List<ByteBuffer> pipelineRequest(HttpEvent.Request r) throws LocalProtocolError {
        checkRequestForSending(r);
        // Requests whose answer changes the protocol cannot be followed by more HTTP on the same connection.
        if (r.method().equals("CONNECT") || proposesUpgrade(r))
            throw new LocalProtocolError("CONNECT and Upgrade requests cannot be pipelined");
        Pipelined p = new Pipelined(r, new BodyWriter(Framing.ofRequest(r, Long.MAX_VALUE)));
        if (!keepAliveOf(r.version(), r.headers())) pipelineClosed = true;
        ahead.addLast(p);
        List<ByteBuffer> out = new ArrayList<>(1);
        out.add(Serializer.requestHead(r));
        return out;
    }

    private static List<ByteBuffer> pipelinedBody(Pipelined p, HttpEvent event) throws LocalProtocolError {
        List<ByteBuffer> out = new ArrayList<>(3);
        if (event instanceof HttpEvent.Data d) {
            p.writer.check(d.data().remaining());
            p.writer.data(d.data(), out);
        } else {
            p.writer.end(((HttpEvent.EndOfMessage) event).trailers(), out);
            p.ended = true;
        }
        return out;
    }

    /** Client only: how many requests were sent ahead of the current cycle (pipelined) and are not yet answered. */
    public int pipelinedRequests() {
        return ahead.size();
    }

    /** Tells the connection that sending failed (the bytes did not all go out): our state becomes ERROR. */
    public void sendFailed() {
        cstate.processError(ourRole);
    }

    /**
     * Both sides finished a message on a keep-alive connection (both DONE): start the next request/response cycle.
     * On a client with pipelined requests, the oldest becomes the current request (its response is read next).
     *
     * @throws LocalProtocolError if either side is not DONE
     */
    public void startNextCycle() throws LocalProtocolError {
        cstate.startNextCycle();
        requestMethod = null;
        bodyReader = null;
        bodyWriter = null;
        clientIsWaitingFor100Continue = false;
        // The next pipelined request (already on the wire) becomes this cycle's request.
        Pipelined p = ahead.pollFirst();
        if (p != null) {
            processEvent(Role.CLIENT, p.request);
            bodyWriter = p.writer;
            if (p.ended) processEvent(Role.CLIENT, new HttpEvent.EndOfMessage());
        }
    }

    private void checkRequestForSending(HttpEvent.Request r) throws LocalProtocolError {
        // RFC 9112 §3.2: "A client MUST send a Host header field in all HTTP/1.1 request messages."
        int hosts = r.headers().count("Host");
        if (hosts > 1 || (hosts == 0 && r.version() == HttpVersion.HTTP_1_1))
            throw new LocalProtocolError("an HTTP/1.1 request needs exactly one Host field");
    }

    /** h11's {@code _clean_up_response_headers_for_sending}: makes the head agree with how the body will be framed. */
    private HttpEvent.Response cleanUpResponseHeadersForSending(HttpEvent.Response r) throws LocalProtocolError {
        Headers h = r.headers();
        boolean needClose = false;
        // Frame a HEAD response as the GET response would be, so Content-Length / Transfer-Encoding stay truthful.
        String method = "HEAD".equals(requestMethod) ? "GET" : requestMethod;
        Framing f = Framing.ofResponse(r.status(), r.version(), h, method, Long.MAX_VALUE);
        if (f.kind() != Framing.Kind.LENGTH) {
            h = h.without("Content-Length");
            if (theirHttpVersion == null || theirHttpVersion == HttpVersion.HTTP_1_0) {
                // An HTTP/1.0 client cannot parse chunked: delimit by closing (RFC 9112 §6.1, §6.3 item 8).
                h = h.without("Transfer-Encoding");
                if (!"HEAD".equals(requestMethod)) needClose = true;
            } else if (f.kind() == Framing.Kind.UNTIL_CLOSE && !h.contains("Transfer-Encoding")) {
                h = h.with("Transfer-Encoding", "chunked");
            }
        }
        List<String> connection = h.tokens("Connection");
        if (!cstate.keepAlive() || needClose) {
            if (!connection.contains("close")) {
                h = h.without("Connection").with("Connection", joinWith(connection, "keep-alive", "close"));
            }
        } else if (theirHttpVersion == HttpVersion.HTTP_1_0
                && !connection.contains("keep-alive")
                && !connection.contains("close")) {
            // RFC 9112 §9.3: an HTTP/1.0 connection persists only if both ends say keep-alive.
            h = h.with("Connection", "keep-alive");
        }
        return h == r.headers() ? r : new HttpEvent.Response(r.status(), r.reason(), r.version(), h);
    }

    private static String joinWith(List<String> tokens, String drop, String add) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (t.equals(drop) || t.equals(add)) continue;
            sb.append(t).append(", ");
        }
        return sb.append(add).toString();
    }

    /** h11's {@code _process_event}: one event from {@code role}, through the state machine, then bookkeeping. */
    private void processEvent(Role role, HttpEvent event) throws LocalProtocolError {
        HttpState oldClient = cstate.state(Role.CLIENT), oldServer = cstate.state(Role.SERVER);
        Framing framing = null;
        if (event instanceof HttpEvent.Request r) {
            if (role != Role.CLIENT) throw new LocalProtocolError("only a client sends requests");
            // Check framing before any state changes, so a bad head leaves the state machine untouched.
            framing = Framing.ofRequest(r, role == ourRole ? Long.MAX_VALUE : limits.maxBodyBytes());
            // RFC 9110 §9.3.6 and §7.8: CONNECT and Upgrade propose leaving HTTP/1.1; the server decides.
            if (r.method().equals("CONNECT")) cstate.processClientSwitchProposal(Switch.CONNECT);
            if (proposesUpgrade(r)) cstate.processClientSwitchProposal(Switch.UPGRADE);
        }
        if ((event instanceof HttpEvent.Response || event instanceof HttpEvent.InformationalResponse)
                && role != Role.SERVER) throw new LocalProtocolError("only a server sends responses");
        if (event instanceof HttpEvent.Response r) {
            framing = Framing.ofResponse(
                    r.status(),
                    r.version(),
                    r.headers(),
                    requestMethod,
                    role == ourRole ? Long.MAX_VALUE : limits.maxBodyBytes());
        }
        Switch serverSwitch = role == Role.SERVER ? serverSwitchEvent(event) : null;
        cstate.processEvent(role, trigger(event), serverSwitch);

        if (event instanceof HttpEvent.Request r) requestMethod = r.method();
        if (role == theirRole()) {
            if (event instanceof HttpEvent.Request r) theirHttpVersion = r.version();
            if (event instanceof HttpEvent.Response r) theirHttpVersion = r.version();
            if (event instanceof HttpEvent.InformationalResponse r) theirHttpVersion = r.version();
        }
        if (event instanceof HttpEvent.Request r && !keepAliveOf(r.version(), r.headers()))
            cstate.processKeepAliveDisabled();
        if (event instanceof HttpEvent.Response r
                && (!keepAliveOf(r.version(), r.headers()) || framing.kind() == Framing.Kind.UNTIL_CLOSE))
            cstate.processKeepAliveDisabled();

        // RFC 9110 §10.1.1 Expect: 100-continue, only meaningful from HTTP/1.1 clients.
        if (event instanceof HttpEvent.Request r
                && r.version() == HttpVersion.HTTP_1_1
                && r.headers().hasToken("Expect", "100-continue")) clientIsWaitingFor100Continue = true;
        if (event instanceof HttpEvent.InformationalResponse || event instanceof HttpEvent.Response)
            clientIsWaitingFor100Continue = false;
        if (role == Role.CLIENT && (event instanceof HttpEvent.Data || event instanceof HttpEvent.EndOfMessage))
            clientIsWaitingFor100Continue = false;

        // Entering SEND_BODY: set up the body reader (theirs) or writer (ours) for the framing just decided.
        HttpState oldTheirs = theirRole() == Role.CLIENT ? oldClient : oldServer;
        HttpState oldOurs = ourRole == Role.CLIENT ? oldClient : oldServer;
        if (role == theirRole() && theirState() == HttpState.SEND_BODY && oldTheirs != HttpState.SEND_BODY)
            bodyReader = switch (framing.kind()) {
                case LENGTH -> new BodyReader.ContentLength(framing.length());
                case CHUNKED -> new BodyReader.Chunked(limits);
                case UNTIL_CLOSE -> new BodyReader.UntilClose(limits.maxBodyBytes());
            };
        if (role == ourRole && ourState() == HttpState.SEND_BODY && oldOurs != HttpState.SEND_BODY)
            bodyWriter = new BodyWriter(framing);
        if (event instanceof HttpEvent.Data d && role == ourRole)
            bodyWriter.check(d.data().remaining());
    }

    /** RFC 9110 §7.8: Upgrade counts only with the "upgrade" connection option, and not from HTTP/1.0. */
    private static boolean proposesUpgrade(HttpEvent.Request r) {
        return r.version() == HttpVersion.HTTP_1_1
                && r.headers().contains("Upgrade")
                && r.headers().hasToken("Connection", "upgrade");
    }

    private Switch serverSwitchEvent(HttpEvent event) {
        if (event instanceof HttpEvent.InformationalResponse r && r.status() == 101) return Switch.UPGRADE;
        if (event instanceof HttpEvent.Response r
                && cstate.hasPendingSwitch(Switch.CONNECT)
                && r.status() >= 200
                && r.status() < 300) return Switch.CONNECT;
        return null;
    }

    private static Trigger trigger(HttpEvent e) {
        if (e instanceof HttpEvent.Request) return Trigger.REQUEST;
        if (e instanceof HttpEvent.InformationalResponse) return Trigger.INFORMATIONAL_RESPONSE;
        if (e instanceof HttpEvent.Response) return Trigger.RESPONSE;
        if (e instanceof HttpEvent.Data) return Trigger.DATA;
        if (e instanceof HttpEvent.EndOfMessage) return Trigger.END_OF_MESSAGE;
        if (e instanceof HttpEvent.ConnectionClosed) return Trigger.CONNECTION_CLOSED;
        throw new AssertionError("not a protocol event: " + e);
    }

    /** RFC 9112 §9.3: persistent unless "close"; HTTP/1.0 only with "keep-alive". */
    static boolean keepAliveOf(HttpVersion version, Headers h) {
        List<String> connection = h.tokens("Connection");
        if (connection.contains("close")) return false;
        if (version == HttpVersion.HTTP_1_0) return connection.contains("keep-alive");
        return true;
    }

    /** Frames our outgoing body according to the head we sent. */
    private static final class BodyWriter {
        private final Framing framing;
        private long sent;

        BodyWriter(Framing framing) {
            this.framing = framing;
        }

        /** Refuses data beyond the declared length before any state changes are visible to the caller. */
        void check(int n) throws LocalProtocolError {
            if (framing.kind() == Framing.Kind.LENGTH && sent + n > framing.length())
                throw new LocalProtocolError("too much data for declared Content-Length " + framing.length());
        }

        void data(ByteBuffer data, List<ByteBuffer> out) {
            int n = data.remaining();
            sent += n;
            if (n == 0) return;
            if (framing.kind() == Framing.Kind.CHUNKED) {
                // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                out.add(Serializer.chunkSize(n));
                out.add(data.duplicate());
                out.add(ByteBuffer.wrap(Serializer.CRLF));
            } else {
                out.add(data.duplicate());
            }
        }

        void end(Headers trailers, List<ByteBuffer> out) throws LocalProtocolError {
            switch (framing.kind()) {
                case LENGTH -> {
                    if (sent != framing.length())
                        throw new LocalProtocolError("too little data for declared Content-Length " + framing.length());
                    if (!trailers.isEmpty()) throw new LocalProtocolError("trailers need chunked coding");
                }
                case UNTIL_CLOSE -> {
                    if (!trailers.isEmpty()) throw new LocalProtocolError("trailers need chunked coding");
                }
                case CHUNKED -> out.add(Serializer.lastChunk(trailers));
            }
        }
    }
}
