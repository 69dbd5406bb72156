package io.sansnet.stack.tcp;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One TCP connection as a sans-io state machine: segments in, segments out, deadlines and events; no I/O, clock or
 * threads. Read before editing: <a href="https://www.rfc-editor.org/rfc/rfc9293">RFC 9293</a> (§3.10 event
 * processing), RFC 5961 (blind attacks), RFC 6298 (RTO), RFC 5681 and RFC 6582 (congestion control, NewReno), RFC 2018
 * and RFC 6675 (SACK), RFC 7323 (window scale, timestamps, PAWS), RFC 6528 (ISN); for loss recovery also RFC 3042
 * (limited transmit), RFC 6937 (PRR), RFC 8985 §7 (tail loss probe), RFC 2883/3708 (D-SACK, spurious
 * retransmissions), RFC 3522/4015 (Eifel detection and response).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@code handle*} methods feed input: {@link #handleSegment} a segment already matched to this 4-tuple (checksum
 *       verified), {@link #handleTimeout} the passage of time. Early or repeated timeout calls are harmless.
 *   <li>{@code poll*} methods drain output. After any call, drain {@link #pollTransmit} until null, drain
 *       {@link #pollEvent}, then read {@link #pollTimeout} (it may change after any call).
 *   <li>User calls: {@link #send}, {@link #receive}, {@link #close}, {@link #abort}, and the getter {@link #status}.
 *   <li>{@code nowNanos} never decreases between calls.
 * </ul>
 *
 * <h2>Rules of this file</h2>
 *
 * Every state change goes through {@link #transition}. {@link #handleSegment} works in the stages of RFC 9293 §3.10.7:
 * per-state handling for CLOSED, LISTEN and SYN-SENT; then for synchronized states PAWS, the acceptability test, RST,
 * SYN, ACK, URG, text and FIN, each in one method. Segments to send are built only in {@link #pollTransmit} (except
 * immediate replies such as RSTs and challenge ACKs, queued in a bounded queue).
 */
public final class TcpConnection {

    /** {@link #pollTimeout()} when no timer is armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Bound on immediate replies (RSTs, challenge ACKs) waiting for {@link #pollTransmit}; more are dropped. */
    static final int MAX_QUEUED_REPLIES = 16;

    /** RFC 7323 §2.3: "the shift count ... MUST be limited to 14". */
    static final int MAX_WINDOW_SHIFT = 14;

    /** RFC 3042 §2: limited transmit sends new data on the first and second duplicate ACK. */
    static final int LIMITED_TRANSMIT_SEGMENTS = 2;

    /** RFC 7323 §3.2: the timestamps option takes 10 octets, 12 with its two NOPs. */
    static final int TIMESTAMP_OPTION_BYTES = 12;

    /** The named timers (as quinn's TimerTable): each has one deadline or none. */
    enum Timer {
        /** RFC 6298 retransmission timer. */
        RETRANSMIT,
        /** RFC 9293 §3.8.6.1 persist timer (zero-window probes) and the SWS override timeout of §3.8.6.2.1. */
        PERSIST,
        /** RFC 9293 §3.8.6.3 delayed ACK. */
        DELAYED_ACK,
        /** RFC 9293 §3.3.2: TIME-WAIT lasts 2*MSL. */
        TIME_WAIT,
        /** RFC 9293 §3.8.4 keep-alive (off unless configured). */
        KEEPALIVE,
        /** RFC 8985 §7 tail loss probe: a probe after 2*SRTT without an ACK, before the RTO. */
        TAIL_LOSS_PROBE
    }

    private final TcpConfig config;
    private final IsnSource isnSource;
    private final boolean passiveOpen;
    private FourTuple tuple;
    private TcpState state;

    // --- send sequence space (RFC 9293 §3.3.1); sndMax is the highest SND.NXT ever (BSD snd_max) ---
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private long sndWnd;
    private long maxSndWnd;
    private int sndWl1;
    private int sndWl2;
    private int sndWndShift;
    private final SendBuffer sendBuffer;
    /** The sequence number after the last octet the user queued: our FIN's sequence number once closed. */
    private int sndBufEnd;

    private boolean finQueued;
    private boolean synNeeded;
    private boolean synRetransmitted;

    // --- receive sequence space ---
    private int irs;
    private int rcvNxt;
    private int rcvWndShift;
    private int rcvAdvRight;
    private final ReceiveBuffer receiveBuffer;
    private boolean peerFinished;
    private boolean pendingFin;
    private int pendingFinSeq;
    private int rcvUp;
    private boolean urgentSeen;

    // --- negotiated options ---
    private int peerMss;
    /** The payload limit learned from path MTU discovery (RFC 1191, RFC 8201), or MAX_VALUE. */
    private int pathMss = Integer.MAX_VALUE;

    private boolean sackOk;
    private boolean peerOfferedWs;
    private boolean tsOk;
    private int tsRecent;
    private int tsOffset;
    private int lastAckSent;

    // --- timers and retransmission ---
    private final long[] deadlines = new long[Timer.values().length];
    private final RttEstimator rtt;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStartNanos;
    private int retries;
    private long firstUnackedSinceNanos = -1;
    private int persistBackoff;
    private boolean probeDue;
    private boolean persistForce;
    private int probesUnanswered;
    private int keepAlivesUnanswered;
    private boolean keepAliveDue;

    // --- congestion control and loss recovery ---
    private CongestionControl cc;
    private final Scoreboard scoreboard;
    private int dupAcks;
    private boolean inRecovery;
    private CongestionControl.RecoveryMode recoveryMode = CongestionControl.RecoveryMode.NEW_RENO;
    /** RFC 6582 "recover" / RFC 6675 "RecoveryPoint", exclusive: no new recovery until SND.UNA reaches it. */
    private int recoverEnd;

    private int highRxt;
    private boolean retransmitFirst;
    /** RFC 6675 §4 NextSeg rule (4): the one rescue retransmission of this recovery was sent ("RescueRxt"). */
    private boolean rescueSent;

    // --- RFC 6937 Proportional Rate Reduction (SACK recovery) ---
    private long prrDelivered;
    private long prrOut;
    private long recoverFs;
    /** Octets PRR lets us send now ("sndcnt"), less what was sent since it was computed. */
    private long prrSndcnt;

    // --- undoing an unnecessary reduction (RFC 3708 D-SACK detection, RFC 3522 Eifel detection, RFC 4015) ---
    /** A congestion episode whose reduction may still be undone. */
    private boolean undoArmed;
    /** The episode began with a retransmission timeout (not a fast recovery). */
    private boolean undoFromRto;

    private long priorCwnd;
    private long priorSsthresh;
    /** Retransmitted segments of the episode not yet shown spurious by a D-SACK (Linux's undo_retrans). */
    private int undoRetrans;
    /** Our TSval on the episode's first retransmission (RFC 3522 §2 "the timestamp of the retransmit"). */
    private int undoTsVal;

    private boolean undoTsSet;
    /** Octets retransmitted in the episode: a D-SACK inside them reports a spurious retransmission. */
    private final SeqRanges undoRanges;

    // --- RFC 8985 §7 tail loss probe ---
    /** The probe is due (the PTO fired). */
    private boolean tlpDue;
    /** A probe was sent and not yet answered; {@link #tlpSeq} is its first octet. */
    private boolean tlpOut;

    private int tlpSeq;

    // --- D-SACK generation (RFC 2883) ---
    private boolean dsackPending;
    private int dsackStart;
    private int dsackEnd;

    // --- acknowledgements ---
    private boolean ackNow;
    private int unackedSegments;
    private long challengeWindowStart = Long.MIN_VALUE;
    private int challengesInWindow;
    /** When the last ACK answering an unacceptable segment left (rate limit, {@link #replyToUnacceptable}). */
    private long lastInvalidAckNanos = Long.MIN_VALUE;

    // --- output and events ---
    private final ArrayDeque<TcpSegment> replies = new ArrayDeque<>();
    private final ArrayDeque<TcpEvent> events = new ArrayDeque<>();
    private boolean closedRaised;
    private CloseReason closeReason;
    private boolean readableRaised;
    private boolean writableWanted;
    private boolean userClosed;

    // --- counters ---
    private long segmentsIn;
    private long segmentsOut;
    private long retransmittedSegments;
    private long fastRecoveries;
    private long sackRecoveries;
    private long rtoExpiries;
    private long dupAcksIn;
    private long sackBlocksIn;
    private long challengeAcks;
    private long pawsDrops;
    private long zeroWindowProbes;
    private long keepAlivesSent;
    private long bytesAcked;
    private long bytesReceived;
    private long limitedTransmits;
    private long rescueRetransmissions;
    private long lostRetransmissions;
    private long dsacksSent;
    private long dsacksReceived;
    private long spuriousRetransmissions;
    private long undos;
    private long tailLossProbes;
    private long invalidAcksSuppressed;

    private TcpConnection(TcpConfig config, FourTuple tuple, IsnSource isnSource, boolean passiveOpen) {
        this.config = config;
        this.tuple = tuple;
        this.isnSource = isnSource;
        this.passiveOpen = passiveOpen;
        this.state = TcpState.CLOSED;
        this.sendBuffer = new SendBuffer(config.sendBufferBytes());
        this.receiveBuffer = new ReceiveBuffer(config.receiveBufferBytes(), config.maxOutOfOrderRanges());
        this.scoreboard = new Scoreboard(config.maxScoreboardRanges());
        this.undoRanges = new SeqRanges(Scoreboard.MAX_RETRANSMISSION_RECORDS);
        this.rtt = new RttEstimator(
                config.initialRtoNanos(), config.minRtoNanos(), config.maxRtoNanos(), config.clockGranularityNanos());
        this.peerMss = config.defaultPeerMss();
        this.cc = newCongestionControl(sendMss());
        Arrays.fill(deadlines, NO_DEADLINE);
        this.rcvWndShift = ourWindowShift(config);
    }

    /** RFC 7323 §2.3: the smallest shift that lets the 16-bit field cover the whole receive buffer. */
    private static int ourWindowShift(TcpConfig config) {
        int shift = 0;
        while (shift < MAX_WINDOW_SHIFT && (config.receiveBufferBytes() >> shift) > 0xFFFF) {
            shift++;
        }
        return config.windowScaling() ? shift : 0;
    }

    /** Active open (RFC 9293 §3.10.1): the connection starts in SYN-SENT; the SYN leaves on the next poll. */
    public static TcpConnection connect(TcpConfig config, FourTuple tuple, IsnSource isnSource, long nowNanos) {
        TcpConnection c = new TcpConnection(config, tuple, isnSource, false);
        c.iss = isnSource.isn(tuple, nowNanos);
        c.tsOffset = isnSource.timestampOffset(tuple);
        c.sndUna = c.iss;
        c.sndNxt = c.iss;
        c.sndMax = c.iss;
        c.recoverEnd = c.iss;
        c.sndBufEnd = SeqNum.add(c.iss, 1);
        c.synNeeded = true;
        c.transition(TcpState.SYN_SENT);
        return c;
    }

    /**
     * Passive open (RFC 9293 §3.10.1): the connection waits in LISTEN for one SYN. {@code tuple}'s remote port may be
     * 0 (unspecified); the SYN fills it in. Listening sockets with backlogs build on this.
     */
    public static TcpConnection listen(TcpConfig config, FourTuple tuple, IsnSource isnSource) {
        TcpConnection c = new TcpConnection(config, tuple, isnSource, true);
        c.transition(TcpState.LISTEN);
        return c;
    }

    /**
     * RFC 4987 §3.6 (SYN cookies, built by {@link TcpLayer} with {@link SynCookies}): the passive connection rebuilt
     * from a validated cookie ACK, in SYN-RECEIVED as if the SYN with sequence number {@code irs} had arrived without
     * window scale, SACK-permitted or timestamps (a cookie does not record them, so they stay off) and offering
     * {@code peerMss}, and as if the SYN-ACK with ISS {@code iss} and window {@code synAckWindow} had been sent once;
     * its RTT is not sampled (the SYN-ACK's send time is unknown). The caller then hands it the ACK itself.
     */
    static TcpConnection fromSynCookie(
            TcpConfig config, FourTuple tuple, IsnSource isnSource, int irs, int iss, int peerMss, int synAckWindow) {
        TcpConnection c = new TcpConnection(config, tuple, isnSource, true);
        c.transition(TcpState.LISTEN);
        c.irs = irs;
        c.rcvNxt = SeqNum.add(irs, 1);
        c.rcvAdvRight = SeqNum.add(c.rcvNxt, synAckWindow);
        c.lastAckSent = c.rcvNxt;
        c.rcvWndShift = 0;
        c.iss = iss;
        c.sndUna = iss;
        c.sndNxt = SeqNum.add(iss, 1);
        c.sndMax = c.sndNxt;
        c.recoverEnd = iss;
        c.sndBufEnd = SeqNum.add(iss, 1);
        c.sndWl1 = irs;
        c.peerMss = Math.max(TcpConfig.MIN_PEER_MSS, peerMss);
        c.transition(TcpState.SYN_RECEIVED);
        return c;
    }

    /**
     * RFC 9293 §3.10.7.1: the reply to a segment for which no connection exists, or null ("An incoming segment
     * containing a RST is discarded").
     */
    public static TcpSegment resetFor(TcpSegment incoming) {
        TcpHeader h = incoming.header();
        if (h.flags().rst()) {
            return null;
        }
        TcpHeader.Builder b = TcpHeader.builder(h.dstPort(), h.srcPort());
        if (h.flags().ack()) {
            // "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
            b.seq(h.ack()).flags(TcpFlags.RST);
        } else {
            // "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
            b.seq(0).ack(SeqNum.add(h.seq(), incoming.sequenceLength())).flags(TcpFlags.RST | TcpFlags.ACK);
        }
        return new TcpSegment(b.build(), Bytes.EMPTY);
    }

    // =====================================================================================================
    // State transitions: the one place the state changes.
    // =====================================================================================================

    private void transition(TcpState next) {
        if (next == state) {
            return;
        }
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("illegal TCP transition " + state + " -> " + next);
        }
        state = next;
    }

    private void raiseClosed(CloseReason reason) {
        if (!closedRaised) {
            closedRaised = true;
            closeReason = reason;
            events.add(new TcpEvent.Closed(reason));
        }
    }

    /** Deletes the TCB (RFC 9293 "enter the CLOSED state and delete the TCB"): timers off, queues dropped. */
    private void enterClosed(CloseReason reason) {
        transition(TcpState.CLOSED);
        Arrays.fill(deadlines, NO_DEADLINE);
        ackNow = false;
        synNeeded = false;
        probeDue = false;
        raiseClosed(reason);
    }

    private void enterTimeWait(long nowNanos) {
        transition(TcpState.TIME_WAIT);
        Arrays.fill(deadlines, NO_DEADLINE);
        arm(Timer.TIME_WAIT, nowNanos + 2 * config.mslNanos());
        raiseClosed(CloseReason.GRACEFUL);
    }

    private void enterEstablished() {
        transition(TcpState.ESTABLISHED);
        cc = newCongestionControl(sendMss());
        if (synRetransmitted) {
            rtt.afterSynTimeout(); // RFC 6298 (5.7)
            // RFC 5681 §3.1: "if the SYN or SYN/ACK is lost, the initial window used by a sender after a correctly
            // transmitted SYN MUST be one segment consisting of at most SMSS bytes"
            cc = config.congestionControl() == TcpConfig.CongestionAlgorithm.CUBIC
                    ? new Cubic(sendMss(), sendMss())
                    : new NewReno(sendMss(), sendMss());
        }
        events.add(new TcpEvent.Connected());
        if (finQueued) {
            transition(TcpState.FIN_WAIT_1); // close() was called during the handshake (RFC 9293 §3.10.4)
        }
    }

    private CongestionControl newCongestionControl(int smss) {
        long iw = config.initialWindowSegments() > 0
                ? (long) config.initialWindowSegments() * smss
                : CongestionControl.rfc5681InitialWindow(smss);
        return config.congestionControl() == TcpConfig.CongestionAlgorithm.CUBIC
                ? new Cubic(smss, iw)
                : new NewReno(smss, iw);
    }

    // =====================================================================================================
    // Input: segments.
    // =====================================================================================================

    /** Processes one segment addressed to this connection (RFC 9293 §3.10.7). */
    public void handleSegment(TcpSegment segment, long nowNanos) {
        segmentsIn++;
        switch (state) {
            case CLOSED -> onClosed(segment);
            case LISTEN -> onListen(segment, nowNanos);
            case SYN_SENT -> onSynSent(segment, nowNanos);
            default -> onSynchronized(segment, nowNanos);
        }
        updatePersist(nowNanos);
        updateKeepAlive(nowNanos);
        updateTailLossProbe(nowNanos);
    }

    /** RFC 9293 §3.10.7.1: CLOSED answers everything but a RST with a RST. */
    private void onClosed(TcpSegment seg) {
        TcpSegment rst = resetFor(seg);
        if (rst != null) {
            queueReply(rst);
        }
    }

    /** RFC 9293 §3.10.7.2: LISTEN. */
    private void onListen(TcpSegment seg, long nowNanos) {
        TcpHeader h = seg.header();
        TcpFlags f = h.flags();
        if (f.rst()) {
            return; // "first, check for a RST: An incoming RST segment could not be valid ... ignore"
        }
        if (f.ack()) {
            queueReply(resetFor(seg)); // "second, check for an ACK: <SEQ=SEG.ACK><CTL=RST>" (to its sender)
            return;
        }
        if (!f.syn()) {
            return; // "fourth, other data or control ... drop the segment"
        }
        // "third, check for a SYN": RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, select an ISS, send <SYN,ACK>
        if (tuple.remotePort() == 0) {
            tuple = tuple.withRemotePort(h.srcPort());
        }
        irs = h.seq();
        rcvNxt = SeqNum.add(irs, 1);
        rcvAdvRight = rcvNxt;
        iss = isnSource.isn(tuple, nowNanos);
        tsOffset = isnSource.timestampOffset(tuple);
        sndUna = iss;
        sndNxt = iss;
        sndMax = iss;
        recoverEnd = iss;
        sndBufEnd = SeqNum.add(iss, 1);
        negotiate(h);
        sndWnd = h.window(); // RFC 7323 §2.2: the window in a SYN is never scaled
        sndWl1 = h.seq();
        maxSndWnd = sndWnd;
        synNeeded = true;
        transition(TcpState.SYN_RECEIVED);
    }

    /** RFC 9293 §3.10.7.3: SYN-SENT. */
    private void onSynSent(TcpSegment seg, long nowNanos) {
        TcpHeader h = seg.header();
        TcpFlags f = h.flags();
        boolean ackAcceptable = false;
        if (f.ack()) {
            // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set)"
            if (SeqNum.le(h.ack(), iss) || SeqNum.gt(h.ack(), sndMax)) {
                if (!f.rst()) {
                    queueReply(reset(h.ack()));
                }
                return;
            }
            ackAcceptable = true;
        }
        if (f.rst()) {
            // "If the ACK was acceptable, then signal to the user 'error: connection reset', drop the segment,
            // enter CLOSED state" (RFC 5961 §3.2 keeps this rule for SYN-SENT); otherwise drop it.
            if (ackAcceptable) {
                enterClosed(CloseReason.REFUSED);
            }
            return;
        }
        if (!f.syn()) {
            return; // "fifth, if neither of the SYN or RST bits is set, then drop the segment and return"
        }
        irs = h.seq();
        rcvNxt = SeqNum.add(irs, 1);
        rcvAdvRight = rcvNxt; // nothing advertised relative to the peer's sequence space yet
        negotiate(h);
        if (ackAcceptable) {
            takeRttSampleForSyn(h.ack(), nowNanos);
            sndUna = h.ack();
            sndNxt = SeqNum.max(sndNxt, sndUna);
            // RFC 9293 §3.10.7.3: "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to
            // ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it."
            sndWnd = h.window(); // RFC 7323 §2.2: the window of a SYN is never scaled
            maxSndWnd = sndWnd;
            sndWl1 = h.seq();
            sndWl2 = h.ack();
            disarm(Timer.RETRANSMIT);
            retries = 0;
            ackNow = true;
            enterEstablished();
        } else {
            // "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment" (simultaneous open, RFC 9293 §3.5 Figure 7)
            sndWnd = h.window();
            maxSndWnd = sndWnd;
            sndWl1 = h.seq();
            synNeeded = true;
            transition(TcpState.SYN_RECEIVED);
        }
        // Note: data carried on a SYN is not accepted (no TCP Fast Open); the peer retransmits it.
    }

    /** Options of a SYN (RFC 9293 §3.7.1 MSS, RFC 7323 window scale and timestamps, RFC 2018 SACK-permitted). */
    private void negotiate(TcpHeader syn) {
        TcpOptions o = syn.options();
        int mss = o.mss().orElse(config.defaultPeerMss());
        peerMss = Math.max(TcpConfig.MIN_PEER_MSS, mss);
        peerOfferedWs = o.windowScale().isPresent();
        if (config.windowScaling() && peerOfferedWs) {
            // RFC 7323 §2.3: a shift above 14 is used as 14
            sndWndShift = Math.min(o.windowScale().getAsInt(), MAX_WINDOW_SHIFT);
        } else {
            sndWndShift = 0;
            rcvWndShift = 0; // RFC 7323 §2.2: scaling is on only when both sides sent the option
        }
        sackOk = config.sack() && o.sackPermitted();
        tsOk = config.timestamps() && o.timestamps().isPresent();
        if (tsOk) {
            tsRecent = o.timestamps().get().tsVal();
        }
    }

    /** RFC 9293 §3.10.7.4: SYN-RECEIVED and the synchronized states. */
    private void onSynchronized(TcpSegment seg, long nowNanos) {
        TcpHeader h = seg.header();
        TcpFlags f = h.flags();
        int seq = h.seq();
        int segLen = seg.sequenceLength();

        // RFC 7323 §5.3 R1: PAWS drops a segment whose TSval is older than TS.Recent, with an ACK unless RST.
        // Note: a segment without TSopt on a timestamped connection is accepted, as Linux does (RFC 7323 §3.2 says
        // SHOULD drop). TS.Recent is never invalidated after 24 idle days (§5.5): no connection here lives that long.
        if (tsOk && !f.rst() && h.options().timestamps().isPresent()) {
            if (SeqNum.lt(h.options().timestamps().get().tsVal(), tsRecent)) {
                pawsDrops++;
                // Note: not rate-limited (Linux limits it too): the handshake-storm simulation loses connections
                // when it is; a loop between two ends also passes the acceptability test below, which is limited.
                ackNow = true;
                return;
            }
        }

        // First: the acceptability test (RFC 9293 §3.10.7.4, the four cases).
        long rcvWnd = advertisedWindow();
        boolean acceptable;
        if (segLen == 0) {
            // Note: with a zero window we also take SEG.SEQ = RCV.NXT + 1, the sequence number of a peer whose
            // one-octet window probe we could not store (its ACKs carry its highest sequence number).
            acceptable =
                    rcvWnd == 0 ? seq == rcvNxt || seq == SeqNum.add(rcvNxt, 1) : SeqNum.inWindow(seq, rcvNxt, rcvWnd);
        } else {
            acceptable = rcvWnd > 0
                    && (SeqNum.inWindow(seq, rcvNxt, rcvWnd)
                            || SeqNum.inWindow(SeqNum.add(seq, segLen - 1), rcvNxt, rcvWnd));
            // "special allowance should be made to accept valid ACKs, URGs, and RSTs" in a zero window
            acceptable |= rcvWnd == 0 && seq == rcvNxt;
        }
        if (!acceptable) {
            if (state == TcpState.SYN_RECEIVED && f.syn() && !f.ack() && seq == irs) {
                // Note: a retransmitted SYN means our SYN-ACK was lost; resend it now, as Linux does.
                synNeeded = true;
                return;
            }
            if (state == TcpState.TIME_WAIT && f.fin()) {
                arm(Timer.TIME_WAIT, nowNanos + 2 * config.mslNanos()); // a retransmitted FIN restarts 2*MSL
            }
            if (!f.rst()) {
                if (f.syn()) {
                    // RFC 5961 §4.2: a SYN gets a challenge ACK "irrespective of the sequence number"
                    challengeAck(nowNanos);
                    return;
                }
                // "an acknowledgment should be sent in reply (unless the RST bit is set)", rate-limited
                replyToUnacceptable(segLen, nowNanos);
                int payloadEnd = SeqNum.add(seq, seg.payload().length());
                if (!seg.payload().isEmpty() && SeqNum.le(payloadEnd, rcvNxt)) {
                    noteDsack(seq, payloadEnd); // RFC 2883 §4: a duplicate below RCV.NXT
                }
            }
            return;
        }

        // Anything acceptable from the peer proves it alive: keep-alive starts over (RFC 9293 §3.8.4).
        keepAlivesUnanswered = 0;
        disarm(Timer.KEEPALIVE);

        // RFC 7323 §4.3 (2): "If SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent then SEG.TSval is copied to
        // TS.Recent"
        if (tsOk && h.options().timestamps().isPresent() && SeqNum.le(seq, lastAckSent)) {
            tsRecent = h.options().timestamps().get().tsVal();
        }

        // Second: RST (RFC 5961 §3.2 replaces RFC 793's in-window rule).
        if (f.rst()) {
            onReset(seq, nowNanos);
            return;
        }

        // Fourth: SYN. RFC 5961 §4.2 / RFC 9293 §3.10.7.4: "If the SYN bit is set, irrespective of the sequence
        // number, TCP endpoints MUST send a 'challenge ACK'".
        if (f.syn()) {
            challengeAck(nowNanos);
            return;
        }

        // Fifth: ACK. "if the ACK bit is off, drop the segment and return"
        if (!f.ack()) {
            return;
        }
        if (!onAck(seg, nowNanos)) {
            return;
        }

        // Sixth: URG (RFC 9293 §3.8.5: data is delivered inline; we only record the mark).
        if (f.urg() && receivesData()) {
            int up = SeqNum.add(seq, h.urgentPointer());
            if (!urgentSeen || SeqNum.gt(up, rcvUp)) {
                rcvUp = up;
                urgentSeen = true;
                // "If RCV.UP is advanced ... signal the user that the remote side has urgent data": the mark as a
                // stream offset (octets delivered in order so far plus the distance from RCV.NXT).
                events.add(new TcpEvent.UrgentMark(Math.max(0, bytesReceived + SeqNum.sub(up, rcvNxt))));
            }
        }

        // Seventh: segment text.
        boolean textStoredCompletely = true;
        if (!seg.payload().isEmpty()) {
            textStoredCompletely = onText(seg, nowNanos);
        }

        // Eighth: FIN.
        if (f.fin()) {
            int finSeq = SeqNum.add(seq, seg.payload().length());
            if (finSeq == rcvNxt) {
                onFin(nowNanos);
            } else if (textStoredCompletely && SeqNum.gt(finSeq, rcvNxt)) {
                pendingFin = true; // held with the out-of-order data before it
                pendingFinSeq = finSeq;
                ackNow = true;
            }
        }
    }

    /** RFC 5961 §3.2: exact RST resets, any other in-window RST gets a challenge ACK. */
    private void onReset(int seq, long nowNanos) {
        if (seq != rcvNxt) {
            challengeAck(nowNanos);
            return;
        }
        switch (state) {
            // SYN-RECEIVED from a passive OPEN returns to LISTEN; from an active one, the connection was refused.
            case SYN_RECEIVED -> {
                if (passiveOpen) {
                    returnToListen();
                } else {
                    enterClosed(CloseReason.REFUSED);
                }
            }
            // ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: "signal 'connection reset' ... enter CLOSED"
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> enterClosed(CloseReason.RESET);
            // CLOSING, LAST-ACK, TIME-WAIT: "enter the CLOSED state, delete the TCB, and return"
            default -> enterClosed(CloseReason.RESET);
        }
    }

    private void returnToListen() {
        transition(TcpState.LISTEN);
        Arrays.fill(deadlines, NO_DEADLINE);
        synNeeded = false;
        ackNow = false;
        retries = 0;
        rtt.resetBackoff();
        rttTiming = false;
        sackOk = false;
        tsOk = false;
        sndWndShift = 0;
        peerMss = config.defaultPeerMss();
        rcvWndShift = ourWindowShift(config);
    }

    /**
     * The ACK stage of RFC 9293 §3.10.7.4 with RFC 5961 §5.2. Returns whether processing continues to URG, text and
     * FIN.
     */
    private boolean onAck(TcpSegment seg, long nowNanos) {
        TcpHeader h = seg.header();
        int ack = h.ack();
        if (state == TcpState.SYN_RECEIVED) {
            // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state"; otherwise <SEQ=SEG.ACK><CTL=RST>
            if (SeqNum.lt(sndUna, ack) && SeqNum.le(ack, sndMax)) {
                takeRttSampleForSyn(ack, nowNanos);
                sndUna = ack;
                sndNxt = SeqNum.max(sndNxt, sndUna);
                sndWnd = (long) h.window() << sndWndShift;
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndWl1 = h.seq();
                sndWl2 = ack;
                disarm(Timer.RETRANSMIT);
                retries = 0;
                synNeeded = false;
                enterEstablished();
            } else {
                queueReply(reset(ack));
                return false;
            }
        }
        // RFC 5961 §5.2: acceptable when (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT; otherwise challenge ACK.
        if (SeqNum.gt(ack, sndMax) || SeqNum.lt(ack, SeqNum.add(sndUna, -Math.max(maxSndWnd, 1)))) {
            challengeAck(nowNanos);
            return false;
        }
        if (SeqNum.lt(ack, sndUna)) {
            return true; // "If the ACK is a duplicate (SEG.ACK < SND.UNA), it can be ignored"
        }
        processAck(seg, nowNanos);
        switch (state) {
            // FIN-WAIT-1: "if the FIN segment is now acknowledged, then enter FIN-WAIT-2"
            case FIN_WAIT_1 -> {
                if (finAcked()) {
                    transition(TcpState.FIN_WAIT_2);
                }
            }
            // CLOSING: "if the ACK acknowledges our FIN, then enter the TIME-WAIT state"
            case CLOSING -> {
                if (finAcked()) {
                    enterTimeWait(nowNanos);
                }
            }
            // LAST-ACK: "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state"
            case LAST_ACK -> {
                if (finAcked()) {
                    enterClosed(CloseReason.GRACEFUL);
                    return false;
                }
            }
            default -> {}
        }
        return true;
    }

    private boolean finAcked() {
        return finQueued && sndUna == SeqNum.add(finSeq(), 1);
    }

    /** SND.UNA =< SEG.ACK =< SND.NXT: advance SND.UNA, update the window, run congestion control and recovery. */
    private void processAck(TcpSegment seg, long nowNanos) {
        TcpHeader h = seg.header();
        int ack = h.ack();
        int acked = SeqNum.sub(ack, sndUna);
        long newWnd = (long) h.window() << sndWndShift;
        List<TcpOptions.SackBlock> blocks = h.options().sackBlocks();
        sackBlocksIn += blocks.size();
        probesUnanswered = 0;
        long sackedBefore = scoreboard.sackedBytes();
        if (sackOk && !blocks.isEmpty()) {
            onDsack(blocks, ack, nowNanos);
        }

        // RFC 5681 §2 "DUPLICATE ACKNOWLEDGMENT": (a) outstanding data, (b) no data, (c) no SYN/FIN, (d) SEG.ACK ==
        // SND.UNA, (e) the advertised window is unchanged.
        boolean duplicate = acked == 0
                && sndMax != sndUna
                && seg.payload().isEmpty()
                && !h.flags().fin()
                && newWnd == sndWnd
                && newWnd > 0; // Note: ACKs of zero-window probes are not loss signals

        // RFC 9293 §3.10.7.4: "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK), set SND.WND <-
        // SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK."
        // Note: as Linux's tcp_may_update_window, an ACK that advances SND.UNA also updates the window. A peer's
        // retransmission carries an older SEG.SEQ than its pure ACKs; keeping the old SND.WND while SND.UNA moves
        // would slide the window's right edge past what the peer offered.
        if (SeqNum.lt(sndWl1, h.seq()) || (sndWl1 == h.seq() && SeqNum.le(sndWl2, ack)) || acked > 0) {
            sndWnd = newWnd;
            sndWl1 = h.seq();
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
        }

        if (acked > 0) {
            int dataAcked = Math.min(acked, sendBuffer.length());
            sendBuffer.consume(dataAcked);
            bytesAcked += dataAcked;
            sndUna = ack;
            if (SeqNum.lt(sndNxt, sndUna)) {
                sndNxt = sndUna;
            }
            if (SeqNum.lt(highRxt, sndUna)) {
                highRxt = sndUna;
            }
            if (rttTiming && SeqNum.ge(ack, rttSeq)) {
                rtt.sample(nowNanos - rttStartNanos); // RFC 6298 §3: timed segments were sent once (Karn)
                rttTiming = false;
            }
            if (retries > 0 && undoFromRto && eifelSpurious(h)) {
                // RFC 3522 §2: the first ACK after a timeout echoes a timestamp older than the retransmission, so the
                // original arrived: the timeout was spurious (RFC 4015 §2 responds by undoing the reduction).
                undo();
            }
            rtt.resetBackoff();
            retries = 0;
            persistBackoff = 0;
            disarm(Timer.TAIL_LOSS_PROBE); // RFC 8985 §7.2: rescheduled on each ACK that advances SND.UNA
            firstUnackedSinceNanos = sndMax == sndUna ? -1 : nowNanos;
            if (sackOk) {
                scoreboard.update(sndUna, sndMax, blocks);
            }
            boolean probeRecovery = tlpOut && probeRevealedLoss(nowNanos, acked, sackedBefore);
            tlpOut = false;
            if (probeRecovery) {
                retransmitFirst = true; // RFC 8985 §7.4: recovery began with this ACK; the first hole goes first
            } else if (inRecovery) {
                if (SeqNum.ge(ack, recoverEnd)) {
                    // RFC 6582 §3.2 step 3 / RFC 6675 §5: a full acknowledgement ends recovery
                    inRecovery = false;
                    cc.onRecoveryExit(nowNanos, flightSize(), recoveryMode);
                    scoreboard.clearRetransmissions();
                    if (eifelSpurious(h)) {
                        undo(); // RFC 3522 §2: the hole was filled by the original, not the retransmission
                    }
                } else if (recoveryMode == CongestionControl.RecoveryMode.NEW_RENO) {
                    // RFC 6582 §3.2 step 5: retransmit the first unacknowledged segment, deflate, reset the timer
                    cc.onPartialAck(acked);
                    retransmitFirst = true;
                } else {
                    onSackRecoveryAck(acked, sackedBefore);
                }
            } else {
                cc.onAck(nowNanos, acked, rtt.srttNanos());
            }
            dupAcks = 0;
            // RFC 6298 (5.2)/(5.3): stop the timer when all is acknowledged, otherwise restart it
            if (sndMax == sndUna) {
                disarm(Timer.RETRANSMIT);
            } else {
                arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
            }
            if (writableWanted && sendBuffer.free() > 0 && acceptsSend()) {
                writableWanted = false;
                events.add(new TcpEvent.Writable(sendBuffer.free()));
            }
            return;
        }

        boolean newSack = sackOk && scoreboard.update(sndUna, sndMax, blocks);
        if (newSack && tlpOut && probeRevealedLoss(nowNanos, 0, sackedBefore)) {
            return;
        }
        // Note: RFC 6675 §2 counts an ACK that SACKs new data as a duplicate only when it carries no data and the
        // same window; in a two-way transfer nearly every ACK carries data, so (as Linux, which counts SACKed
        // segments) any ACK that SACKs new data below SND.MAX counts here, which also drives limited transmit.
        if (newSack && sndMax != sndUna && !h.flags().fin()) {
            duplicate = true;
        }
        if (!duplicate) {
            return;
        }
        dupAcks++;
        dupAcksIn++;
        if (inRecovery) {
            if (recoveryMode == CongestionControl.RecoveryMode.NEW_RENO) {
                cc.onDupAckInRecovery(); // RFC 5681 §3.2 step 4
            } else {
                onSackRecoveryAck(0, sackedBefore);
            }
            return;
        }
        // RFC 5681 §3.2 step 2 / RFC 6675 §5: DupThresh duplicates, or (with SACK) IsLost(HighACK + 1)
        boolean lossDetected =
                dupAcks >= Scoreboard.DUP_THRESH || (sackOk && scoreboard.isLost(sndUna, sndUna, sendMss()));
        // RFC 6582 §3.2 step 2: only when "the Cumulative Acknowledgment field covers more than recover"
        if (lossDetected && SeqNum.ge(sndUna, recoverEnd) && sndMax != sndUna) {
            enterRecovery(nowNanos, Math.max(0, scoreboard.sackedBytes() - sackedBefore));
        }
    }

    private void enterRecovery(long nowNanos, long deliveredNow) {
        inRecovery = true;
        recoveryMode = sackOk ? CongestionControl.RecoveryMode.SACK : CongestionControl.RecoveryMode.NEW_RENO;
        if (sackOk) {
            sackRecoveries++;
        } else {
            fastRecoveries++;
        }
        startUndoEpisode(false);
        recoverEnd = sndMax;
        highRxt = sndUna;
        rescueSent = false;
        scoreboard.clearRetransmissions();
        int smss = sendMss();
        // RFC 6937 §3: "RecoverFS = snd.nxt - snd.una" at the start of recovery; the pipe estimate of RFC 6675
        // (what is still in the network) is the refinement of draft-ietf-tcpm-prr-rfc6937bis.
        recoverFs = Math.max(smss, scoreboard.pipe(sndUna, sndMax, highRxt, smss));
        prrDelivered = 0;
        prrOut = 0;
        cc.onCongestionEvent(nowNanos, flightSize(), recoveryMode);
        if (recoveryMode == CongestionControl.RecoveryMode.SACK) {
            computePrr(deliveredNow);
        }
        retransmitFirst = true; // RFC 5681 §3.2 step 3 / RFC 6675 §5 (4.3): retransmit the first lost segment
        rttTiming = false;
    }

    /**
     * RFC 8985 §7.4 (simplified, without RACK): the probe's octets arrived while earlier ones are still missing, so
     * those were lost; they were sent at least a PTO (2*SRTT) before the probe. Enters SACK recovery; NextSeg rule (3)
     * resends the holes under PRR. Returns whether recovery started.
     */
    private boolean probeRevealedLoss(long nowNanos, int acked, long sackedBefore) {
        boolean probeSacked = SeqNum.gt(scoreboard.highestSackedEnd(sndUna), tlpSeq);
        if (!probeSacked || inRecovery || SeqNum.ge(sndUna, tlpSeq) || !SeqNum.ge(sndUna, recoverEnd)) {
            return false;
        }
        tlpOut = false;
        enterRecovery(nowNanos, Math.max(0, acked + scoreboard.sackedBytes() - sackedBefore));
        arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
        dupAcks = 0;
        return true;
    }

    /**
     * One ACK during SACK recovery: detect lost retransmissions, then let PRR (RFC 6937) decide how much may be sent.
     * {@code sackedBefore} is the SACKed total before this ACK.
     */
    private void onSackRecoveryAck(int acked, long sackedBefore) {
        lostRetransmissions += scoreboard.detectLostRetransmissions(sndUna, sendMss());
        // RFC 6937 §3: "DeliveredData = (change in snd.una) + (change in SACKed)"
        computePrr(Math.max(0, acked + scoreboard.sackedBytes() - sackedBefore));
    }

    /** RFC 6937 §3 "On every ACK during recovery": sndcnt from prr_delivered, prr_out and pipe. */
    private void computePrr(long deliveredData) {
        int smss = sendMss();
        prrDelivered += deliveredData;
        long pipe = scoreboard.pipe(sndUna, sndMax, highRxt, smss);
        long ssthresh = cc.ssthresh();
        long sndcnt;
        if (pipe > ssthresh) {
            // "Proportional Rate Reduction": sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out
            sndcnt = (long) Math.ceil((double) prrDelivered * ssthresh / recoverFs) - prrOut;
        } else {
            // "Slow Start Reduction Bound": limit = MAX(prr_delivered - prr_out, DeliveredData) + MSS;
            // sndcnt = MIN(ssthresh - pipe, limit)
            long limit = Math.max(prrDelivered - prrOut, deliveredData) + smss;
            sndcnt = Math.min(ssthresh - pipe, limit);
        }
        prrSndcnt = Math.max(0, sndcnt);
    }

    /** A segment was sent during SACK recovery: RFC 6937 "prr_out += (data sent)". */
    private void prrSent(TcpSegment s) {
        long n = s.sequenceLength();
        prrOut += n;
        prrSndcnt = Math.max(0, prrSndcnt - n);
    }

    /**
     * Starts a congestion episode whose reduction may later prove unnecessary: remembers the window before it
     * (RFC 4015 §3.1 "pipe_prev"/"ssthresh_prev", Linux's prior_cwnd). An RTO inside a fast recovery continues the
     * recovery's episode.
     */
    private void startUndoEpisode(boolean timeout) {
        if (timeout && undoArmed && inRecovery) {
            undoFromRto = true;
            return;
        }
        undoArmed = true;
        undoFromRto = timeout;
        priorCwnd = cc.cwnd();
        priorSsthresh = cc.ssthresh();
        undoRetrans = 0;
        undoTsSet = false;
        undoRanges.clear();
    }

    /** A retransmission of {@code [seq, seq + len)} left: the episode now has one more to prove spurious. */
    private void noteRetransmission(int seq, int len, long nowNanos) {
        if (!undoArmed) {
            return;
        }
        undoRetrans++;
        if (!undoRanges.add(seq, SeqNum.add(seq, Math.max(1, len)))) {
            undoRetrans = Integer.MAX_VALUE / 2; // too many to track: this episode cannot be undone
        }
        if (!undoTsSet && tsOk) {
            undoTsSet = true;
            undoTsVal = tsNow(nowNanos);
        }
    }

    /**
     * RFC 2883 §4 / RFC 3708 §2: the first SACK block is a D-SACK when it lies below SEG.ACK or inside the second
     * block. A D-SACK for octets we retransmitted in the current episode shows that retransmission was spurious;
     * when all of them were, the reduction is undone (as Linux's tcp_try_undo_dsack).
     */
    private void onDsack(List<TcpOptions.SackBlock> blocks, int ack, long nowNanos) {
        TcpOptions.SackBlock first = blocks.get(0);
        boolean below = SeqNum.le(first.right(), ack);
        boolean inSecond = blocks.size() > 1
                && SeqNum.le(blocks.get(1).left(), first.left())
                && SeqNum.le(first.right(), blocks.get(1).right());
        if (!(below || inSecond) || !SeqNum.lt(first.left(), first.right())) {
            return;
        }
        dsacksReceived++;
        if (!undoArmed || !undoRanges.containsRange(first.left(), first.right())) {
            return; // a duplicate the network made, or one from an earlier episode
        }
        spuriousRetransmissions++;
        int segments = Math.max(1, (SeqNum.sub(first.right(), first.left()) + sendMss() - 1) / sendMss());
        undoRetrans -= segments;
        if (undoRetrans > 0) {
            return;
        }
        if (inRecovery) {
            if (scoreboard.lostBoundary(sndUna, sendMss()) != sndUna
                    || SeqNum.lt(scoreboard.firstRelost(sndUna, sndMax), sndMax)) {
                return; // octets still deemed lost: finish the recovery first
            }
            inRecovery = false;
            recoverEnd = sndUna; // a real loss may start a new recovery at once
            scoreboard.clearRetransmissions();
            cc.onRecoveryExit(nowNanos, flightSize(), recoveryMode);
        }
        undo();
    }

    /**
     * RFC 3522 §2 Eifel detection: the ACK echoes a timestamp older than the episode's first retransmission, so it was
     * caused by an original transmission.
     */
    private boolean eifelSpurious(TcpHeader h) {
        return undoArmed
                && undoTsSet
                && tsOk
                && h.options().timestamps().isPresent()
                && SeqNum.lt(h.options().timestamps().get().tsEcr(), undoTsVal);
    }

    /** RFC 4015 §3.2 response: restore the window from before the episode. */
    private void undo() {
        undoArmed = false;
        undoFromRto = false;
        undos++;
        cc.onUndo(priorCwnd, priorSsthresh);
    }

    private long flightSize() {
        return Integer.toUnsignedLong(SeqNum.sub(sndMax, sndUna));
    }

    /** RFC 6298 §3 (Karn): a SYN sent once is a valid sample. */
    private void takeRttSampleForSyn(int ack, long nowNanos) {
        if (rttTiming && SeqNum.ge(ack, rttSeq)) {
            rtt.sample(nowNanos - rttStartNanos);
        }
        rttTiming = false;
    }

    private boolean receivesData() {
        return state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2;
    }

    /**
     * The text stage: "ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 ... deliver the segment text into the user RECEIVE
     * buffers"; other states ignore text. Returns whether all of the text within the window was stored.
     */
    private boolean onText(TcpSegment seg, long nowNanos) {
        if (!receivesData()) {
            return false;
        }
        int seq = seg.header().seq();
        int payloadEnd = SeqNum.add(seq, seg.payload().length());
        if (SeqNum.lt(seq, rcvNxt)) {
            noteDsack(seq, SeqNum.min(payloadEnd, rcvNxt)); // RFC 2883 §4: octets received before
        } else if (SeqNum.gt(seq, rcvNxt) && receiveBuffer.holds(seq, payloadEnd)) {
            noteDsack(seq, payloadEnd); // RFC 2883 §4.2: a duplicate of out-of-order octets already held
        }
        ByteBuffer data = seg.payload().asReadOnlyBuffer();
        boolean hadHoles = receiveBuffer.hasOutOfOrder();
        long oooBefore = receiveBuffer.outOfOrderBytes();
        int advanced = receiveBuffer.insert(rcvNxt, seq, data);
        if (advanced > 0) {
            rcvNxt = SeqNum.add(rcvNxt, advanced);
            bytesReceived += advanced;
            if (!readableRaised) {
                readableRaised = true;
                events.add(new TcpEvent.Readable(receiveBuffer.readable()));
            }
            if (hadHoles) {
                ackNow = true; // RFC 5681 §4.2: ACK at once when a segment fills (part of) a hole
            } else if (++unackedSegments >= 2) {
                ackNow = true; // RFC 9293 §3.8.6.3: "at least every second full-sized segment"
            } else if (deadlines[Timer.DELAYED_ACK.ordinal()] == NO_DEADLINE) {
                arm(Timer.DELAYED_ACK, nowNanos + config.ackDelayNanos());
            }
            if (pendingFin && pendingFinSeq == rcvNxt) {
                pendingFin = false;
                onFin(nowNanos);
            }
        } else {
            ackNow = true; // RFC 5681 §4.2: "an out-of-order data segment SHOULD be acknowledged immediately"
        }
        int end = SeqNum.add(seq, seg.payload().length());
        long stored = receiveBuffer.outOfOrderBytes() - oooBefore;
        return SeqNum.le(end, rcvNxt) || stored > 0 && SeqNum.le(end, SeqNum.add(rcvNxt, advertisedWindow()));
    }

    /**
     * RFC 2883 §4: the next ACK reports the duplicate {@code [start, end)} as its first SACK block (a D-SACK), once.
     * A later duplicate replaces an unsent one.
     */
    private void noteDsack(int start, int end) {
        if (!sackOk || !SeqNum.lt(start, end)) {
            return;
        }
        dsackPending = true;
        dsackStart = start;
        dsackEnd = end;
        ackNow = true;
    }

    /** The FIN stage: the peer's FIN is in sequence (RFC 9293 §3.10.7.4 "eighth"). */
    private void onFin(long nowNanos) {
        rcvNxt = SeqNum.add(rcvNxt, 1);
        if (SeqNum.lt(rcvAdvRight, rcvNxt)) {
            rcvAdvRight = rcvNxt;
        } else {
            rcvAdvRight = SeqNum.add(rcvAdvRight, 1); // the FIN takes a sequence number, not buffer space
        }
        ackNow = true;
        if (!peerFinished) {
            peerFinished = true;
            events.add(new TcpEvent.PeerFinished());
        }
        switch (state) {
            // SYN-RECEIVED, ESTABLISHED: "Enter the CLOSE-WAIT state"
            case SYN_RECEIVED, ESTABLISHED -> transition(TcpState.CLOSE_WAIT);
            // FIN-WAIT-1: our FIN is not yet acknowledged (or we would be in FIN-WAIT-2): "enter the CLOSING state"
            case FIN_WAIT_1 -> transition(TcpState.CLOSING);
            // FIN-WAIT-2: "Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers."
            case FIN_WAIT_2 -> enterTimeWait(nowNanos);
            // TIME-WAIT: "Restart the 2 MSL time-wait timeout."
            case TIME_WAIT -> arm(Timer.TIME_WAIT, nowNanos + 2 * config.mslNanos());
            // CLOSE-WAIT, CLOSING, LAST-ACK: "Remain in the ... state"
            default -> {}
        }
    }

    /** RFC 5961 §7: challenge ACKs are rate-limited per connection. */
    private void challengeAck(long nowNanos) {
        if (challengeWindowStart == Long.MIN_VALUE || nowNanos - challengeWindowStart >= 1_000_000_000L) {
            challengeWindowStart = nowNanos;
            challengesInWindow = 0;
        }
        if (challengesInWindow >= config.challengeAcksPerSecond()) {
            return;
        }
        challengesInWindow++;
        challengeAcks++;
        // RFC 5961 §3.2: "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
        queueReply(build(sndMax, TcpFlags.ACK, Bytes.EMPTY, nonSynOptions(nowNanos)));
    }

    /**
     * The ACK of RFC 9293 §3.10.7.4 for an unacceptable segment. A segment without data, SYN or FIN gets it at most once
     * per {@link TcpConfig#invalidAckIntervalNanos()}, as Linux's tcp_invalid_ratelimit: two ends that disagree on
     * sequence numbers (a half-open connection) would otherwise ACK each other's ACKs forever (RFC 5961 §7 makes the
     * same point for challenge ACKs). Segments that occupy sequence space (old duplicates, retransmitted FINs) are not
     * part of such a loop and are always answered, so the peer learns RCV.NXT (and gets its D-SACK).
     */
    private void replyToUnacceptable(int segLen, long nowNanos) {
        long interval = config.invalidAckIntervalNanos();
        if (segLen == 0 && interval > 0) {
            if (lastInvalidAckNanos != Long.MIN_VALUE && nowNanos - lastInvalidAckNanos < interval) {
                invalidAcksSuppressed++;
                return;
            }
            lastInvalidAckNanos = nowNanos;
        }
        ackNow = true;
    }

    private TcpSegment reset(int seq) {
        return new TcpSegment(
                TcpHeader.builder(tuple.localPort(), tuple.remotePort())
                        .seq(seq)
                        .flags(TcpFlags.RST)
                        .build(),
                Bytes.EMPTY);
    }

    private void queueReply(TcpSegment s) {
        if (replies.size() < MAX_QUEUED_REPLIES) {
            replies.add(s);
        }
    }

    // =====================================================================================================
    // Input: time.
    // =====================================================================================================

    /** When {@link #handleTimeout} is next due, or {@link #NO_DEADLINE}. May change after any call. */
    public long pollTimeout() {
        long t = NO_DEADLINE;
        for (long d : deadlines) {
            t = Math.min(t, d);
        }
        return t;
    }

    /**
     * The earliest deadline of a timer that makes the sender transmit (retransmission, tail loss probe, persist and
     * the SWS override), or {@link #NO_DEADLINE}. For the liveness rule the tests check: a connection with data or a
     * FIN still to deliver and nothing to send now has one of these armed.
     */
    long senderDeadline() {
        return Math.min(
                deadlines[Timer.RETRANSMIT.ordinal()],
                Math.min(deadlines[Timer.PERSIST.ordinal()], deadlines[Timer.TAIL_LOSS_PROBE.ordinal()]));
    }

    /** Fires every timer due at {@code nowNanos}; early or repeated calls do nothing. */
    public void handleTimeout(long nowNanos) {
        for (Timer timer : Timer.values()) {
            long d = deadlines[timer.ordinal()];
            if (d != NO_DEADLINE && d <= nowNanos) {
                deadlines[timer.ordinal()] = NO_DEADLINE;
                fire(timer, nowNanos);
            }
        }
        updatePersist(nowNanos);
        updateKeepAlive(nowNanos);
        updateTailLossProbe(nowNanos);
    }

    private void fire(Timer timer, long nowNanos) {
        switch (timer) {
            case RETRANSMIT -> onRetransmitTimeout(nowNanos);
            case PERSIST -> {
                if (!sendsData()) {
                    return;
                }
                probeDue = sndWnd == 0;
                persistForce = !probeDue;
                persistBackoff++;
                if (probeDue && ++probesUnanswered > config.maxRetries()) {
                    enterClosed(CloseReason.TIMED_OUT); // the peer stopped answering probes
                }
            }
            case DELAYED_ACK -> ackNow = true;
            case TAIL_LOSS_PROBE -> {
                if (tlpAllowed()) {
                    tlpDue = true; // RFC 8985 §7.3: send a probe
                }
            }
            case TIME_WAIT -> {
                if (state == TcpState.TIME_WAIT) {
                    enterClosed(CloseReason.GRACEFUL);
                }
            }
            case KEEPALIVE -> {
                if (keepAlivesUnanswered >= config.keepAliveProbes()) {
                    enterClosed(CloseReason.TIMED_OUT); // RFC 1122 §4.2.3.6: the peer stopped answering
                } else if (keepAliveIdle()) {
                    keepAlivesUnanswered++;
                    keepAliveDue = true;
                }
            }
        }
    }

    /** Keep-alive applies to an idle synchronized connection: nothing unacknowledged and nothing to send. */
    private boolean keepAliveIdle() {
        return config.keepAliveIdleNanos() > 0
                && (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.FIN_WAIT_2)
                && sndMax == sndUna
                && unsentData() == 0;
    }

    /** Arms the keep-alive timer: the idle time after traffic, then the probe interval while unanswered. */
    private void updateKeepAlive(long nowNanos) {
        if (!keepAliveIdle()) {
            disarm(Timer.KEEPALIVE);
            return;
        }
        if (deadlines[Timer.KEEPALIVE.ordinal()] == NO_DEADLINE) {
            arm(
                    Timer.KEEPALIVE,
                    nowNanos
                            + (keepAlivesUnanswered > 0
                                    ? config.keepAliveIntervalNanos()
                                    : config.keepAliveIdleNanos()));
        }
    }

    /** RFC 6298 §5 (5.4)-(5.7) with RFC 5681 §3.1 and RFC 6582/6675 after a timeout. */
    private void onRetransmitTimeout(long nowNanos) {
        if (state == TcpState.CLOSED || state == TcpState.LISTEN || state == TcpState.TIME_WAIT) {
            return;
        }
        rtoExpiries++;
        retries++;
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            if (retries > config.maxSynRetries()) {
                enterClosed(CloseReason.TIMED_OUT);
                return;
            }
            rtt.backoff();
            rttTiming = false;
            synNeeded = true;
            synRetransmitted = true;
            return;
        }
        if (retries > config.maxRetries()
                || (config.userTimeoutNanos() > 0
                        && firstUnackedSinceNanos >= 0
                        && nowNanos - firstUnackedSinceNanos >= config.userTimeoutNanos())) {
            enterClosed(CloseReason.TIMED_OUT); // RFC 9293 §3.10.8 "USER TIMEOUT" / R2
            return;
        }
        if (retries == 1) {
            startUndoEpisode(true);
            cc.onRetransmissionTimeout(nowNanos, flightSize()); // only the first timeout for this data
        }
        rtt.backoff(); // (5.5)
        // (5.4) retransmit the earliest segment not acknowledged: go back to SND.UNA
        sndNxt = sndUna;
        scoreboard.clear(); // RFC 2018 §8: SACK information is not trusted after a timeout
        tlpOut = false;
        tlpDue = false;
        inRecovery = false;
        recoverEnd = sndMax; // RFC 6582 §3.2 step 4 / RFC 6675 §5.1
        dupAcks = 0;
        rttTiming = false;
        retransmitFirst = false;
        arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos()); // (5.6)
    }

    /**
     * Keeps the timers consistent with what is outstanding. RFC 9293 §3.8.6.1: with a zero send window and data to
     * send, the persist timer runs (instead of the retransmission timer) so a lost window update cannot deadlock the
     * connection; with a non-zero window, nothing in flight and data held back by Nagle or SWS avoidance, it is the
     * override timeout of §3.8.6.2.1. With data in flight and an open window, the retransmission timer runs.
     */
    private void updatePersist(long nowNanos) {
        boolean inFlight = sndMax != sndUna;
        if (!sendsData() || (unsentData() == 0 && !inFlight)) {
            disarm(Timer.PERSIST);
            return;
        }
        if (sndWnd == 0 || (!inFlight && unsentData() > 0)) {
            if (sndWnd == 0) {
                disarm(Timer.RETRANSMIT);
            }
            if (deadlines[Timer.PERSIST.ordinal()] == NO_DEADLINE && !probeDue && !persistForce) {
                long interval = rtt.rtoNanos();
                for (int i = 0; i < persistBackoff && interval < config.maxRtoNanos(); i++) {
                    interval <<= 1;
                }
                arm(Timer.PERSIST, nowNanos + Math.min(interval, config.maxRtoNanos()));
            }
            return;
        }
        disarm(Timer.PERSIST);
        if (deadlines[Timer.RETRANSMIT.ordinal()] == NO_DEADLINE) {
            arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
        }
    }

    /**
     * RFC 8985 §7.2: the tail loss probe applies with SACK, data in flight, an RTT sample, outside recovery and timeout
     * recovery, and once per episode until an ACK answers it.
     */
    private boolean tlpAllowed() {
        return sackOk
                && sendsData()
                && sndMax != sndUna
                && sndWnd > 0
                && !inRecovery
                && retries == 0
                && !tlpOut
                && rtt.hasSample();
    }

    /**
     * RFC 8985 §7.2 "PTO = 2 * SRTT; if FlightSize is one segment, PTO += WCDelAckT; PTO = min(RTO, PTO)": armed from
     * the last ACK that advanced SND.UNA or the last new segment sent; not armed when the RTO would fire first.
     */
    private void updateTailLossProbe(long nowNanos) {
        if (!tlpAllowed()) {
            disarm(Timer.TAIL_LOSS_PROBE);
            return;
        }
        if (deadlines[Timer.TAIL_LOSS_PROBE.ordinal()] != NO_DEADLINE || tlpDue) {
            return;
        }
        long pto = 2 * rtt.srttNanos();
        if (flightSize() <= sendMss()) {
            pto += config.ackDelayNanos();
        }
        long deadline = nowNanos + Math.max(pto, config.clockGranularityNanos());
        if (deadline < deadlines[Timer.RETRANSMIT.ordinal()]) {
            arm(Timer.TAIL_LOSS_PROBE, deadline);
        }
    }

    /**
     * RFC 8985 §7.3: the probe is one new segment if the receive window allows, ignoring cwnd; otherwise the last
     * segment sent again. The RTO restarts.
     */
    private TcpSegment tailLossProbe(long nowNanos) {
        tlpDue = false;
        if (!tlpAllowed()) {
            return null;
        }
        TcpSegment s = null;
        if (unsentData() > 0 && sndNxt == sndMax) {
            s = sendFromSndNxt(nowNanos, Integer.MAX_VALUE);
        }
        if (s == null) {
            int start = SeqNum.max(sndUna, SeqNum.add(sndMax, -sendMss()));
            s = segmentAt(start, SeqNum.sub(sndMax, start), nowNanos, false);
        }
        tlpOut = true;
        tlpSeq = s.header().seq();
        tailLossProbes++;
        arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
        return s;
    }

    private void arm(Timer t, long deadline) {
        deadlines[t.ordinal()] = deadline;
    }

    private void disarm(Timer t) {
        deadlines[t.ordinal()] = NO_DEADLINE;
    }

    // =====================================================================================================
    // Output.
    // =====================================================================================================

    /** The next segment to send, or null when there is none now. */
    public TcpSegment pollTransmit(long nowNanos) {
        TcpSegment s = nextSegment(nowNanos);
        if (s != null) {
            segmentsOut++;
        } else {
            updatePersist(nowNanos);
            updateKeepAlive(nowNanos);
            updateTailLossProbe(nowNanos);
        }
        return s;
    }

    private TcpSegment nextSegment(long nowNanos) {
        if (!replies.isEmpty()) {
            return replies.poll();
        }
        switch (state) {
            case CLOSED, LISTEN -> {
                return null;
            }
            case SYN_SENT, SYN_RECEIVED -> {
                if (synNeeded) {
                    return sendSyn(nowNanos);
                }
                return ackNow ? pureAck(nowNanos) : null;
            }
            case TIME_WAIT -> {
                return ackNow ? pureAck(nowNanos) : null;
            }
            default -> {
                TcpSegment data = sendsData() ? nextDataSegment(nowNanos) : null;
                if (data != null) {
                    return data;
                }
                if (keepAliveDue) {
                    // RFC 9293 §3.8.4: a segment with SEG.SEQ = SND.NXT-1 and no data, which the peer must ACK
                    keepAliveDue = false;
                    keepAlivesSent++;
                    return build(SeqNum.add(sndMax, -1), TcpFlags.ACK, Bytes.EMPTY, nonSynOptions(nowNanos));
                }
                return ackNow ? pureAck(nowNanos) : null;
            }
        }
    }

    /** SYN (SYN-SENT) or SYN,ACK (SYN-RECEIVED) with the options of RFC 9293 §3.7.1, RFC 7323 and RFC 2018. */
    private TcpSegment sendSyn(long nowNanos) {
        synNeeded = false;
        boolean synAck = state == TcpState.SYN_RECEIVED;
        TcpOptions o = TcpOptions.NONE.withMss(config.maxSegmentSize());
        // The passive side answers only options the SYN offered (RFC 7323 §2.2, §3.2; RFC 2018 §2).
        boolean offerWs = config.windowScaling() && (!synAck || peerOfferedWs);
        if (offerWs) {
            o = o.withWindowScale(rcvWndShift);
        }
        if (config.sack() && (!synAck || sackOk)) {
            o = o.withSackPermitted();
        }
        if (config.timestamps() && (!synAck || tsOk)) {
            o = o.withTimestamps(tsNow(nowNanos), synAck ? tsRecent : 0);
        }
        int flags = synAck ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
        TcpSegment s = build(iss, flags, Bytes.EMPTY, o);
        if (sndMax == iss) {
            sndMax = SeqNum.add(iss, 1);
            rttTiming = true; // RFC 6298 §3: the SYN, sent once so far, is timed
            rttSeq = sndMax;
            rttStartNanos = nowNanos;
        } else {
            retransmittedSegments++;
        }
        sndNxt = sndMax;
        if (deadlines[Timer.RETRANSMIT.ordinal()] == NO_DEADLINE) {
            arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
        }
        return s;
    }

    /**
     * A pure ACK. Note: it carries the highest sequence number sent (BSD's snd_max, Linux's snd_nxt), not a SND.NXT
     * rewound by a retransmission timeout, which the peer would find below its RCV.NXT and drop as a duplicate.
     */
    private TcpSegment pureAck(long nowNanos) {
        return build(sndMax, TcpFlags.ACK, Bytes.EMPTY, nonSynOptions(nowNanos));
    }

    /** States in which our data and FIN may still go out. */
    private boolean sendsData() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    private boolean acceptsSend() {
        return !finQueued
                && (state == TcpState.SYN_SENT
                        || state == TcpState.SYN_RECEIVED
                        || state == TcpState.ESTABLISHED
                        || state == TcpState.CLOSE_WAIT);
    }

    /** The sequence number of our FIN: just after the last queued octet. */
    private int finSeq() {
        return sndBufEnd;
    }

    /** Octets queued but never sent. */
    private int unsentData() {
        return Math.max(0, SeqNum.sub(sndBufEnd, sndMax));
    }

    /** The largest payload of a segment carrying {@code optionBytes} of options. */
    private int maxPayload(int optionBytes) {
        return Math.max(1, Math.min(Math.min(peerMss, pathMss), config.maxSegmentSize()) - optionBytes);
    }

    /** SMSS for congestion control: the payload of a full segment with its usual options. */
    private int sendMss() {
        return maxPayload(tsOk ? TIMESTAMP_OPTION_BYTES : 0);
    }

    /** Data, FIN or a retransmission, in priority order; null when nothing may be sent now. */
    private TcpSegment nextDataSegment(long nowNanos) {
        // Fast retransmit (RFC 5681 §3.2 step 3, RFC 6675 §5 (4.3)) and NewReno partial ACKs (RFC 6582 step 5).
        if (retransmitFirst) {
            retransmitFirst = false;
            if (sndMax != sndUna) {
                int end = sackOk ? scoreboard.holeEnd(sndUna, sndMax) : sndMax;
                TcpSegment s = segmentAt(sndUna, SeqNum.sub(end, sndUna), nowNanos, false);
                if (inRecovery && recoveryMode == CongestionControl.RecoveryMode.SACK) {
                    highRxt = SeqNum.max(highRxt, SeqNum.add(sndUna, s.sequenceLength()));
                    scoreboard.recordRetransmission(sndUna, SeqNum.add(sndUna, s.sequenceLength()), sndMax);
                    prrSent(s);
                }
                if (inRecovery && recoveryMode == CongestionControl.RecoveryMode.NEW_RENO) {
                    arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
                }
                return s;
            }
        }
        if (inRecovery && recoveryMode == CongestionControl.RecoveryMode.SACK) {
            return nextSackRecoverySegment(nowNanos);
        }
        if (tlpDue) {
            TcpSegment probe = tailLossProbe(nowNanos);
            if (probe != null) {
                return probe;
            }
        }
        if (probeDue) {
            probeDue = false;
            return zeroWindowProbe(nowNanos);
        }
        long inFlight = Integer.toUnsignedLong(SeqNum.sub(sndNxt, sndUna));
        long allowance = limitedTransmitAllowance();
        TcpSegment s = sendFromSndNxt(nowNanos, cc.cwnd() + allowance - inFlight);
        if (s != null && allowance > 0 && inFlight + s.sequenceLength() > cc.cwnd()) {
            limitedTransmits++;
        }
        return s;
    }

    /**
     * RFC 3042 §2 limited transmit: on the first and second duplicate ACK "a TCP sender SHOULD send a segment of
     * previously unsent data ... provided that ... the outstanding data ... remain[s] less than or equal to the
     * congestion window plus 2*SMSS". Only new data may use this room ({@link #sendFromSndNxt} below SND.MAX is a
     * go-back-N retransmission, which never follows a duplicate ACK outside recovery).
     */
    private long limitedTransmitAllowance() {
        if (inRecovery || dupAcks == 0 || sndNxt != sndMax) {
            return 0;
        }
        return (long) Math.min(dupAcks, LIMITED_TRANSMIT_SEGMENTS) * sendMss();
    }

    /**
     * RFC 6675 §5 (C): NextSeg() while the sender may send, with the amount set by Proportional Rate Reduction (RFC
     * 6937 §3, "sndcnt") in place of "cwnd - pipe >= 1 SMSS". Retransmissions found lost again go first.
     */
    private TcpSegment nextSackRecoverySegment(long nowNanos) {
        TcpSegment s = sackRecoverySegment(nowNanos);
        if (s != null) {
            prrSent(s);
        }
        return s;
    }

    private TcpSegment sackRecoverySegment(long nowNanos) {
        int smss = sendMss();
        long room = prrSndcnt;
        if (room < Math.min(smss, Math.max(1, SeqNum.sub(sndBufEnd, sndUna)))) {
            return null;
        }
        // (0) a retransmission deemed lost again (see Scoreboard#detectLostRetransmissions)
        int re = scoreboard.firstRelost(sndUna, sndMax);
        if (SeqNum.lt(re, sndMax)) {
            int end = SeqNum.min(scoreboard.relostEnd(re), scoreboard.holeEnd(re, sndMax));
            TcpSegment s = segmentAt(re, SeqNum.sub(end, re), nowNanos, false);
            int sent = SeqNum.add(re, s.sequenceLength());
            scoreboard.relostSent(sent);
            scoreboard.recordRetransmission(re, sent, sndMax);
            return s;
        }
        int lost = scoreboard.lostBoundary(sndUna, smss);
        int from = SeqNum.max(highRxt, sndUna);
        // (1) the first un-SACKed, lost octet above HighRxt
        int s2 = scoreboard.firstUnsacked(from, lost);
        if (SeqNum.lt(s2, lost)) {
            return recoveryRetransmit(s2, nowNanos);
        }
        // (2) new data, if the receiver's window allows
        if (unsentData() > 0 || (finQueued && sndNxt == finSeq())) {
            TcpSegment s = sendFromSndNxt(nowNanos, room);
            if (s != null) {
                return s;
            }
        }
        // (3) an un-SACKed octet below the highest SACKed one, though not yet deemed lost
        int highest = scoreboard.highestSackedEnd(sndUna);
        int s3 = scoreboard.firstUnsacked(from, highest);
        if (SeqNum.lt(s3, highest)) {
            return recoveryRetransmit(s3, nowNanos);
        }
        // (4) "If the conditions for rules (1), (2), and (3) fail ... we provide the opportunity for a single 'rescue'
        // retransmission per entry into loss recovery ... one segment of upto SMSS octets that MUST include the
        // highest outstanding unSACKed sequence number ... HighRxt MUST NOT be updated."
        // Note: only when that octet was not retransmitted yet (at or above HighRxt); resending a retransmission
        // still in flight rescues nothing.
        if (!rescueSent) {
            int high = scoreboard.highestUnsacked(sndUna, sndMax);
            if (SeqNum.ge(high, sndUna) && SeqNum.ge(high, highRxt)) {
                rescueSent = true;
                rescueRetransmissions++;
                int end = SeqNum.add(high, 1);
                int start = SeqNum.max(sndUna, SeqNum.add(end, -smss));
                return segmentAt(start, SeqNum.sub(end, start), nowNanos, false);
            }
        }
        return null;
    }

    private TcpSegment recoveryRetransmit(int seq, long nowNanos) {
        int end = scoreboard.holeEnd(seq, sndMax);
        TcpSegment s = segmentAt(seq, SeqNum.sub(end, seq), nowNanos, false);
        highRxt = SeqNum.add(seq, s.sequenceLength());
        scoreboard.recordRetransmission(seq, highRxt, sndMax);
        return s;
    }

    /** RFC 9293 §3.8.6.1: one octet beyond a zero window (or the earlier probe octet again). */
    private TcpSegment zeroWindowProbe(long nowNanos) {
        zeroWindowProbes++;
        if (sndMax != sndUna) {
            return segmentAt(sndUna, 1, nowNanos, false);
        }
        if (unsentData() == 0) {
            return null;
        }
        TcpSegment s = segmentAt(sndNxt, 1, nowNanos, false);
        sndNxt = SeqNum.add(sndNxt, 1);
        sndMax = SeqNum.max(sndMax, sndNxt);
        return s;
    }

    /**
     * Sends from SND.NXT: go-back-N retransmission below {@code sndMax}, then new data under the receive window,
     * {@code cwndRoom}, Nagle (RFC 9293 §3.7.4) and sender SWS avoidance (§3.8.6.2.1); the FIN rides on the last data
     * or goes alone.
     */
    private TcpSegment sendFromSndNxt(long nowNanos, long cwndRoom) {
        int finSeq = finSeq();
        int dataLeft = SeqNum.sub(finSeq, sndNxt);
        if (dataLeft <= 0) {
            if (finQueued && sndNxt == finSeq) {
                boolean retransmission = SeqNum.lt(sndNxt, sndMax);
                TcpSegment s = segmentAt(sndNxt, 0, nowNanos, true);
                afterSend(s, retransmission, nowNanos);
                return s;
            }
            return null;
        }
        boolean retransmission = SeqNum.lt(sndNxt, sndMax);
        TcpOptions opts = nonSynOptions(nowNanos);
        int mss = maxPayload(opts.length());
        long windowRoom = sndWnd - Integer.toUnsignedLong(SeqNum.sub(sndNxt, sndUna));
        long room = Math.min(windowRoom, cwndRoom);
        int len = (int) Math.max(0, Math.min(Math.min(dataLeft, mss), room));
        if (len == 0) {
            return null;
        }
        if (!retransmission && !persistForce) {
            boolean full = len == mss;
            boolean allQueued = len == dataLeft;
            boolean nagleAllows = config.noDelay() || sndMax == sndUna || (allQueued && finQueued);
            boolean halfWindow = maxSndWnd > 0 && len >= maxSndWnd / 2;
            if (!full && !(allQueued && nagleAllows) && !(halfWindow && nagleAllows)) {
                return null;
            }
        }
        persistForce = false;
        boolean fin = finQueued && len == dataLeft;
        TcpSegment s = segmentAt(sndNxt, len, nowNanos, fin);
        afterSend(s, retransmission, nowNanos);
        return s;
    }

    /** Advances SND.NXT past a segment sent from it and handles RTT timing and the retransmission timer. */
    private void afterSend(TcpSegment s, boolean retransmission, long nowNanos) {
        int start = s.header().seq();
        sndNxt = SeqNum.add(start, s.sequenceLength());
        if (SeqNum.gt(sndNxt, sndMax)) {
            sndMax = sndNxt;
            disarm(Timer.TAIL_LOSS_PROBE); // RFC 8985 §7.2: rescheduled after each new transmission
            if (!rttTiming && !retransmission) {
                rttTiming = true;
                rttSeq = sndMax;
                rttStartNanos = nowNanos;
            }
        }
        if (firstUnackedSinceNanos < 0) {
            firstUnackedSinceNanos = nowNanos;
        }
        // RFC 6298 (5.1): "Every time a packet containing data is sent ... if the timer is not running, start it"
        if (deadlines[Timer.RETRANSMIT.ordinal()] == NO_DEADLINE) {
            arm(Timer.RETRANSMIT, nowNanos + rtt.rtoNanos());
        }
        disarm(Timer.PERSIST);
    }

    /**
     * Builds a segment of up to {@code len} data octets at {@code seq} (fewer if a full segment is smaller), plus the
     * FIN when asked or when a retransmission reaches an already-sent FIN.
     */
    private TcpSegment segmentAt(int seq, int len, long nowNanos, boolean fin) {
        TcpOptions opts = nonSynOptions(nowNanos);
        int finSeq = finSeq();
        int dataLen = Math.max(0, Math.min(Math.min(len, maxPayload(opts.length())), SeqNum.sub(finSeq, seq)));
        boolean finSent = finQueued && SeqNum.gt(sndMax, finSeq);
        boolean withFin = fin || (finSent && SeqNum.add(seq, dataLen) == finSeq);
        if (SeqNum.lt(seq, sndMax) && !(dataLen == 0 && !withFin)) {
            retransmittedSegments++;
            rttTiming = rttTiming && SeqNum.le(rttSeq, seq); // Karn: a retransmitted timed octet spoils the sample
            noteRetransmission(seq, dataLen + (withFin ? 1 : 0), nowNanos);
        }
        Bytes payload = Bytes.EMPTY;
        if (dataLen > 0) {
            byte[] b = new byte[dataLen];
            sendBuffer.copyOut(SeqNum.sub(seq, sndUna), b, 0, dataLen);
            payload = Bytes.copyOf(b);
        }
        int flags = TcpFlags.ACK;
        if (dataLen > 0 && SeqNum.add(seq, dataLen) == finSeq) {
            flags |= TcpFlags.PSH;
        }
        if (withFin) {
            flags |= TcpFlags.FIN;
        }
        return build(seq, flags, payload, opts);
    }

    /** Options of a non-SYN segment: timestamps (RFC 7323 §3.2) and SACK blocks (RFC 2018 §4). */
    private TcpOptions nonSynOptions(long nowNanos) {
        TcpOptions o = TcpOptions.NONE;
        if (tsOk) {
            o = o.withTimestamps(tsNow(nowNanos), tsRecent);
        }
        int maxBlocks = tsOk ? 3 : 4;
        if (sackOk && dsackPending) {
            // RFC 2883 §4: "the first SACK block ... MUST specify the contiguous block of data that triggered this
            // ACK"; when it lies in a larger held block, "the second SACK block ... should specify that" block.
            List<TcpOptions.SackBlock> held = receiveBuffer.sackBlocks(rcvNxt, maxBlocks - 1);
            List<TcpOptions.SackBlock> blocks = new ArrayList<>(maxBlocks);
            blocks.add(new TcpOptions.SackBlock(dsackStart, dsackEnd));
            for (TcpOptions.SackBlock b : held) {
                if (SeqNum.le(b.left(), dsackStart) && SeqNum.le(dsackEnd, b.right())) {
                    blocks.add(b);
                }
            }
            for (TcpOptions.SackBlock b : held) {
                if (!blocks.contains(b)) {
                    blocks.add(b);
                }
            }
            o = o.withSackBlocks(blocks);
        } else if (sackOk && receiveBuffer.hasOutOfOrder()) {
            o = o.withSackBlocks(receiveBuffer.sackBlocks(rcvNxt, maxBlocks));
        }
        return o;
    }

    /** RFC 7323 §5.4: a millisecond clock with a per-connection offset. */
    private int tsNow(long nowNanos) {
        return (int) (nowNanos / 1_000_000L) + tsOffset;
    }

    /** Builds a segment; any segment with ACK set carries RCV.NXT and the window, and counts as our ACK. */
    private TcpSegment build(int seq, int flags, Bytes payload, TcpOptions options) {
        TcpHeader.Builder b = TcpHeader.builder(tuple.localPort(), tuple.remotePort())
                .seq(seq)
                .flags(flags)
                .options(options);
        boolean syn = (flags & TcpFlags.SYN) != 0;
        if (dsackPending
                && !options.sackBlocks().isEmpty()
                && options.sackBlocks().get(0).left() == dsackStart) {
            dsackPending = false; // RFC 2883 §4: each duplicate is reported in one ACK only
            dsacksSent++;
        }
        if ((flags & TcpFlags.ACK) != 0) {
            long wnd = windowToAdvertise();
            int field;
            if (syn) {
                field = (int) Math.min(wnd, 0xFFFF); // RFC 7323 §2.2: never scaled in a SYN
            } else {
                field = (int) Math.min(wnd >> rcvWndShift, 0xFFFF);
            }
            long advertised = syn ? field : (long) field << rcvWndShift;
            rcvAdvRight = SeqNum.add(rcvNxt, advertised);
            b.ack(rcvNxt).window(field);
            lastAckSent = rcvNxt;
            ackNow = false;
            unackedSegments = 0;
            disarm(Timer.DELAYED_ACK);
        } else if (syn) {
            long wnd = windowToAdvertise();
            int field = (int) Math.min(wnd, 0xFFFF);
            rcvAdvRight = SeqNum.add(rcvNxt, field);
            b.window(field);
        }
        return new TcpSegment(b.build(), payload);
    }

    /** RCV.WND as last advertised: the distance from RCV.NXT to the right edge we promised (never negative). */
    private long advertisedWindow() {
        int d = SeqNum.sub(rcvAdvRight, rcvNxt);
        return Math.max(0, d);
    }

    /**
     * RFC 9293 §3.8.6.2.2 receiver SWS avoidance: move the right edge only when it would grow by at least
     * min(buffer/2, MSS); never shrink it.
     */
    private long windowToAdvertise() {
        long free = receiveBuffer.window();
        long current = advertisedWindow();
        long threshold = Math.min(receiveBuffer.capacity() / 2, config.maxSegmentSize());
        long wnd = free - current >= threshold || state == TcpState.SYN_RECEIVED || state == TcpState.SYN_SENT
                ? free
                : current;
        long max = (long) 0xFFFF << rcvWndShift;
        wnd = Math.min(wnd, max);
        return (wnd >> rcvWndShift) << rcvWndShift;
    }

    /**
     * Path MTU discovery (RFC 1191 §6.2, RFC 8201 §5.2): an ICMP "fragmentation needed" or "packet too big" matched
     * to this connection lowers the largest segment to {@code mss} octets (the path MTU minus the IP and TCP
     * headers), never below {@link TcpConfig#MIN_PEER_MSS}. Segments in flight were dropped by the router, so they
     * are sent again at once, smaller; RFC 1191 §6.4 does not count this as congestion. A larger value is ignored.
     */
    public void handlePathMss(int mss, long nowNanos) {
        int clamped = Math.max(TcpConfig.MIN_PEER_MSS, mss);
        if (clamped >= Math.min(Math.min(peerMss, pathMss), config.maxSegmentSize())) {
            return;
        }
        pathMss = clamped;
        if (sendsData() && sndMax != sndUna && !inRecovery) {
            sndNxt = sndUna;
            rttTiming = false;
        }
    }

    /** The next event for the application, or null. */
    public TcpEvent pollEvent() {
        return events.poll();
    }

    // =====================================================================================================
    // User calls (RFC 9293 §3.9.1).
    // =====================================================================================================

    /**
     * SEND: queues as much of {@code src} as the send buffer holds and returns how much it took (0 when full; a
     * {@link TcpEvent.Writable} follows when space opens). Returns 0 once the connection is closed by the peer or a
     * timeout; throws {@link IllegalStateException} after our own {@code close} or {@code abort}, or in LISTEN.
     */
    public int send(ByteBuffer src) {
        if (userClosed || state == TcpState.LISTEN) {
            throw new IllegalStateException("send after close, or on a listening connection: " + state);
        }
        if (!acceptsSend()) {
            return 0;
        }
        int wanted = src.remaining();
        int n = sendBuffer.write(src);
        sndBufEnd = SeqNum.add(sndBufEnd, n);
        if (n < wanted) {
            writableWanted = true;
        }
        return n;
    }

    public int send(byte[] data) {
        return send(ByteBuffer.wrap(data));
    }

    /**
     * RECEIVE: moves readable in-order octets into {@code dst}. Returns the count, or -1 when the peer finished and
     * everything before its FIN was read.
     */
    public int receive(ByteBuffer dst) {
        readableRaised = false;
        int n = receiveBuffer.read(dst);
        if (n == 0 && peerFinished && receiveBuffer.readable() == 0) {
            return -1;
        }
        if (n > 0 && state.isSynchronized() && state != TcpState.TIME_WAIT) {
            // Window update (RFC 9293 §3.8.6.2.2) when the right edge can move and the window at least doubles.
            // Note: the doubling rule follows Linux's __tcp_cleanup_rbuf.
            long current = advertisedWindow();
            long next = windowToAdvertise();
            if (next > current && next >= 2 * current) {
                ackNow = true;
            }
        }
        return n;
    }

    /** Octets ready for {@link #receive}. */
    public int readable() {
        return receiveBuffer.readable();
    }

    /**
     * CLOSE (RFC 9293 §3.10.4): the FIN follows the queued data. LISTEN and SYN-SENT close at once (ABORTED, since
     * no conversation took place); later states send a FIN.
     */
    public void close() {
        if (userClosed) {
            return;
        }
        userClosed = true;
        switch (state) {
            case LISTEN, SYN_SENT -> enterClosed(CloseReason.ABORTED);
            // SYN-RECEIVED: "queue for processing after entering ESTABLISHED state"
            case SYN_RECEIVED -> finQueued = true;
            // ESTABLISHED: "queue this until all preceding SENDs have been segmentized ... enter FIN-WAIT-1"
            case ESTABLISHED -> {
                finQueued = true;
                transition(TcpState.FIN_WAIT_1);
            }
            // CLOSE-WAIT: "Queue this request until all preceding SENDs have been segmentized; then send a FIN
            // segment, enter LAST-ACK state"
            case CLOSE_WAIT -> {
                finQueued = true;
                transition(TcpState.LAST_ACK);
            }
            default -> {}
        }
    }

    /**
     * ABORT (RFC 9293 §3.10.5): synchronized states send {@code <SEQ=SND.NXT><CTL=RST>}; every state ends CLOSED with
     * {@link CloseReason#ABORTED} (unless already closed).
     */
    public void abort() {
        userClosed = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
                replies.clear();
                queueReply(reset(sndMax));
                enterClosed(CloseReason.ABORTED);
            }
            case CLOSED -> raiseClosed(CloseReason.ABORTED);
            default -> enterClosed(CloseReason.ABORTED);
        }
    }

    // =====================================================================================================
    // Getters.
    // =====================================================================================================

    public TcpState state() {
        return state;
    }

    public FourTuple tuple() {
        return tuple;
    }

    /** Why the connection ended, once its {@link TcpEvent.Closed} was raised; null until then. */
    public CloseReason closeReason() {
        return closeReason;
    }

    /** The urgent mark of RFC 9293 §3.8.5 (the octet after the last urgent one), or null if none was seen. */
    public SeqNum urgentMark() {
        return urgentSeen ? new SeqNum(rcvUp) : null;
    }

    public TcpStatus status() {
        return new TcpStatus(
                state,
                Integer.toUnsignedLong(sndUna),
                Integer.toUnsignedLong(sndNxt),
                Integer.toUnsignedLong(rcvNxt),
                sndWnd,
                advertisedWindow(),
                rtt.srttNanos(),
                rtt.rtoNanos(),
                cc.cwnd(),
                cc.ssthresh(),
                sendMss(),
                sendBuffer.length(),
                receiveBuffer.readable(),
                receiveBuffer.outOfOrderBytes(),
                cc.name(),
                new TcpStatus.Counters(
                        segmentsIn,
                        segmentsOut,
                        retransmittedSegments,
                        fastRecoveries,
                        sackRecoveries,
                        rtoExpiries,
                        dupAcksIn,
                        sackBlocksIn,
                        challengeAcks,
                        pawsDrops,
                        zeroWindowProbes,
                        keepAlivesSent,
                        bytesAcked,
                        bytesReceived,
                        limitedTransmits,
                        rescueRetransmissions,
                        lostRetransmissions,
                        dsacksSent,
                        dsacksReceived,
                        spuriousRetransmissions,
                        undos,
                        tailLossProbes,
                        invalidAcksSuppressed));
    }
}
