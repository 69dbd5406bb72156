package io.sansnet.stack.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.rand.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

class FaultPropertiesTest {

    private static final List<String> TOKENS = List.of(
            "loss",
            "duplicate",
            "reorder",
            "corrupt",
            "delay",
            "jitter",
            "reorder-delay",
            "seed",
            "=",
            ",",
            "0.",
            "1",
            "ms",
            "us",
            "s",
            "-",
            "e",
            "NaN",
            " ",
            "none",
            "9999999999999999999");

    @Property(tries = 10_000)
    void parserNeverThrows(Gen g) {
        String text;
        if (g.bool()) {
            text = new String(g.bytes(0, 80), StandardCharsets.ISO_8859_1);
        } else {
            StringBuilder sb = new StringBuilder();
            for (String t : g.listOf(0, 12, x -> x.pick(TOKENS))) {
                sb.append(t);
            }
            text = sb.toString();
        }
        g.note("text", text);
        SpecParse<ImpairSpec> r = FaultSpec.parse(text);
        if (r instanceof SpecParse.Err<ImpairSpec> e) {
            assertThat(e.error().message()).isNotEmpty();
        } else {
            ImpairSpec ok = ((SpecParse.Ok<ImpairSpec>) r).value();
            assertThat(FaultSpec.parse(ok.format())).isEqualTo(r);
        }
    }

    @Property(tries = 10_000)
    void formatParsesBackToTheSameSpec(Gen g) {
        FaultSpec spec = randomSpec(g);
        OptionalLong seed = g.bool() ? OptionalLong.of(g.nextLong()) : OptionalLong.empty();
        ImpairSpec i = new ImpairSpec(spec, seed);
        g.note("text", i.format());
        assertThat(ImpairSpec.parse(i.format())).isEqualTo(new SpecParse.Ok<>(i));
    }

    @Property(tries = 2_000)
    void deliveriesRespectTheSpecAndAreDeterministic(Gen g) {
        FaultSpec spec = randomSpec(g);
        long seed = g.nextLong();
        FaultModel a = new FaultModel(spec, new SplitMix64(seed));
        FaultModel b = new FaultModel(spec, new SplitMix64(seed));
        int n = g.intBetween(1, 50);
        for (int i = 0; i < n; i++) {
            byte[] p = g.bytes(0, 200);
            byte[] before = p.clone();
            List<Delivery> da = a.apply(p);
            List<Delivery> db = b.apply(p);
            assertThat(p).isEqualTo(before);
            assertThat(da).hasSameSizeAs(db).hasSizeBetween(0, 2);
            for (int k = 0; k < da.size(); k++) {
                Delivery x = da.get(k);
                Delivery y = db.get(k);
                assertThat(x.packet()).isEqualTo(y.packet());
                assertThat(x.delayNanos()).isEqualTo(y.delayNanos());
                assertThat(x.packet()).hasSameSizeAs(p);
                assertThat(x.duplicate()).isEqualTo(k == 1);
                long max = spec.delayNanos() + spec.jitterNanos() + (x.reordered() ? spec.reorderDelayNanos() : 0);
                long min = spec.delayNanos() + (x.reordered() ? spec.reorderDelayNanos() : 0);
                assertThat(x.delayNanos()).isBetween(min, max);
                int flipped = bitsDiffering(x.packet(), p);
                assertThat(flipped).isEqualTo(x.corrupted() ? 1 : 0);
            }
        }
        FaultCounters c = a.counters();
        assertThat(c).isEqualTo(b.counters());
        assertThat(c.offered()).isEqualTo(n);
        assertThat(c.delivered()).isEqualTo(c.offered() - c.lost() + c.duplicated());
    }

    @Property(tries = 10_000)
    void corruptionNeverTouchesTheVersionNibble(Gen g) {
        byte[] p = g.bytes(2, 120);
        if (g.bool()) {
            p[0] = (byte) (g.bool() ? 0x45 : 0x60);
        }
        long bit = ChecksumCoverage.pickBit(p, g.nextLong());
        if (bit < 0) {
            // nothing to flip: every covered bit is already 1 (only 0 bits are flipped)
            for (int i = 1; i < p.length; i++) {
                assertThat(p[i]).isEqualTo((byte) 0xff);
            }
            return;
        }
        assertThat(bit).isBetween(0L, 8L * p.length - 1);
        assertThat(bit / 8).isNotZero();
    }

    private static FaultSpec randomSpec(Gen g) {
        return new FaultSpec(
                g.bool() ? 0 : g.probability(),
                g.bool() ? 0 : g.probability(),
                g.bool() ? 0 : g.probability(),
                g.bool() ? 0 : g.probability(),
                g.bool() ? 0 : g.longBetween(0, 1_000_000_000_000L),
                g.bool() ? 0 : g.longBetween(0, 1_000_000_000L),
                g.bool() ? FaultSpec.DEFAULT_REORDER_DELAY_NANOS : g.longBetween(0, 1_000_000_000L));
    }

    private static int bitsDiffering(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return n;
    }
}
