package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.wire.TcpOptions.SackBlock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded send queue, receive reassembly with SACK blocks (RFC 2018 §4), and the RFC 6675 scoreboard. */
class BuffersTest {

    private static byte[] bytes(int from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void sendBufferIsBoundedAndWrapsItsRing() {
        SendBuffer sb = new SendBuffer(10);
        assertThat(sb.write(ByteBuffer.wrap(bytes(0, 7)))).isEqualTo(7);
        assertThat(sb.write(ByteBuffer.wrap(bytes(7, 7)))).isEqualTo(3); // only 3 fit
        assertThat(sb.free()).isZero();
        sb.consume(6);
        assertThat(sb.write(ByteBuffer.wrap(bytes(10, 6)))).isEqualTo(6); // wraps around the ring
        byte[] out = new byte[10];
        sb.copyOut(0, out, 0, 10);
        assertThat(out).containsExactly(bytes(6, 10));
    }

    @Test
    void inOrderDataAdvancesRcvNxt() {
        ReceiveBuffer rb = new ReceiveBuffer(100, 4);
        assertThat(rb.insert(1000, 1000, ByteBuffer.wrap(bytes(0, 10)))).isEqualTo(10);
        assertThat(rb.readable()).isEqualTo(10);
        assertThat(rb.window()).isEqualTo(90);
    }

    @Test
    void outOfOrderDataWaitsForTheHoleThenMerges() { // RFC 9293 §3.10.7.4
        ReceiveBuffer rb = new ReceiveBuffer(100, 4);
        assertThat(rb.insert(1000, 1010, ByteBuffer.wrap(bytes(10, 10)))).isZero();
        assertThat(rb.insert(1000, 1030, ByteBuffer.wrap(bytes(30, 5)))).isZero();
        assertThat(rb.readable()).isZero();
        assertThat(rb.sackBlocks(1000, 4)).containsExactly(new SackBlock(1030, 1035), new SackBlock(1010, 1020));
        assertThat(rb.insert(1000, 1000, ByteBuffer.wrap(bytes(0, 10)))).isEqualTo(20); // fills the first hole
        assertThat(rb.sackBlocks(1020, 4)).containsExactly(new SackBlock(1030, 1035));
        byte[] out = new byte[20];
        assertThat(rb.read(ByteBuffer.wrap(out))).isEqualTo(20);
        assertThat(out).containsExactly(bytes(0, 20));
    }

    @Test
    void sackBlocksListTheMostRecentFirstRfc2018Section4() {
        ReceiveBuffer rb = new ReceiveBuffer(1000, 8);
        rb.insert(0, 100, ByteBuffer.wrap(bytes(0, 10)));
        rb.insert(0, 300, ByteBuffer.wrap(bytes(0, 10)));
        rb.insert(0, 200, ByteBuffer.wrap(bytes(0, 10)));
        rb.insert(0, 110, ByteBuffer.wrap(bytes(0, 10))); // extends the first block: it becomes the most recent
        assertThat(rb.sackBlocks(0, 3))
                .containsExactly(new SackBlock(100, 120), new SackBlock(200, 210), new SackBlock(300, 310));
        assertThat(rb.sackBlocks(0, 2)).containsExactly(new SackBlock(100, 120), new SackBlock(200, 210));
    }

    @Test
    void reassemblyStoreIsBoundedInRangesAndBytes() {
        ReceiveBuffer rb = new ReceiveBuffer(100, 2);
        rb.insert(0, 10, ByteBuffer.wrap(bytes(0, 5)));
        rb.insert(0, 30, ByteBuffer.wrap(bytes(0, 5)));
        rb.insert(0, 50, ByteBuffer.wrap(bytes(0, 5))); // a third range: dropped
        assertThat(rb.sackBlocks(0, 4)).hasSize(2);
        assertThat(rb.insert(0, 90, ByteBuffer.wrap(bytes(0, 50)))).isZero(); // beyond the buffer: trimmed
        assertThat(rb.outOfOrderBytes()).isEqualTo(10);
        rb.insert(0, 35, ByteBuffer.wrap(bytes(0, 40))); // merges with [30,35) and is cut at 100
        assertThat(rb.sackBlocks(0, 4)).contains(new SackBlock(30, 75));
    }

    @Property(tries = 300)
    void reassemblyDeliversEveryByteOnceInOrder(Gen g) {
        int total = g.intBetween(1, 3000);
        int base = (int) g.nextLong(); // any ISN, so the stream often wraps 2^32
        byte[] data = new byte[total];
        for (int i = 0; i < total; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        ReceiveBuffer rb = new ReceiveBuffer(g.intBetween(64, 4096), 8);
        int rcvNxt = base;
        ByteBuffer out = ByteBuffer.allocate(total);
        int guard = 0;
        while (out.position() < total && guard++ < 100_000) {
            int delivered = SeqNum.sub(rcvNxt, base);
            int off = Math.min(total - 1, delivered + g.intBetween(-50, 600));
            off = Math.max(0, off);
            int len = Math.min(total - off, g.intBetween(1, 300));
            rcvNxt = SeqNum.add(rcvNxt, rb.insert(rcvNxt, SeqNum.add(base, off), ByteBuffer.wrap(data, off, len)));
            if (g.bool()) {
                rb.read(out);
            }
            for (SackBlock b : rb.sackBlocks(rcvNxt, 4)) {
                assertThat(SeqNum.gt(b.left(), rcvNxt)).isTrue(); // a SACK block never covers RCV.NXT
            }
        }
        rb.read(out);
        assertThat(out.array()).isEqualTo(data);
    }

    @Test
    void scoreboardIsLostAndPipeRfc6675Section4() {
        int smss = 100;
        Scoreboard sb = new Scoreboard(16);
        // sent [0, 1000); segments 0..9 of 100 octets; SACKed 200-300, 400-500, 600-700
        sb.update(0, 1000, List.of(new SackBlock(200, 300), new SackBlock(400, 500), new SackBlock(600, 700)));
        // three discontiguous SACKed blocks above octet 0..199: lost; 300..399 has two blocks above (200 octets,
        // not more than 2*SMSS): not lost
        assertThat(sb.lostBoundary(0, smss)).isEqualTo(200);
        assertThat(sb.isLost(150, 0, smss)).isTrue();
        assertThat(sb.isLost(350, 0, smss)).isFalse();
        assertThat(sb.isLost(250, 0, smss)).isFalse(); // SACKed
        // pipe: un-SACKed and not lost: 300-400, 500-600, 700-1000 = 500; nothing retransmitted
        assertThat(sb.pipe(0, 1000, 0, smss)).isEqualTo(500);
        // after retransmitting 0-100 (HighRxt = 100): +100 octets retransmitted
        assertThat(sb.pipe(0, 1000, 100, smss)).isEqualTo(600);
        assertThat(sb.firstUnsacked(100, 200)).isEqualTo(100);
        assertThat(sb.firstUnsacked(200, 1000)).isEqualTo(300);
        assertThat(sb.holeEnd(300, 1000)).isEqualTo(400);
        assertThat(sb.highestSackedEnd(0)).isEqualTo(700);
    }

    @Test
    void scoreboardIgnoresBlocksOutsideTheFlightAndForgetsAckedRanges() {
        Scoreboard sb = new Scoreboard(16);
        assertThat(sb.update(100, 1000, List.of(new SackBlock(50, 90)))).isFalse(); // D-SACK below SND.UNA
        assertThat(sb.update(100, 1000, List.of(new SackBlock(900, 1100)))).isFalse(); // beyond SND.MAX
        assertThat(sb.update(100, 1000, List.of(new SackBlock(300, 200)))).isFalse(); // inverted
        assertThat(sb.update(100, 1000, List.of(new SackBlock(300, 400)))).isTrue();
        sb.ackedTo(350);
        assertThat(sb.sackedBytes()).isEqualTo(50);
        sb.clear();
        assertThat(sb.isEmpty()).isTrue();
    }

    @Test
    void scoreboardLossByBytesRatherThanBlocks() { // more than (DupThresh-1)*SMSS SACKed octets above
        Scoreboard sb = new Scoreboard(16);
        sb.update(0, 1000, List.of(new SackBlock(100, 400)));
        assertThat(sb.lostBoundary(0, 100)).isEqualTo(100); // 300 > 200
        assertThat(sb.lostBoundary(0, 150)).isEqualTo(0); // 300 = 2*150: not more
    }

    @Test
    void seqRangesMergeAcrossTheWrap() {
        SeqRanges r = new SeqRanges(4);
        r.add(-10, -5);
        r.add(0, 10);
        r.add(-5, 0);
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.start(0)).isEqualTo(-10);
        assertThat(r.end(0)).isEqualTo(10);
        List<Integer> ends = new ArrayList<>();
        ends.add(r.end(0));
        assertThat(ends).isEqualTo(Arrays.asList(10));
    }
}
