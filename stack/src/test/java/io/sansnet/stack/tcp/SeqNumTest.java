package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.4: sequence-number comparisons modulo 2^32. */
class SeqNumTest {

    @Test
    void comparisonsWrapAcross2To32() {
        SeqNum top = SeqNum.of(0xFFFF_FFF0L);
        SeqNum wrapped = top.add(0x20); // 0x10 after the wrap
        assertThat(wrapped.value()).isEqualTo(0x10);
        assertThat(top.lt(wrapped)).isTrue();
        assertThat(wrapped.gt(top)).isTrue();
        assertThat(wrapped.sub(top)).isEqualTo(0x20);
        assertThat(top.sub(wrapped)).isEqualTo(-0x20);
        assertThat(top.le(top)).isTrue();
        assertThat(top.ge(top)).isTrue();
        assertThat(top.lt(top)).isFalse();
    }

    @Test
    void inWindowAcrossTheWrap() {
        SeqNum start = SeqNum.of(0xFFFF_FF00L);
        assertThat(SeqNum.of(0xFFFF_FF00L).inWindow(start, 0x200)).isTrue();
        assertThat(SeqNum.of(0x0000_00FFL).inWindow(start, 0x200)).isTrue();
        assertThat(SeqNum.of(0x0000_0100L).inWindow(start, 0x200)).isFalse(); // right edge excluded
        assertThat(SeqNum.of(0xFFFF_FEFFL).inWindow(start, 0x200)).isFalse(); // left of start
        assertThat(start.inWindow(start, 0)).isFalse(); // an empty window holds nothing
        assertThat(SeqNum.of(5).inWindow(start, 1L << 32)).isTrue(); // the whole space
    }

    @Test
    void unsignedViewAndOrdering() {
        assertThat(new SeqNum(-1).unsigned()).isEqualTo(0xFFFF_FFFFL);
        assertThat(new SeqNum(-1).toString()).isEqualTo("4294967295");
        assertThat(new SeqNum(-1).compareTo(new SeqNum(0))).isNegative();
    }

    @Property(tries = 10_000)
    void orderIsTranslationInvariantModulo2To32(Gen g) {
        // any base (so the pair straddles 2^32 often) and a distance within 2^31
        long base = g.longBetween(0, 0xFFFF_FFFFL);
        long d = g.longBetween(-(1L << 31) + 1, (1L << 31) - 1);
        long size = g.longBetween(0, 1L << 31);
        g.note("base", base);
        g.note("d", d);
        SeqNum a = SeqNum.of(base);
        SeqNum b = a.add(d);
        assertThat(b.sub(a)).isEqualTo((int) d);
        assertThat(a.lt(b)).isEqualTo(d > 0);
        assertThat(a.le(b)).isEqualTo(d >= 0);
        assertThat(a.gt(b)).isEqualTo(d < 0);
        assertThat(a.ge(b)).isEqualTo(d <= 0);
        assertThat(b.lt(a)).isEqualTo(a.gt(b));
        assertThat(b.add(-d)).isEqualTo(a);
        assertThat(b.unsigned()).isEqualTo(Math.floorMod(base + d, 1L << 32));
        assertThat(b.inWindow(a, size)).isEqualTo(d >= 0 && d < size);
    }
}
