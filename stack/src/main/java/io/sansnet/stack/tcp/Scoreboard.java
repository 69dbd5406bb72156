package io.sansnet.stack.tcp;

import io.sansnet.stack.wire.TcpOptions.SackBlock;
import java.util.List;

/**
 * The sender's SACK scoreboard and the helpers of <a href="https://www.rfc-editor.org/rfc/rfc6675#section-4">RFC 6675
 * §4</a>: Update(), IsLost(), SetPipe() and the retransmission candidates of NextSeg(). Holds SACKed ranges above
 * SND.UNA (HighACK), at most {@code maxRanges}; when full, a new block is ignored, which only makes the sender more
 * conservative.
 *
 * <p>IsLost is monotone in the sequence number (fewer octets are SACKed above a higher one), so this class computes a
 * single boundary: every un-SACKed octet below {@link #lostBoundary} is lost, none at or above it.
 */
final class Scoreboard {

    /** RFC 6675 §2: "DupThresh ... 3". */
    static final int DUP_THRESH = 3;

    /**
     * Bound on retransmissions remembered for lost-retransmission detection; when full, the oldest is forgotten (its
     * loss is then left to the retransmission timer, as plain RFC 6675 does).
     */
    static final int MAX_RETRANSMISSION_RECORDS = 64;

    private final SeqRanges sacked;

    /**
     * Retransmissions of the current recovery, oldest first: {@code [start, end)} and the highest sequence number sent
     * (SND.MAX) when it left. Sequence order and send order agree within one recovery.
     */
    private final int[] rxtStart = new int[MAX_RETRANSMISSION_RECORDS];

    private final int[] rxtEnd = new int[MAX_RETRANSMISSION_RECORDS];
    private final int[] rxtSndMax = new int[MAX_RETRANSMISSION_RECORDS];
    private int rxtCount;

    /** Retransmitted octets found lost again, to be retransmitted once more before anything else. */
    private final SeqRanges relost;

    Scoreboard(int maxRanges) {
        this.sacked = new SeqRanges(maxRanges);
        this.relost = new SeqRanges(MAX_RETRANSMISSION_RECORDS);
    }

    /**
     * RFC 6675 §4 Update(): records the SACK blocks of an ACK. Blocks outside {@code (sndUna, sndMax]} (D-SACKs,
     * stale or forged blocks) are ignored, as RFC 2018 requires nothing of them. Returns whether anything new was SACKed.
     */
    boolean update(int sndUna, int sndMax, List<SackBlock> blocks) {
        sacked.removeBefore(sndUna);
        long before = sacked.totalLength();
        for (SackBlock b : blocks) {
            if (SeqNum.gt(b.left(), sndUna) && SeqNum.lt(b.left(), b.right()) && SeqNum.le(b.right(), sndMax)) {
                sacked.add(b.left(), b.right());
            }
        }
        return sacked.totalLength() > before;
    }

    /** Forgets everything (RFC 2018 §8: after a retransmission timeout the sender must not trust SACKs). */
    void clear() {
        sacked.clear();
        clearRetransmissions();
    }

    /** Forgets the retransmission records (a recovery ended). */
    void clearRetransmissions() {
        rxtCount = 0;
        relost.clear();
    }

    void ackedTo(int sndUna) {
        sacked.removeBefore(sndUna);
    }

    /** Records a retransmission of {@code [start, end)} sent while SND.MAX was {@code sndMax}. */
    void recordRetransmission(int start, int end, int sndMax) {
        if (rxtCount == MAX_RETRANSMISSION_RECORDS) {
            dropRecords(1);
        }
        rxtStart[rxtCount] = start;
        rxtEnd[rxtCount] = end;
        rxtSndMax[rxtCount] = sndMax;
        rxtCount++;
    }

    /** The "lost again" octets before {@code end} were retransmitted once more. */
    void relostSent(int end) {
        relost.removeBefore(end);
    }

    /**
     * Lost-retransmission detection (beyond RFC 6675, which leaves a lost retransmission to the timer; Linux's
     * tcp_mark_lost_retrans and RACK, RFC 8985 §6.2, rest on the same fact): a retransmission is deemed lost when more
     * than (DupThresh - 1) * SMSS octets sent <em>after</em> it have been SACKed while it is still neither acknowledged
     * nor SACKed. Its octets go to the "lost again" set. Returns how many retransmissions were found lost.
     */
    int detectLostRetransmissions(int sndUna, int smss) {
        int found = 0;
        int kept = 0;
        for (int i = 0; i < rxtCount; i++) {
            int start = SeqNum.max(rxtStart[i], sndUna);
            int end = rxtEnd[i];
            boolean done = !SeqNum.lt(start, end) || sackedWithin(start, end) == SeqNum.sub(end, start);
            if (done) {
                continue;
            }
            if (sackedAbove(rxtSndMax[i]) > (long) (DUP_THRESH - 1) * smss) {
                relost.add(start, end);
                found++;
                continue;
            }
            rxtStart[kept] = rxtStart[i];
            rxtEnd[kept] = rxtEnd[i];
            rxtSndMax[kept] = rxtSndMax[i];
            kept++;
        }
        rxtCount = kept;
        relost.removeBefore(sndUna);
        return found;
    }

    /** The first octet of the "lost again" set that is neither acknowledged nor SACKed, or {@code sndMax} if none. */
    int firstRelost(int sndUna, int sndMax) {
        relost.removeBefore(sndUna);
        while (!relost.isEmpty()) {
            int seq = firstUnsacked(relost.start(0), relost.end(0));
            if (SeqNum.lt(seq, relost.end(0))) {
                return seq;
            }
            relost.removeBefore(relost.end(0));
        }
        return sndMax;
    }

    /** The end of the "lost again" range holding {@code seq} (or {@code seq} itself when none holds it). */
    int relostEnd(int seq) {
        int i = relost.indexOf(seq);
        return i < 0 ? seq : relost.end(i);
    }

    /** Un-SACKed octets in the "lost again" set: no longer in flight, though below HighRxt. */
    long relostUnsackedBytes() {
        long n = 0;
        for (int i = 0; i < relost.count(); i++) {
            n += SeqNum.sub(relost.end(i), relost.start(i)) - sackedWithin(relost.start(i), relost.end(i));
        }
        return n;
    }

    private void dropRecords(int n) {
        System.arraycopy(rxtStart, n, rxtStart, 0, rxtCount - n);
        System.arraycopy(rxtEnd, n, rxtEnd, 0, rxtCount - n);
        System.arraycopy(rxtSndMax, n, rxtSndMax, 0, rxtCount - n);
        rxtCount -= n;
    }

    /** SACKed octets at or above {@code seq}. */
    long sackedAbove(int seq) {
        long n = 0;
        for (int i = sacked.count() - 1; i >= 0 && SeqNum.gt(sacked.end(i), seq); i--) {
            n += SeqNum.sub(sacked.end(i), SeqNum.max(sacked.start(i), seq));
        }
        return n;
    }

    /** SACKed octets within {@code [a, b)}. */
    long sackedWithin(int a, int b) {
        long n = 0;
        for (int i = 0; i < sacked.count(); i++) {
            n += overlap(sacked.start(i), sacked.end(i), a, b);
        }
        return n;
    }

    /**
     * The highest outstanding un-SACKed octet below {@code sndMax} (RFC 6675 §4 NextSeg rule (4)), or {@code sndUna -
     * 1} when everything above SND.UNA is SACKed.
     */
    int highestUnsacked(int sndUna, int sndMax) {
        int top = sndMax;
        for (int i = sacked.count() - 1; i >= 0; i--) {
            if (sacked.end(i) == top) {
                top = sacked.start(i);
            } else {
                break;
            }
        }
        return SeqNum.add(SeqNum.max(top, sndUna), -1);
    }

    boolean isEmpty() {
        return sacked.isEmpty();
    }

    boolean isSacked(int seq) {
        return sacked.contains(seq);
    }

    long sackedBytes() {
        return sacked.totalLength();
    }

    /** The octet just after the highest SACKed octet, or {@code sndUna} when nothing is SACKed. */
    int highestSackedEnd(int sndUna) {
        return sacked.isEmpty() ? sndUna : sacked.end(sacked.count() - 1);
    }

    /**
     * RFC 6675 §4 IsLost(SeqNum): true "when either DupThresh discontiguous SACKed sequences have arrived above
     * 'SeqNum' or more than (DupThresh - 1) * SMSS bytes with sequence numbers greater than 'SeqNum' have been SACKed".
     * Returns the boundary L: un-SACKed octets before L are lost. L is {@code sndUna} when nothing is lost.
     */
    int lostBoundary(int sndUna, int smss) {
        long bytesAbove = 0;
        for (int i = sacked.count() - 1; i >= 0; i--) {
            bytesAbove += SeqNum.sub(sacked.end(i), sacked.start(i));
            int blocksAbove = sacked.count() - i;
            if (blocksAbove >= DUP_THRESH || bytesAbove > (long) (DUP_THRESH - 1) * smss) {
                return sacked.start(i); // the hole just below range i and all holes below it are lost
            }
        }
        return sndUna;
    }

    /** IsLost for one octet. */
    boolean isLost(int seq, int sndUna, int smss) {
        return !isSacked(seq) && SeqNum.lt(seq, lostBoundary(sndUna, smss));
    }

    /**
     * RFC 6675 §4 SetPipe(): octets in {@code [sndUna, sndMax)} not SACKed count once if not lost, and once more if
     * retransmitted (below {@code highRxt}).
     */
    long pipe(int sndUna, int sndMax, int highRxt, int smss) {
        int lost = lostBoundary(sndUna, smss);
        long pipe = 0;
        int cursor = sndUna;
        for (int i = 0; i <= sacked.count(); i++) {
            int holeEnd = i < sacked.count() ? sacked.start(i) : sndMax;
            if (SeqNum.lt(cursor, holeEnd)) {
                pipe += overlap(cursor, holeEnd, lost, sndMax); // not lost: [max(cursor,lost), holeEnd)
                pipe += overlap(cursor, holeEnd, sndUna, highRxt); // retransmitted: [cursor, min(holeEnd,highRxt))
            }
            if (i < sacked.count()) {
                cursor = SeqNum.max(cursor, sacked.end(i));
            }
        }
        // retransmissions found lost again are no longer in the network
        return Math.max(0, pipe - relostUnsackedBytes());
    }

    /**
     * The first un-SACKed octet at or after {@code from} and before {@code limit}, or {@code limit} when none. With
     * {@code limit} = {@link #lostBoundary} this is NextSeg() rule (1); with the highest SACKed octet, rule (3).
     */
    int firstUnsacked(int from, int limit) {
        int seq = from;
        for (int i = 0; i < sacked.count(); i++) {
            if (SeqNum.le(sacked.start(i), seq) && SeqNum.lt(seq, sacked.end(i))) {
                seq = sacked.end(i);
            }
        }
        return SeqNum.lt(seq, limit) ? seq : limit;
    }

    /** The end of the un-SACKed hole starting at {@code seq}: the next SACKed octet, or {@code sndMax}. */
    int holeEnd(int seq, int sndMax) {
        int i = sacked.firstStartingAfter(seq);
        return i < 0 ? sndMax : SeqNum.min(sacked.start(i), sndMax);
    }

    /** Length of {@code [a, b) ∩ [c, d)}. */
    private static long overlap(int a, int b, int c, int d) {
        int lo = SeqNum.max(a, c);
        int hi = SeqNum.min(b, d);
        return SeqNum.lt(lo, hi) ? SeqNum.sub(hi, lo) : 0;
    }
}
