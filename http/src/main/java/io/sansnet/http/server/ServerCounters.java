package io.sansnet.http.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server has done, summed over all its connections (several loop threads may update them, hence atomics).
 * Each timeout has its own counter.
 */
public final class ServerCounters {
    final AtomicLong connectionsOpened = new AtomicLong();
    final AtomicLong connectionsClosed = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong responses = new AtomicLong();
    final AtomicLong headerTimeouts = new AtomicLong();
    final AtomicLong bodyTimeouts = new AtomicLong();
    final AtomicLong idleTimeouts = new AtomicLong();
    final AtomicLong handlerTimeouts = new AtomicLong();
    final AtomicLong sendStallTimeouts = new AtomicLong();
    final AtomicLong handlerErrors = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong aborted = new AtomicLong();

    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    public long connectionsClosed() {
        return connectionsClosed.get();
    }

    public long requests() {
        return requests.get();
    }

    public long responses() {
        return responses.get();
    }

    /** Request heads not complete within the header deadline (slowloris). */
    public long headerTimeouts() {
        return headerTimeouts.get();
    }

    public long bodyTimeouts() {
        return bodyTimeouts.get();
    }

    /** Keep-alive connections closed for lack of a next request. */
    public long idleTimeouts() {
        return idleTimeouts.get();
    }

    public long handlerTimeouts() {
        return handlerTimeouts.get();
    }

    /**
     * Connections closed because the peer took none of our bytes for the send-stall timeout while output was pending
     * (a client that stopped reading; also counted in {@link #aborted()}).
     */
    public long sendStallTimeouts() {
        return sendStallTimeouts.get();
    }

    /** Handlers that threw, returned null, answered twice or produced a body that contradicts their head. */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /** Requests rejected because the peer violated HTTP/1.1 (malformed, smuggling, limits). */
    public long protocolErrors() {
        return protocolErrors.get();
    }

    /** Connections closed without finishing the response in progress. */
    public long aborted() {
        return aborted.get();
    }

    /** One line per counter, "name value". */
    public String format() {
        return "connections-opened " + connectionsOpened() + "\nconnections-closed " + connectionsClosed()
                + "\nrequests " + requests() + "\nresponses " + responses() + "\nheader-timeouts " + headerTimeouts()
                + "\nbody-timeouts " + bodyTimeouts() + "\nidle-timeouts " + idleTimeouts() + "\nhandler-timeouts "
                + handlerTimeouts() + "\nsend-stall-timeouts " + sendStallTimeouts() + "\nhandler-errors "
                + handlerErrors() + "\nprotocol-errors " + protocolErrors()
                + "\naborted " + aborted() + "\n";
    }
}
