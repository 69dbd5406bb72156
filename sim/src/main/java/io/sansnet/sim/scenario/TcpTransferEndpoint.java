package io.sansnet.sim.scenario;

import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One end of a TCP transfer in a scenario, as application code: it sends {@code sendTotal} octets of a seeded stream
 * as fast as flow control lets it, then CLOSEs; it reads everything the peer sends and compares each octet with the
 * peer's seeded stream as it arrives, so a byte lost, duplicated, reordered or corrupted on its way through TCP shows
 * as the first offset that differs.
 *
 * <p>Each stream is generated in {@link #CHUNK} octet blocks from {@code new SplitMix64(seed)}, so sender and receiver
 * produce the same octets without storing them.
 */
final class TcpTransferEndpoint {

    /** Octets generated per block of a stream (and read per {@code receive} call). */
    static final int CHUNK = 16 * 1024;

    private final String label;
    private final long sendTotal;
    private final long expectedTotal;
    private final SplitMix64 sendGen;
    private final SplitMix64 expectGen;
    private final ByteBuffer sendChunk = ByteBuffer.allocate(CHUNK).limit(0);
    private final byte[] expectChunk = new byte[CHUNK];
    private int expectPos = CHUNK;
    private final ByteBuffer readBuf = ByteBuffer.allocate(CHUNK);
    private final List<String> violations = new ArrayList<>();

    private TcpStream stream;
    private long sent;
    private long received;
    private boolean peerFinished;
    private boolean closeCalled;
    private int closedEvents;
    private CloseReason reason;
    private TcpStatus lastStatus;
    private BiConsumer<TcpStream, CloseReason> closeListener = (st, r) -> {};

    /**
     * @param label the end's name in violations ("client", "server#3")
     * @param sendSeed the seed of the stream this end sends
     * @param sendTotal octets it sends
     * @param expectSeed the seed of the stream the peer sends
     * @param expectedTotal octets the peer sends
     */
    TcpTransferEndpoint(String label, long sendSeed, long sendTotal, long expectSeed, long expectedTotal) {
        this.label = label;
        this.sendTotal = sendTotal;
        this.expectedTotal = expectedTotal;
        this.sendGen = new SplitMix64(sendSeed);
        this.expectGen = new SplitMix64(expectSeed);
    }

    /** Also tells {@code listener} how the connection ended (the run's invariant checker). */
    TcpTransferEndpoint onClosed(BiConsumer<TcpStream, CloseReason> listener) {
        this.closeListener = listener;
        return this;
    }

    /** Starts using {@code s}: sends, reads, and watches for the end of the connection. */
    void attach(TcpStream s) {
        if (stream != null) {
            violations.add(label + ": a second stream for one endpoint");
            return;
        }
        stream = s;
        s.onReadable(this::drain);
        s.onWritable(this::pump);
        s.closed().onComplete(this::onClosed);
        pump();
        drain();
    }

    private void onClosed(AppResult<CloseReason> r) {
        closedEvents++;
        if (closedEvents > 1) {
            violations.add(label + ": " + closedEvents + " Closed events for one connection");
        }
        reason = r.isOk() ? r.value() : null;
        lastStatus = stream.status();
        if (reason != null) {
            closeListener.accept(stream, reason);
        }
    }

    /** Sends as much as the send buffer takes; CLOSEs once everything was queued. */
    private void pump() {
        while (sent < sendTotal && reason == null) {
            if (!sendChunk.hasRemaining()) {
                sendChunk.clear();
                sendGen.nextBytes(sendChunk.array());
                sendChunk.limit((int) Math.min(CHUNK, sendTotal - sent));
            }
            int n = stream.send(sendChunk);
            if (n <= 0) {
                return; // onWritable calls again
            }
            sent += n;
        }
        if (sent == sendTotal && !closeCalled && reason == null) {
            closeCalled = true;
            stream.close();
        }
    }

    /** Reads everything readable and checks it against the peer's stream. */
    private void drain() {
        while (true) {
            readBuf.clear();
            int n = stream.receive(readBuf);
            if (n < 0) {
                if (!peerFinished) {
                    peerFinished = true;
                    if (received != expectedTotal) {
                        violations.add(
                                label + ": the peer finished after " + received + " of " + expectedTotal + " octets");
                    }
                }
                return;
            }
            if (n == 0) {
                return;
            }
            byte[] a = readBuf.array();
            for (int i = 0; i < n; i++) {
                if (received >= expectedTotal) {
                    violations.add(label + ": received more than the " + expectedTotal + " octets sent");
                    return;
                }
                if (expectPos == CHUNK) {
                    expectGen.nextBytes(expectChunk);
                    expectPos = 0;
                }
                if (a[i] != expectChunk[expectPos]) {
                    violations.add(label + ": octet " + received + " differs from the one sent");
                    stream.abort();
                    return;
                }
                expectPos++;
                received++;
            }
        }
    }

    boolean connected() {
        return stream != null;
    }

    /** True once the connection ended (the Closed event arrived). */
    boolean closed() {
        return closedEvents > 0;
    }

    CloseReason reason() {
        return reason;
    }

    long received() {
        return received;
    }

    long sent() {
        return sent;
    }

    /** The connection's status when it closed, or now (null before it connected). */
    TcpStatus status() {
        return lastStatus != null ? lastStatus : stream == null ? null : stream.status();
    }

    /** Violations seen so far (data, duplicate Closed events). */
    List<String> violations() {
        return violations;
    }

    /**
     * The invariants of a correct, complete transfer: every octet the peer sent arrived exactly once and in order,
     * this end's sending finished, and the connection ended gracefully.
     */
    List<String> completionViolations() {
        List<String> v = new ArrayList<>(violations);
        if (stream == null) {
            v.add(label + ": never connected");
            return v;
        }
        if (received != expectedTotal || !peerFinished) {
            v.add(label + ": received " + received + " of " + expectedTotal + " octets"
                    + (peerFinished ? "" : ", the peer never finished"));
        }
        if (sent != sendTotal) {
            v.add(label + ": queued only " + sent + " of " + sendTotal + " octets");
        }
        if (closedEvents != 1) {
            v.add(label + ": " + closedEvents + " Closed events (exactly one expected)");
        } else if (reason != CloseReason.GRACEFUL && !lateReset()) {
            v.add(label + ": the connection ended " + reason + " instead of GRACEFUL");
        }
        return v;
    }

    /**
     * True when the connection ended RESET after every octet went both ways and both FINs were exchanged: the end in
     * LAST-ACK or CLOSING kept retransmitting its FIN (every copy or its ACK lost) past the peer's TIME-WAIT (2*MSL),
     * and the peer, now CLOSED, answered with a RST (RFC 9293 §3.10.7.1). Allowed: nothing was lost to the user.
     */
    boolean lateReset() {
        return reason == CloseReason.RESET
                && closeCalled
                && sent == sendTotal
                && peerFinished
                && received == expectedTotal
                && violations.isEmpty();
    }
}
