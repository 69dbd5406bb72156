package io.sansnet.http.server;

import io.sansnet.http.Headers;
import io.sansnet.http.HttpConnection;
import io.sansnet.http.HttpEvent;
import io.sansnet.http.HttpState;
import io.sansnet.http.HttpVersion;
import io.sansnet.http.LocalProtocolError;
import io.sansnet.http.RemoteProtocolError;
import io.sansnet.http.Role;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * One server-side HTTP/1.1 connection: the {@link HttpConnection} codec, the exchange in progress, the timeouts and
 * the handler calls, with no I/O, threads or clock. Read first: RFC 9112 §9 (connection management), RFC 9110 §10.1.1
 * (Expect), §15 (statuses).
 *
 * <p>Contract (the transport glue, e.g. {@link StreamBinding}, follows it):
 *
 * <ul>
 *   <li>Input: {@link #handleData} (then {@link #retainsInput()} says whether views of that buffer are still held),
 *       {@link #handleEof}, {@link #handleTimeout}. {@code nowNanos} never goes backwards.
 *   <li>Output: call {@link #pollTransmit} while the transport can take bytes; each buffer returned stays valid until
 *       the next pollTransmit, so write it whole first. Response bodies are pulled from their {@link BodySource} only
 *       here, so a transport that cannot take more stops the producer (backpressure).
 *   <li>After writing, report with {@link #transmitResult} whether the transport left bytes unwritten: that drives the
 *       send-stall deadline (a peer that stops reading is dropped after {@link HttpServerConfig#sendStallTimeoutNanos()}
 *       without progress).
 *   <li>When pollTransmit returns null and {@link #wantsOutputShutdown()}, send FIN and call {@link #outputShutdown};
 *       when {@link #isClosed()}, close the transport. {@link #wantsRead()} says whether to read at all; {@link
 *       #pollTimeout()} when to call handleTimeout next.
 * </ul>
 *
 * <p>Phases (only {@link #enter} changes them): OPEN (exchanges run) → FLUSH_THEN_CLOSE (last bytes go out) → LINGER
 * (FIN sent, input read and discarded until the peer's FIN or the linger deadline) → CLOSED. Any phase may jump to
 * CLOSED (abort).
 */
public final class ServerConnection {

    /** {@link #pollTimeout()} when no timer is armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    enum Phase {
        OPEN,
        FLUSH_THEN_CLOSE,
        LINGER,
        CLOSED
    }

    /** What happens to request-body bytes of the current exchange. */
    private enum BodyMode {
        /** Queued (as views) in the {@link RequestBody} for the handler to read. */
        BUFFER,
        /** Copied into one array for a {@link Reply.WithBody} continuation. */
        ACCUMULATE,
        /** Read and dropped: nobody wants them, but they must be consumed to reach the next request. */
        DISCARD
    }

    /** The request/response pair in progress. */
    private static final class Exchange {
        ServerRequest request;
        String requestLine;
        RequestBody body;
        boolean head;
        boolean requestComplete;
        BodyMode mode = BodyMode.DISCARD;
        Reply.WithBody withBody;
        byte[] acc;
        int accLen;
        PendingReply pending;
        BodySource source;
        boolean headSent;
        boolean responseComplete;
        boolean expectContinueUnanswered;
        int status;
        long bodySent;
    }

    private final HttpServer server;
    private final HttpServerConfig config;
    private final HttpConnection codec;
    private final String peer;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long outBytes;
    private ByteBuffer scratch;
    private Phase phase = Phase.OPEN;
    private Exchange ex;
    /** The codec holds views of the last received buffer (we stopped before NeedData/Paused). */
    private boolean inputHeld;
    /** The codec has the next pipelined request waiting until the current exchange ends. */
    private boolean paused;
    /** The peer's FIN arrived. */
    private boolean peerClosed;

    private long headerDeadline = NO_DEADLINE;
    private long bodyDeadline = NO_DEADLINE;
    private long idleDeadline;
    private long handlerDeadline = NO_DEADLINE;
    private long lingerDeadline = NO_DEADLINE;
    /** While the transport holds our bytes unwritten: when to give up on the peer (send-stall timeout). */
    private long stallDeadline = NO_DEADLINE;

    private Runnable wakeup = () -> {};

    ServerConnection(HttpServer server, long nowNanos, String peer) {
        this.server = server;
        this.config = server.config();
        this.codec = new HttpConnection(Role.SERVER, config.limits());
        this.peer = peer;
        this.idleDeadline = nowNanos + config.idleTimeoutNanos();
        server.counters().connectionsOpened.incrementAndGet();
    }

    /** Called when work appeared outside a call into this object (a deferred reply, a body source became ready). */
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    // ---------------------------------------------------------------- input

    /** Bytes from the peer. Views of {@code data} may be kept: see {@link #retainsInput()}. */
    public void handleData(long nowNanos, ByteBuffer data) {
        lastNow = nowNanos;
        if (phase != Phase.OPEN || peerClosed || !data.hasRemaining()) return; // LINGER: discarded
        if (ex == null && headerDeadline == NO_DEADLINE) {
            // The head deadline runs from the first byte of the request and is never extended (slowloris).
            headerDeadline = nowNanos + config.headerTimeoutNanos();
            idleDeadline = NO_DEADLINE;
        }
        if (ex != null && !ex.requestComplete) bodyDeadline = nowNanos + config.bodyTimeoutNanos();
        // A refusal (HttpLimits.maxBufferedBytes: the transport ignored wantsRead) ends the connection: the codec
        // reports it as a RemoteProtocolError from nextEvent, or finishExchange sees their ERROR state and closes.
        if (codec.receiveData(data)) inputHeld = true;
        process(nowNanos);
    }

    /** The peer sent FIN. */
    public void handleEof(long nowNanos) {
        lastNow = nowNanos;
        if (phase == Phase.LINGER) {
            enter(Phase.CLOSED);
            return;
        }
        if (peerClosed) return;
        if (phase != Phase.OPEN) {
            peerClosed = true;
            return;
        }
        codec.receiveData(ByteBuffer.allocate(0));
        inputHeld = true;
        process(nowNanos);
    }

    /** Fires the timers due at {@code nowNanos}; early or repeated calls are harmless. */
    public void handleTimeout(long nowNanos) {
        lastNow = nowNanos;
        if ((phase == Phase.OPEN || phase == Phase.FLUSH_THEN_CLOSE) && nowNanos >= stallDeadline) {
            // The peer has taken none of our bytes for the whole send-stall timeout: it stopped reading.
            stallDeadline = NO_DEADLINE;
            server.counters().sendStallTimeouts.incrementAndGet();
            abort();
            return;
        }
        if (phase == Phase.LINGER && nowNanos >= lingerDeadline) {
            enter(Phase.CLOSED);
            return;
        }
        if (phase == Phase.FLUSH_THEN_CLOSE && nowNanos >= lingerDeadline) {
            // The client does not read our last response: give up on it.
            abort();
            return;
        }
        if (phase != Phase.OPEN) return;
        takeDeferredReply(nowNanos);
        if (phase != Phase.OPEN) return;
        if (nowNanos >= headerDeadline) {
            headerDeadline = NO_DEADLINE;
            server.counters().headerTimeouts.incrementAndGet();
            rejectAndClose(nowNanos, 408, ex == null ? "-" : ex.requestLine);
        } else if (nowNanos >= idleDeadline) {
            idleDeadline = NO_DEADLINE;
            server.counters().idleTimeouts.incrementAndGet();
            closeAfterFlush(); // RFC 9112 §9.5: a server may close an idle connection at any time
        } else if (nowNanos >= bodyDeadline) {
            if (ex != null && !ex.requestComplete && wantsBodyBytes()) {
                bodyDeadline = NO_DEADLINE;
                server.counters().bodyTimeouts.incrementAndGet();
                if (ex.headSent) abort();
                else rejectAndClose(nowNanos, 408, ex.requestLine);
            } else {
                // Not waiting for the client (our reader is behind): the clock restarts when we want bytes again.
                bodyDeadline = ex != null && !ex.requestComplete ? nowNanos + config.bodyTimeoutNanos() : NO_DEADLINE;
            }
        } else if (nowNanos >= handlerDeadline) {
            handlerDeadline = NO_DEADLINE;
            server.counters().handlerTimeouts.incrementAndGet();
            if (ex == null) return;
            if (ex.headSent) abort();
            else rejectAndClose(nowNanos, 503, ex.requestLine);
        }
    }

    // ---------------------------------------------------------------- output and state for the transport

    /** The next bytes to send, or null when there is nothing to send now. Valid until the next call. */
    public ByteBuffer pollTransmit(long nowNanos) {
        lastNow = nowNanos;
        while (true) {
            ByteBuffer b = out.pollFirst();
            if (b != null) {
                outBytes -= b.remaining();
                return b;
            }
            if (phase != Phase.OPEN) return null;
            takeDeferredReply(nowNanos);
            if (!out.isEmpty()) continue;
            if (ex != null && ex.source != null && !ex.responseComplete) {
                if (!pull(nowNanos) && out.isEmpty()) return null;
            } else {
                process(nowNanos);
                if (out.isEmpty()) return null;
            }
        }
    }

    /**
     * What the last round of writes achieved: {@code progressed} when the transport took at least one byte, {@code
     * blocked} when it still holds bytes it would not take (it will say when it can take more). While blocked without
     * progress, the send-stall deadline runs (like nginx's {@code send_timeout}: the time between two successful
     * writes, not the whole response).
     */
    public void transmitResult(long nowNanos, boolean progressed, boolean blocked) {
        lastNow = nowNanos;
        if (!blocked) stallDeadline = NO_DEADLINE;
        else if (progressed || stallDeadline == NO_DEADLINE) stallDeadline = nowNanos + config.sendStallTimeoutNanos();
    }

    /** Whether the transport should read (false: backpressure, or nothing more will be read). */
    public boolean wantsRead() {
        if (phase == Phase.LINGER) return true;
        if (phase != Phase.OPEN || peerClosed || inputHeld || paused) return false;
        if (ex == null) return outBytes < config.maxQueuedOutputBytes();
        return ex.requestComplete || wantsBodyBytes();
    }

    /** Whether views of the last buffer given to {@link #handleData} are still held (the transport must not reuse it). */
    public boolean retainsInput() {
        return inputHeld || (ex != null && ex.body != null && ex.body.bufferedBytes() > 0);
    }

    /** All output was handed out and the connection ends: send FIN, then call {@link #outputShutdown}. */
    public boolean wantsOutputShutdown() {
        return phase == Phase.FLUSH_THEN_CLOSE && out.isEmpty();
    }

    /** The transport sent FIN. Now received bytes are discarded until the peer's FIN or the linger deadline. */
    public void outputShutdown(long nowNanos) {
        if (phase != Phase.FLUSH_THEN_CLOSE) return;
        if (peerClosed || config.lingerNanos() == 0) {
            enter(Phase.CLOSED);
        } else {
            lingerDeadline = nowNanos + config.lingerNanos();
            enter(Phase.LINGER);
        }
    }

    /** The transport must close now (after writing nothing more). */
    public boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** The transport failed or closed under us: release everything. */
    public void transportClosed() {
        if (phase == Phase.CLOSED) return;
        if (ex != null && !(ex.requestComplete && ex.responseComplete))
            server.counters().aborted.incrementAndGet();
        enter(Phase.CLOSED);
    }

    /** When {@link #handleTimeout} is next due, or {@link #NO_DEADLINE}. May change after any call. */
    public long pollTimeout() {
        if (phase == Phase.LINGER) return lingerDeadline;
        if (phase == Phase.FLUSH_THEN_CLOSE) return Math.min(lingerDeadline, stallDeadline);
        if (phase != Phase.OPEN) return NO_DEADLINE;
        long t = Math.min(headerDeadline, idleDeadline);
        t = Math.min(t, stallDeadline);
        t = Math.min(t, handlerDeadline);
        if (ex != null && !ex.requestComplete) t = Math.min(t, bodyDeadline);
        return t;
    }

    Phase phase() {
        return phase;
    }

    HttpServerConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- events from the codec

    private boolean processing;
    /** The time of the latest call from the transport (for work started by handler code, e.g. body reads). */
    private long lastNow;

    /** Turns received bytes into events until the codec needs data, or we want no more for now. */
    private void process(long now) {
        lastNow = now;
        if (processing) return; // re-entered from a RequestBody read inside a handler or a pull: the outer loop runs
        processing = true;
        try {
            processLoop(now);
        } finally {
            processing = false;
        }
    }

    private void processLoop(long now) {
        while (phase == Phase.OPEN) {
            if (ex != null && ex.requestComplete && ex.responseComplete) {
                if (!finishExchange(now)) return;
                continue;
            }
            if (peerClosed) return;
            if (ex == null && outBytes >= config.maxQueuedOutputBytes()) return; // let responses drain first
            if (ex != null && !ex.requestComplete && !wantsBodyBytes()) return; // the body reader is behind
            if (ex != null && ex.requestComplete && paused) return; // next request waits for this exchange
            HttpEvent ev;
            try {
                ev = codec.nextEvent();
            } catch (RemoteProtocolError e) {
                inputHeld = false;
                server.counters().protocolErrors.incrementAndGet();
                if (ex != null && ex.headSent) abort();
                else rejectAndClose(now, e.statusHint(), ex == null ? "-" : ex.requestLine);
                return;
            }
            if (ev instanceof HttpEvent.NeedData) {
                inputHeld = false;
                paused = false;
                return;
            }
            if (ev instanceof HttpEvent.Paused) {
                inputHeld = false;
                paused = true;
                if (ex == null) abort(); // only after an (unsupported) protocol switch: nothing more we can do
                return;
            }
            if (ev instanceof HttpEvent.Request r) onRequest(now, r);
            else if (ev instanceof HttpEvent.Data d) onBodyData(now, d.data());
            else if (ev instanceof HttpEvent.EndOfMessage) onBodyEnd(now);
            else if (ev instanceof HttpEvent.ConnectionClosed) onPeerClosed();
            else abort(); // InformationalResponse/Response never come from a client
        }
    }

    private boolean wantsBodyBytes() {
        return switch (ex.mode) {
            case BUFFER -> ex.body.bufferedBytes() < config.maxBufferedBodyBytes();
            case ACCUMULATE, DISCARD -> true;
        };
    }

    private void onPeerClosed() {
        peerClosed = true;
        inputHeld = false;
        // Nothing in progress: nobody to answer. Otherwise the exchange finishes, then the connection closes.
        if (ex == null) enter(Phase.CLOSED);
    }

    private void onRequest(long now, HttpEvent.Request r) {
        headerDeadline = NO_DEADLINE;
        idleDeadline = NO_DEADLINE;
        server.counters().requests.incrementAndGet();
        Exchange e = new Exchange();
        ex = e;
        e.requestLine = r.method() + " " + r.target() + " " + r.version().text();
        e.head = r.method().equals("HEAD");
        e.body = new RequestBody(() -> process(lastNow));
        String target = r.target();
        String path = target, query = null;
        if (!target.startsWith("/") && !target.equals("*")) {
            // RFC 9112 §3.2.2 absolute-form: the path starts after the authority.
            int scheme = target.indexOf("://");
            int slash = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : target.substring(slash);
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        Router.Match m = server.router().match(r.method(), path);
        Handler h;
        if (m instanceof Router.Match.Found f) {
            h = f.handler();
            e.request = newRequest(now, r, path, query, f.params(), e.body);
        } else {
            e.request = newRequest(now, r, path, query, java.util.Map.of(), e.body);
            if (m instanceof Router.Match.MethodNotAllowed na)
                h = req -> new Reply.Full(405, Headers.of("Allow", String.join(", ", na.allow())), new byte[0]);
            else if (m instanceof Router.Match.BadPath) h = req -> Reply.status(400);
            else h = req -> Reply.status(404);
        }
        if (e.request.hasBody()) bodyDeadline = now + config.bodyTimeoutNanos();
        Reply reply = callSafely(() -> h.handle(e.request));
        if (ex != e) return; // the handler's body read ran into a protocol error that ended the exchange
        dispatch(now, reply);
    }

    private ServerRequest newRequest(
            long now,
            HttpEvent.Request r,
            String path,
            String query,
            java.util.Map<String, String> params,
            RequestBody body) {
        return new ServerRequest(
                r.method(),
                r.target(),
                path,
                query,
                r.version(),
                r.headers(),
                params,
                peer,
                now,
                server.dateCache().epochMillis(),
                body);
    }

    /** Runs handler code: an exception or a null reply becomes a 500 reply (and is counted). */
    private Reply callSafely(ThrowingSupplier s) {
        try {
            Reply r = s.get();
            if (r != null) return r;
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            // fall through: the handler failed
        }
        server.counters().handlerErrors.incrementAndGet();
        return Reply.status(500);
    }

    @FunctionalInterface
    private interface ThrowingSupplier {
        Reply get() throws Exception;
    }

    private void onBodyData(long now, ByteBuffer data) {
        bodyDeadline = now + config.bodyTimeoutNanos();
        switch (ex.mode) {
            case BUFFER -> ex.body.offer(data);
            case DISCARD -> {}
            case ACCUMULATE -> {
                int n = data.remaining();
                if (ex.accLen + (long) n > ex.withBody.maxBytes()) {
                    server.counters().protocolErrors.incrementAndGet();
                    ex.mode = BodyMode.DISCARD;
                    rejectAndClose(now, 413, ex.requestLine);
                    return;
                }
                if (ex.acc.length < ex.accLen + n)
                    ex.acc = Arrays.copyOf(ex.acc, (int)
                            Math.min(ex.withBody.maxBytes(), Math.max(ex.accLen + (long) n, ex.acc.length * 2L)));
                data.duplicate().get(ex.acc, ex.accLen, n);
                ex.accLen += n;
            }
        }
    }

    private void onBodyEnd(long now) {
        ex.requestComplete = true;
        bodyDeadline = NO_DEADLINE;
        ex.body.end();
        if (ex.mode == BodyMode.ACCUMULATE) {
            Exchange e = ex;
            byte[] body = Arrays.copyOf(e.acc, e.accLen);
            e.mode = BodyMode.DISCARD;
            Reply.WithBody w = e.withBody;
            e.withBody = null;
            dispatch(now, callSafely(() -> w.then().apply(e.request, body)));
        }
    }

    // ---------------------------------------------------------------- replies

    private void dispatch(long now, Reply reply) {
        Exchange e = ex;
        if (e.headSent || e.responseComplete) {
            // Defensive: one response per request, whatever the handler does.
            server.counters().handlerErrors.incrementAndGet();
            return;
        }
        if (reply instanceof Reply.WithBody || e.request.bodyWanted()) sendContinueIfAwaited();
        if (phase != Phase.OPEN) return;
        if (reply instanceof Reply.Full f) {
            e.mode = e.request.bodyWanted() ? BodyMode.BUFFER : BodyMode.DISCARD;
            sendFull(now, f.status(), f.headers(), f.body());
        } else if (reply instanceof Reply.Stream s) {
            e.mode = e.request.bodyWanted() ? BodyMode.BUFFER : BodyMode.DISCARD;
            if (!sendHead(s.status(), s.headers(), -1)) {
                closeQuietly(s.source());
                return;
            }
            if (e.head || s.status() == 204 || s.status() == 304) {
                closeQuietly(s.source());
                sendEnd(now);
            } else {
                e.source = s.source();
                if (e.source != e.body) e.source.onReady(wakeup);
            }
        } else if (reply instanceof Reply.WithBody w) {
            e.request.markBodyWanted();
            e.mode = BodyMode.ACCUMULATE;
            e.withBody = w;
            e.acc = new byte[(int) Math.min(w.maxBytes(), 4096)];
            if (e.requestComplete) onBodyEnd(now);
        } else if (reply instanceof Reply.Deferred d) {
            e.mode = e.request.bodyWanted() ? BodyMode.BUFFER : BodyMode.DISCARD;
            e.pending = d.pending();
            handlerDeadline = now + config.handlerTimeoutNanos();
            Runnable w = wakeup;
            d.pending().listen(w);
            if (d.pending().isComplete()) takeDeferredReply(now);
        }
    }

    private void takeDeferredReply(long now) {
        if (ex == null || ex.pending == null || !ex.pending.isComplete()) return;
        Reply r = ex.pending.reply();
        ex.pending.abandon();
        ex.pending = null;
        handlerDeadline = NO_DEADLINE;
        dispatch(now, r);
    }

    /** RFC 9110 §10.1.1: tell a client waiting with {@code Expect: 100-continue} to send the body we will read. */
    private void sendContinueIfAwaited() {
        if (!codec.theyAreWaitingFor100Continue()) return;
        try {
            queue(codec.sendBuffers(
                    new HttpEvent.InformationalResponse(100, "Continue", HttpVersion.HTTP_1_1, Headers.EMPTY)));
        } catch (LocalProtocolError e) {
            abort();
        }
    }

    private void sendFull(long now, int status, Headers headers, byte[] body) {
        boolean noBody = ex.head || status == 204 || status == 304;
        if (!sendHead(status, headers, status == 204 || status == 304 ? -1 : body.length)) return;
        if (!noBody && body.length > 0) {
            try {
                queue(codec.sendBuffers(new HttpEvent.Data(ByteBuffer.wrap(body))));
            } catch (LocalProtocolError e) {
                abort();
                return;
            }
            ex.bodySent = body.length;
        }
        sendEnd(now);
    }

    /** Queues the response head with Server, Date and (when known) Content-Length. False when it was refused. */
    private boolean sendHead(int status, Headers headers, long contentLength) {
        Headers h = contentLength >= 0
                ? headers.without("Content-Length")
                        .withAll(
                                "Server", config.serverName(),
                                "Date", server.dateCache().now(),
                                "Content-Length", Long.toString(contentLength))
                : headers.withAll(
                        "Server",
                        config.serverName(),
                        "Date",
                        server.dateCache().now());
        if (ex != null) {
            // RFC 9110 §10.1.1: a final response to a client still waiting for 100 Continue; it may send the body
            // or not, so this connection cannot be reused.
            ex.expectContinueUnanswered = !ex.requestComplete && codec.theyAreWaitingFor100Continue();
            if (ex.expectContinueUnanswered) h = h.with("Connection", "close");
        }
        try {
            queue(codec.sendBuffers(new HttpEvent.Response(status, Reasons.of(status), HttpVersion.HTTP_1_1, h)));
        } catch (LocalProtocolError | IllegalArgumentException e) {
            server.counters().handlerErrors.incrementAndGet();
            abort();
            return false;
        }
        if (ex != null) {
            ex.headSent = true;
            ex.status = status;
        }
        return true;
    }

    /** Pulls the next piece of a streamed body. True when bytes (or the end) were queued. */
    private boolean pull(long now) {
        Exchange e = ex;
        if (scratch == null) scratch = ByteBuffer.allocate(config.sendChunkBytes());
        scratch.clear();
        int n;
        try {
            n = e.source.read(scratch);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            server.counters().handlerErrors.incrementAndGet();
            abort();
            return false;
        }
        if (phase != Phase.OPEN || ex != e) return false;
        if (n == BodySource.END) {
            handlerDeadline = NO_DEADLINE;
            closeQuietly(e.source);
            sendEnd(now);
            return true;
        }
        if (n <= 0) {
            // Nothing ready. Waiting for the client's body is the body timer's business; otherwise the handler's.
            if (e.source != e.body && handlerDeadline == NO_DEADLINE)
                handlerDeadline = now + config.handlerTimeoutNanos();
            return false;
        }
        handlerDeadline = NO_DEADLINE;
        scratch.flip();
        try {
            queue(codec.sendBuffers(new HttpEvent.Data(scratch)));
        } catch (LocalProtocolError err) {
            // More bytes than the handler's Content-Length: the head is out, so only closing is left.
            server.counters().handlerErrors.incrementAndGet();
            abort();
            return false;
        }
        e.bodySent += n;
        return true;
    }

    private void sendEnd(long now) {
        try {
            queue(codec.sendBuffers(new HttpEvent.EndOfMessage()));
        } catch (LocalProtocolError err) {
            // Fewer bytes than the declared Content-Length.
            server.counters().handlerErrors.incrementAndGet();
            abort();
            return;
        }
        responseComplete();
    }

    private void responseComplete() {
        Exchange e = ex;
        e.responseComplete = true;
        e.source = null;
        server.counters().responses.incrementAndGet();
        server.log(new AccessLog.Entry(peer, server.dateCache().epochMillis(), e.requestLine, e.status, e.bodySent));
        if (!e.requestComplete) {
            if (e.expectContinueUnanswered) {
                // The client waits for 100 Continue that will not come; it may or may not send the body: close.
                closeAfterFlush();
            } else {
                // Read the rest of the body and drop it, to reach the next request.
                e.body.close();
                e.mode = BodyMode.DISCARD;
            }
        }
    }

    /** Both messages are complete: start the next cycle, or close. False when the connection ends. */
    private boolean finishExchange(long now) {
        ex = null;
        handlerDeadline = NO_DEADLINE;
        bodyDeadline = NO_DEADLINE;
        if (peerClosed || codec.ourState() != HttpState.DONE || codec.theirState() != HttpState.DONE) {
            closeAfterFlush();
            return false;
        }
        try {
            codec.startNextCycle();
        } catch (LocalProtocolError e) {
            closeAfterFlush();
            return false;
        }
        paused = false;
        if (codec.bufferedBytes() > 0) headerDeadline = now + config.headerTimeoutNanos();
        else idleDeadline = now + config.idleTimeoutNanos();
        return true;
    }

    /** Answers {@code status} (if a response can still be started) and closes after it. */
    private void rejectAndClose(long now, int status, String requestLine) {
        Exchange e = ex;
        if (e != null) releaseExchange(e);
        if (e != null && e.headSent) {
            abort();
            return;
        }
        ex = null;
        Headers h = Headers.of(
                "Server", config.serverName(),
                "Date", server.dateCache().now(),
                "Content-Type", "text/plain",
                "Content-Length", Integer.toString(Reasons.of(status).length() + 1),
                "Connection", "close");
        byte[] body = (Reasons.of(status) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            queue(codec.sendBuffers(new HttpEvent.Response(status, Reasons.of(status), HttpVersion.HTTP_1_1, h)));
            queue(codec.sendBuffers(new HttpEvent.Data(ByteBuffer.wrap(body))));
            queue(codec.sendBuffers(new HttpEvent.EndOfMessage()));
        } catch (LocalProtocolError err) {
            abort();
            return;
        }
        server.counters().responses.incrementAndGet();
        server.log(new AccessLog.Entry(peer, server.dateCache().epochMillis(), requestLine, status, body.length));
        closeAfterFlush();
    }

    /**
     * Sends what is queued, then FIN. A client that does not take the last bytes within the idle timeout is dropped
     * (else a peer that never reads would hold the connection for good).
     */
    private void closeAfterFlush() {
        if (phase != Phase.OPEN) return;
        lingerDeadline = lastNow + config.idleTimeoutNanos();
        enter(Phase.FLUSH_THEN_CLOSE);
    }

    /** Ends the connection at once (the response in progress cannot be completed). */
    private void abort() {
        if (phase == Phase.CLOSED) return;
        server.counters().aborted.incrementAndGet();
        out.clear();
        outBytes = 0;
        enter(Phase.CLOSED);
    }

    /** The only place the phase changes. */
    private void enter(Phase next) {
        if (phase == Phase.CLOSED) return;
        phase = next;
        if (next != Phase.OPEN && ex != null) releaseExchange(ex);
        if (next == Phase.CLOSED) {
            if (ex != null) releaseExchange(ex);
            ex = null;
            server.counters().connectionsClosed.incrementAndGet();
        }
    }

    private void releaseExchange(Exchange e) {
        if (e.pending != null) {
            e.pending.abandon();
            e.pending = null;
        }
        if (e.source != null) {
            closeQuietly(e.source);
            e.source = null;
        }
        if (e.body != null) e.body.close();
    }

    private static void closeQuietly(BodySource s) {
        try {
            s.close();
        } catch (RuntimeException ignored) {
            // a handler's close failing changes nothing for the connection
        }
    }

    private void queue(List<ByteBuffer> bufs) {
        for (ByteBuffer b : bufs) {
            if (!b.hasRemaining()) continue;
            out.addLast(b);
            outBytes += b.remaining();
        }
    }
}
