package io.sansnet.sim.scenario;

import io.sansnet.http.Headers;
import io.sansnet.http.HttpConnection;
import io.sansnet.http.HttpEvent;
import io.sansnet.http.HttpState;
import io.sansnet.http.LocalProtocolError;
import io.sansnet.http.RemoteProtocolError;
import io.sansnet.http.Role;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.EventLoop;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.app.TcpTransport;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.IpAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client connection of the {@code http} scenario, on the client-role codec ({@link HttpConnection} with {@link
 * Role#CLIENT}): sends its requests in batches (a batch of one is sequential, a longer one pipelined, RFC 9112
 * §9.3.2), checks every response against its request as it arrives (status, framing, every body byte, in order), then
 * ends the connection as {@link Ending} says and waits for the server's FIN.
 *
 * <p>Hangs: nothing may stay silent for longer than {@code hangBoundNanos} (derived from the server's timeouts) while
 * the client waits: for a connect, a response, or the server's close. With a host crash in the plan, a connection that
 * dies (reset, closed early, silent) is opened again and the unanswered requests are sent again, up to {@link
 * #MAX_ATTEMPTS} times; without one, that is a violation.
 *
 * <p>The keep-alive race (RFC 9112 §9.3.1, §9.6): the server starts its idle timeout once it has handed a response to
 * TCP, which may still take minutes to deliver it through the drawn faults; the timeout can then close the connection
 * (a graceful FIN behind the data) while the client, having just read the last response, sends its next request. When
 * the server closes a reused connection after the client read every response it asked for in full and not one byte of
 * the next, the close was the server's idle close, not a failure: like curl, browsers and connection pools, the client
 * opens a new connection and sends the unanswered requests again ({@link #idleRetries()}). A close in the middle of a
 * response stays a violation.
 */
final class HttpScenarioClient {

    /** How a connection ends once every response arrived. */
    enum Ending {
        /** The client sends its FIN; the server must close in turn. */
        CLIENT_CLOSE,
        /** The last request carries {@code Connection: close}; the server closes after answering it. */
        CONNECTION_CLOSE,
        /** The client stays silent; the server's idle timeout must close the connection. */
        IDLE
    }

    /** Connections opened per client connection at most (first try and reconnections after a crash). */
    static final int MAX_ATTEMPTS = 4;
    /** How often the hang check runs. */
    static final long WATCHDOG_PERIOD_NANOS = 10_000_000_000L;
    /** Wait before reconnecting after a connection died. */
    static final long RECONNECT_DELAY_NANOS = 100_000_000L;

    static final int READ_BYTES = 64 * 1024;

    private final String name;
    private final TcpTransport transport;
    private final EventLoop loop;
    private final IpAddress server;
    private final int port;
    private final List<HttpScenarioRequest> requests;
    /** Request counts at which a batch ends (strictly increasing, the last is requests.size()). */
    private final int[] batchEnds;

    private final Ending ending;
    private final long startDelayNanos;
    private final boolean crashes;
    private final long hangBoundNanos;
    private final List<String> violations = new ArrayList<>();

    /** The generation of the current connection (or connect): callbacks of an older one are ignored. */
    private int attempt;

    private TcpStream stream;
    private HttpConnection codec;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private final ByteBuffer in = ByteBuffer.allocate(READ_BYTES);
    /** Inside a call into the stream: callbacks wait for a task. */
    private boolean busy;

    /** Requests answered correctly (in order: all below this index). */
    private int answered;
    /** Requests handed to the current connection. */
    private int sent;
    /** Body octets of the response being read. */
    private long received;

    private boolean responseStarted;
    private boolean allAnswered;
    private boolean done;
    private long lastProgressNanos;
    private long quietSinceNanos = -1;
    private long closeWaitNanos = -1;
    private long bodyBytes;
    private int reconnects;
    private int idleRetries;
    /** {@link #answered} when the current connection opened: a connection with more answered is a reused one. */
    private int answeredAtConnect;

    private int maxDepth;

    HttpScenarioClient(
            String name,
            TcpTransport transport,
            EventLoop loop,
            IpAddress server,
            int port,
            List<HttpScenarioRequest> requests,
            int[] batchEnds,
            Ending ending,
            long startDelayNanos,
            boolean crashes,
            long hangBoundNanos) {
        this.name = name;
        this.transport = transport;
        this.loop = loop;
        this.server = server;
        this.port = port;
        this.requests = List.copyOf(requests);
        this.batchEnds = batchEnds.clone();
        this.ending = ending;
        this.startDelayNanos = startDelayNanos;
        this.crashes = crashes;
        this.hangBoundNanos = hangBoundNanos;
    }

    /** Starts after the start delay. */
    void start() {
        loop.schedule(startDelayNanos, this::connect);
        loop.schedule(startDelayNanos + WATCHDOG_PERIOD_NANOS, this::watchdog);
    }

    boolean done() {
        return done;
    }

    List<String> violations() {
        return violations;
    }

    int answered() {
        return answered;
    }

    int total() {
        return requests.size();
    }

    long bodyBytes() {
        return bodyBytes;
    }

    int reconnects() {
        return reconnects;
    }

    /** New connections opened because the server closed an idle connection before any byte of the next response. */
    int idleRetries() {
        return idleRetries;
    }

    int maxDepth() {
        return maxDepth;
    }

    Ending ending() {
        return ending;
    }

    /** Virtual time from the client going quiet to the server's FIN, or -1. */
    long closeWaitNanos() {
        return closeWaitNanos;
    }

    // ---- connection ----

    private void connect() {
        if (done) {
            return;
        }
        int a = ++attempt;
        lastProgressNanos = loop.nowNanos();
        transport.connect(server, port).onComplete(r -> connected(a, r));
    }

    private void connected(int a, AppResult<TcpStream> r) {
        if (a != attempt || done) {
            if (r.isOk()) {
                r.value().abort(); // a connect given up on meanwhile
            }
            return;
        }
        if (!r.isOk()) {
            lost("connect failed: " + r.error());
            return;
        }
        stream = r.value();
        codec = new HttpConnection(Role.CLIENT);
        out.clear();
        sent = answered;
        answeredAtConnect = answered;
        received = 0;
        responseStarted = false;
        lastProgressNanos = loop.nowNanos();
        stream.onReadable(() -> callback(a, this::onReadable));
        stream.onWritable(() -> callback(a, this::flush));
        stream.closed().onComplete(c -> callback(a, () -> onClosed(c)));
        sendBatch();
    }

    /** Runs a stream callback of attempt {@code a}: never nested in our own call into the stream, never stale. */
    private void callback(int a, Runnable r) {
        if (a != attempt || done) {
            return;
        }
        if (busy) {
            loop.execute(() -> callback(a, r));
            return;
        }
        busy = true;
        try {
            r.run();
        } finally {
            busy = false;
        }
    }

    /** Hands the next batch of requests to the codec (pipelined when it has more than one) and sends it. */
    private void sendBatch() {
        int end = requests.size();
        for (int e : batchEnds) {
            if (e > sent) {
                end = e;
                break;
            }
        }
        maxDepth = Math.max(maxDepth, end - sent);
        try {
            for (int i = sent; i < end; i++) {
                HttpScenarioRequest q = requests.get(i);
                out.addAll(codec.sendBuffers(q.head()));
                for (HttpEvent e : q.bodyEvents()) {
                    out.addAll(codec.sendBuffers(e));
                }
            }
        } catch (LocalProtocolError e) {
            fail("the client codec refused request #" + requests.get(sent).index() + ": " + e.getMessage());
            return;
        }
        sent = end;
        flush();
    }

    private void flush() {
        boolean was = busy;
        busy = true;
        try {
            while (!out.isEmpty()) {
                ByteBuffer b = out.peek();
                int n = stream.send(b);
                if (n > 0) {
                    lastProgressNanos = loop.nowNanos();
                }
                if (b.hasRemaining()) {
                    return; // onWritable calls again
                }
                out.poll();
            }
        } finally {
            busy = was;
        }
    }

    private void onReadable() {
        while (!done && stream != null) {
            in.clear();
            int n = stream.receive(in);
            if (n == 0) {
                return;
            }
            lastProgressNanos = loop.nowNanos();
            if (n < 0) {
                if (serverClosedIdle()) {
                    retryAfterIdleClose(); // before the codec sees the end: to it, a request left unanswered
                    return;
                }
                codec.receiveData(ByteBuffer.allocate(0));
                if (processEvents()) {
                    onEof();
                }
                return;
            }
            in.flip();
            codec.receiveData(in);
            if (!processEvents()) {
                return;
            }
        }
    }

    /** Turns received bytes into events and checks them; false when this connection is over (failed or lost). */
    private boolean processEvents() {
        while (true) {
            HttpEvent e;
            try {
                e = codec.nextEvent();
            } catch (RemoteProtocolError x) {
                fail("the response to " + current() + " is malformed: " + x.getMessage());
                return false;
            }
            if (e instanceof HttpEvent.NeedData
                    || e instanceof HttpEvent.Paused
                    || e instanceof HttpEvent.ConnectionClosed) {
                return true;
            }
            if (answered >= sent) {
                fail("a response arrived with no request outstanding: " + e);
                return false;
            }
            HttpScenarioRequest q = requests.get(answered);
            if (e instanceof HttpEvent.Response r) {
                if (!checkHead(q, r)) {
                    return false;
                }
                responseStarted = true;
                received = 0;
            } else if (e instanceof HttpEvent.Data d) {
                ByteBuffer b = d.data();
                long expected = q.expectedBodyLength();
                if (received + b.remaining() > expected) {
                    fail(q.describe() + ": response body longer than " + expected + " bytes");
                    return false;
                }
                for (int i = b.position(); i < b.limit(); i++, received++) {
                    if (b.get(i) != q.expectedByte(received)) {
                        fail(q.describe() + ": response body byte " + received + " is " + b.get(i) + ", expected "
                                + q.expectedByte(received));
                        return false;
                    }
                }
                bodyBytes += b.remaining();
            } else if (e instanceof HttpEvent.EndOfMessage) {
                if (received != q.expectedBodyLength()) {
                    fail(q.describe() + ": response body has " + received + " bytes, expected "
                            + q.expectedBodyLength());
                    return false;
                }
                answered++;
                responseStarted = false;
                if (codec.ourState() == HttpState.DONE && codec.theirState() == HttpState.DONE) {
                    try {
                        codec.startNextCycle();
                    } catch (LocalProtocolError x) {
                        fail("cannot start the next cycle after " + q.describe() + ": " + x.getMessage());
                        return false;
                    }
                }
                if (answered == requests.size()) {
                    quiet();
                } else if (answered == sent) {
                    sendBatch();
                }
            } else {
                fail(q.describe() + ": unexpected " + e);
                return false;
            }
        }
    }

    /** Status 200, the framing the request implies (RFC 9112 §6.3), the Content-Type of the route, Server and Date. */
    private boolean checkHead(HttpScenarioRequest q, HttpEvent.Response r) {
        Headers h = r.headers();
        if (r.status() != 200) {
            return fail(q.describe() + ": status " + r.status() + ", expected 200");
        }
        long cl = q.expectedContentLength();
        Optional<String> length = h.first("Content-Length");
        if (cl >= 0 && !length.equals(Optional.of(Long.toString(cl)))) {
            return fail(q.describe() + ": Content-Length " + length.orElse("absent") + ", expected " + cl);
        }
        if (cl < 0 && (length.isPresent() || !h.hasToken("Transfer-Encoding", "chunked"))) {
            return fail(q.describe() + ": response not chunked (" + h + ")");
        }
        String type = q.expectedContentType();
        if (type != null && !h.first("Content-Type").orElse("").startsWith(type)) {
            return fail(
                    q.describe() + ": Content-Type " + h.first("Content-Type").orElse("absent") + ", expected " + type);
        }
        if (!h.first("Server").equals(Optional.of("sansnet")) || !h.contains("Date")) {
            return fail(q.describe() + ": Server or Date missing (" + h + ")");
        }
        return true;
    }

    /** Every response arrived: end the connection as {@link #ending} says, then wait for the server's FIN. */
    private void quiet() {
        allAnswered = true;
        quietSinceNanos = loop.nowNanos();
        lastProgressNanos = quietSinceNanos;
        if (ending == Ending.CLIENT_CLOSE) {
            closeStream();
        }
    }

    /** The server's FIN, after everything before it was read. */
    private void onEof() {
        if (allAnswered) {
            closeWaitNanos = loop.nowNanos() - quietSinceNanos;
            if (closeWaitNanos > hangBoundNanos) {
                fail("the server closed " + nanos(closeWaitNanos) + " after the last response, beyond the bound of "
                        + nanos(hangBoundNanos));
            }
            done = true;
            closeStream(); // our FIN in turn (a no-op after our own close)
            return;
        }
        lost("the server closed the connection with " + (requests.size() - answered) + " request(s) unanswered"
                + (responseStarted ? " (one response cut short)" : ""));
    }

    private void onClosed(AppResult<CloseReason> r) {
        if (done) {
            return;
        }
        if (allAnswered && crashes) {
            done = true; // the crash took the server's side of an idle connection
            return;
        }
        if (!crashes && serverClosedIdle()) {
            // A reset instead of the FIN (our request reached a server that had closed): the same race. With a crash
            // in the plan a reset may be the rebooted host's, so it goes the crash way below.
            retryAfterIdleClose();
            return;
        }
        lost("the connection ended (" + (r.isOk() ? r.value() : r.error()) + ") with "
                + (requests.size() - answered) + " request(s) unanswered"
                + (allAnswered ? " and no FIN read" : ""));
    }

    private void watchdog() {
        if (done) {
            return;
        }
        long silent = loop.nowNanos() - lastProgressNanos;
        if (silent > hangBoundNanos) {
            if (allAnswered && crashes) {
                done = true;
                abortStream();
                return;
            }
            lost("nothing happened for " + nanos(silent) + " while waiting for "
                    + (allAnswered ? "the server to close" : answered < sent ? current() : "the connection"));
        }
        if (!done) {
            loop.schedule(WATCHDOG_PERIOD_NANOS, this::watchdog);
        }
    }

    /**
     * Whether the server's close of the current connection was its idle close racing our next request: the
     * connection is a reused one (at least one response answered on it), every response before was read in full and
     * not one byte of the next arrived (no response head begun, nothing buffered in the codec). Only an idle server
     * closes a connection that way: its other closes come after an error status or the response to {@code Connection:
     * close}, which would have been read first. The scenario's judge checks it against the server's counters (one more
     * idle timeout and connection per retry, no error, one parsed request per request of the workload).
     */
    private boolean serverClosedIdle() {
        return !allAnswered
                && answered < sent
                && answered > answeredAtConnect
                && !responseStarted
                && codec != null
                && codec.bufferedBytes() == 0;
    }

    /**
     * Sends the unanswered requests again on a new connection after {@link #serverClosedIdle()}. Safe for every
     * request here, POST {@code /echo} included: the server sent no byte of a response, and RFC 9112 §9.3.1 lets a
     * user agent retry a request it knows was not processed. The scenario confirms it with the server's counters: it
     * parsed as many requests as the workload has, so no request sent again was seen on the closed connection.
     */
    private void retryAfterIdleClose() {
        idleRetries++;
        TcpStream s = stream;
        stream = null;
        attempt++; // callbacks of the closed connection are stale from now on
        if (s != null) {
            boolean was = busy;
            busy = true;
            try {
                s.close(); // our FIN in turn, as a client closes a socket the server closed
            } finally {
                busy = was;
            }
        }
        loop.schedule(RECONNECT_DELAY_NANOS, this::connect);
    }

    /** The connection died: again with the unanswered requests when a crash explains it, else a violation. */
    private void lost(String why) {
        why += tcpSummary();
        abortStream();
        attempt++; // callbacks of the dead connection are stale from now on
        if (crashes && reconnects < MAX_ATTEMPTS - 1) {
            reconnects++;
            loop.schedule(RECONNECT_DELAY_NANOS, this::connect);
            return;
        }
        fail(why);
    }

    private boolean fail(String why) {
        violations.add(name + ": " + why + (why.contains(" [tcp ") ? "" : tcpSummary()));
        done = true;
        abortStream();
        return false;
    }

    private void closeStream() {
        if (stream != null) {
            boolean was = busy;
            busy = true;
            try {
                stream.close();
            } finally {
                busy = was;
            }
        }
    }

    private void abortStream() {
        TcpStream s = stream;
        stream = null;
        if (s != null) {
            boolean was = busy;
            busy = true;
            try {
                s.abort();
            } finally {
                busy = was;
            }
        }
    }

    /** The client side's TCP state, for a violation's message: {@code [tcp ESTABLISHED una=.. nxt=.. ...]}. */
    private String tcpSummary() {
        if (stream == null) {
            return "";
        }
        TcpStatus t = stream.status();
        long unsent = 0;
        for (ByteBuffer b : out) {
            unsent += b.remaining();
        }
        return " [tcp " + t.state() + " snd.una=" + t.sndUna() + " snd.nxt=" + t.sndNxt() + " snd.wnd=" + t.sndWnd()
                + " cwnd=" + t.cwnd() + " ssthresh=" + t.ssthresh() + " rcv.nxt=" + t.rcvNxt() + " queued="
                + t.sendQueued() + " rto=" + nanos(t.rtoNanos())
                + " retransmits=" + t.counters().retransmittedSegments() + "; not yet taken by TCP: " + unsent + "]";
    }

    private String current() {
        return answered < requests.size() ? requests.get(answered).describe() : "no request";
    }

    private static String nanos(long n) {
        return ScenarioResult.formatNanos(n);
    }
}
