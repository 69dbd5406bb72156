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

    private final SeqRanges sacked;

    Scoreboard(int maxRanges) {
        this.sacked = new SeqRanges(maxRanges);
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
    }

    void ackedTo(int sndUna) {
        sacked.removeBefore(sndUna);
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
        return pipe;
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
