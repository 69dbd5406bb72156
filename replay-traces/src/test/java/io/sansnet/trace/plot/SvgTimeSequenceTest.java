package io.sansnet.trace.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.trace.plot.SequenceGraph.Ack;
import io.sansnet.trace.plot.SequenceGraph.DataSegment;
import io.sansnet.trace.plot.SequenceGraph.Loss;
import io.sansnet.trace.plot.SequenceGraph.Range;
import io.sansnet.trace.plot.SequenceGraph.Sample;
import io.sansnet.trace.plot.SequenceGraph.Series;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SvgTimeSequenceTest {

    /** A graph drawn from {@code g}'s choices: segments, some retransmitted, ACKs with SACK blocks, losses, series. */
    static SequenceGraph randomGraph(Gen g, int maxSegments) {
        List<DataSegment> segs = new ArrayList<>();
        List<Ack> acks = new ArrayList<>();
        List<Loss> losses = new ArrayList<>();
        List<Sample> cwnd = new ArrayList<>();
        List<Sample> rwnd = new ArrayList<>();
        long t = 0;
        long next = 0;
        int n = g.intBetween(0, maxSegments);
        for (int i = 0; i < n; i++) {
            t += g.longBetween(0, 5_000_000);
            int len = g.intBetween(1, 1448);
            boolean retx = next > 0 && g.intBetween(0, 9) == 0;
            long start = retx ? g.longBetween(0, next - 1) : next;
            segs.add(new DataSegment(t, start, start + len, retx));
            next = Math.max(next, start + len);
            if (g.intBetween(0, 19) == 0) {
                losses.add(new Loss(t, start, start + len));
            }
            if (g.bool()) {
                long ack = g.longBetween(0, next);
                List<Range> sack = new ArrayList<>();
                for (int k = g.intBetween(0, 3); k > 0; k--) {
                    long l = g.longBetween(ack, next);
                    sack.add(new Range(l, Math.min(next, l + g.intBetween(0, 3000))));
                }
                acks.add(new Ack(t + 1000, ack, ack + g.intBetween(0, 1 << 20), sack));
            }
            cwnd.add(new Sample(t, g.longBetween(0, 1 << 22)));
            rwnd.add(new Sample(t, g.longBetween(0, 1 << 22)));
        }
        return new SequenceGraph(
                "random <graph> & \"friends\"",
                "seed " + g.seed(),
                segs,
                acks,
                losses,
                g.bool(),
                new Series("cwnd", cwnd),
                new Series("receive window", rwnd));
    }

    @Property(tries = 30)
    void everyMarkOfASmallGraphIsDrawnAndTheDocumentIsWellFormed(Gen g) {
        SequenceGraph graph = randomGraph(g, 300);
        Svg svg = Svg.parse(SvgTimeSequence.render(graph));
        long retx =
                graph.segments().stream().filter(DataSegment::retransmission).count();
        int sackBlocks = graph.acks().stream().mapToInt(a -> a.sack().size()).sum();
        assertThat(svg.count("line", "data")).isEqualTo(graph.segments().size() - retx);
        assertThat(svg.count("line", "retx")).isEqualTo(retx);
        assertThat(svg.count("line", "sack")).isEqualTo(sackBlocks);
        assertThat(svg.count("path", "loss")).isEqualTo(graph.losses().size());
        assertThat(svg.count("polyline", "ack")).isEqualTo(graph.acks().isEmpty() ? 0 : 1);
        assertThat(svg.counted("data") + svg.counted("retransmissions"))
                .isEqualTo(graph.segments().size());
        assertThat(svg.counted("acks")).isEqualTo(graph.acks().size());
        assertThat(svg.count("script")).isZero();
        assertThat(svg.text("title")).isEqualTo(graph.title());
    }

    @Test
    void aStepLineHasTwoPointsPerValueButTheFirst() {
        List<Ack> acks = List.of(
                new Ack(0, 0, 1000, List.of()),
                new Ack(1_000_000, 1000, 2000, List.of()),
                new Ack(2_000_000, 3000, 4000, List.of()));
        SequenceGraph graph = new SequenceGraph(
                "t", "", List.of(), acks, List.of(), false, new Series("a", List.of()), new Series("b", List.of()));
        Svg svg = Svg.parse(SvgTimeSequence.render(graph));
        String points = svg.points("ack");
        assertThat(points.split(" ")).hasSize(1 + 2 * 2);
        // the step: the second point keeps the first value (same y), the third has the second's x
        String[] p = points.split(" ");
        assertThat(p[1].split(",")[1]).isEqualTo(p[0].split(",")[1]);
        assertThat(p[2].split(",")[0]).isEqualTo(p[1].split(",")[0]);
    }

    @Test
    void theSameGraphGivesTheSameBytesInAnyDefaultLocale() {
        SequenceGraph graph = randomGraph(Gen.fromSeed(42), 500);
        String first = SvgTimeSequence.render(graph);
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // decimal comma
            String german = SvgTimeSequence.render(graph);
            Locale.setDefault(Locale.forLanguageTag("ar-EG")); // Arabic-Indic digits
            String arabic = SvgTimeSequence.render(graph);
            assertThat(german).isEqualTo(first);
            assertThat(arabic).isEqualTo(first);
        } finally {
            Locale.setDefault(saved);
        }
        assertThat(SvgTimeSequence.render(randomGraph(Gen.fromSeed(42), 500))).isEqualTo(first);
        assertThat(first).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void aHugeTransferIsDrawnWithinTheLimits() {
        // 250 000 segments of 1448 octets (362 MB; a 1 GB transfer is 700 000), with a retransmission every 50 and SACK
        // on every 10th ACK
        int n = 250_000;
        List<DataSegment> segs = new ArrayList<>(n);
        List<Ack> acks = new ArrayList<>(n / 2);
        List<Sample> cwnd = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long t = i * 10_000L;
            long start = (long) i * 1448;
            boolean retx = i % 50 == 49;
            segs.add(new DataSegment(
                    t, retx ? start - 1448 * 20 : start, retx ? start - 1448 * 19 : start + 1448, retx));
            cwnd.add(new Sample(t, 100_000 + (i % 1000) * 100));
            if (i % 2 == 1) {
                List<Range> sack = i % 20 == 1 ? List.of(new Range(start - 2896, start - 1448)) : List.of();
                acks.add(new Ack(t + 5000, start - 4344, start + 65536, sack));
            }
        }
        SequenceGraph graph = new SequenceGraph(
                "1 GB", "", segs, acks, List.of(), true, new Series("cwnd", cwnd), new Series("rwnd", List.of()));
        String text = SvgTimeSequence.render(graph);
        Svg svg = Svg.parse(text);
        PlotLimits l = PlotLimits.DEFAULT;
        assertThat(svg.counted("data") + svg.counted("retransmissions")).isEqualTo(n);
        assertThat(svg.drawn("data")).isBetween(1, l.maxMarksPerLayer());
        assertThat(svg.drawn("retransmissions")).isBetween(1, l.maxMarksPerLayer());
        assertThat(svg.drawn("sack")).isBetween(1, l.maxMarksPerLayer());
        assertThat(svg.count("line", "data")).isEqualTo(svg.drawn("data"));
        String ackPoints = svg.points("ack");
        assertThat(ackPoints.split(" ").length).isLessThanOrEqualTo(2 * l.maxLinePoints());
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThan(4 << 20);
    }

    @Test
    void mergingKeepsTheSpanOfWhatItMerges() {
        List<double[]> marks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double x = SvgTimeSequence.LEFT + i / 10.0; // 10 marks per pixel column
            marks.add(new double[] {x, 500 - i * 0.4, 500 - i * 0.4 + 0.4});
        }
        List<double[]> fitted = SvgTimeSequence.fit(marks, 150);
        assertThat(fitted.size()).isBetween(1, 150);
        double top = fitted.stream().mapToDouble(m -> m[1]).min().orElseThrow();
        double bottom = fitted.stream().mapToDouble(m -> m[2]).max().orElseThrow();
        assertThat(top).isEqualTo(500 - 999 * 0.4);
        assertThat(bottom).isEqualTo(500.4);
        assertThat(SvgTimeSequence.fit(marks, 1000)).isSameAs(marks);
    }

    @Test
    void thinningKeepsEachColumnsExtremes() {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            points.add(new double[] {SvgTimeSequence.LEFT + i / 20.0, i % 7 == 0 ? 10 : i % 11 == 0 ? 600 : 300});
        }
        List<double[]> thin = SvgTimeSequence.thin(points, 4_000);
        assertThat(thin.size()).isLessThanOrEqualTo(4_000).isGreaterThan(100);
        assertThat(thin.stream().mapToDouble(p -> p[1]).min().orElseThrow()).isEqualTo(10);
        assertThat(thin.stream().mapToDouble(p -> p[1]).max().orElseThrow()).isEqualTo(600);
        assertThat(thin.get(0)).isSameAs(points.get(0));
        assertThat(thin.get(thin.size() - 1)).isSameAs(points.get(points.size() - 1));
    }

    @Test
    void numbersAndTextAreWrittenOneWay() {
        assertThat(SvgTimeSequence.num(12.34)).isEqualTo("12.3");
        assertThat(SvgTimeSequence.num(-0.04)).isEqualTo("0");
        assertThat(SvgTimeSequence.num(-2.06)).isEqualTo("-2.1");
        assertThat(SvgTimeSequence.num(7)).isEqualTo("7");
        assertThat(SvgTimeSequence.escape("a<b>&\"'\u0001\ud800")).isEqualTo("a&lt;b&gt;&amp;&quot;&apos;??");
        assertThat(SvgTimeSequence.niceStep(0.013)).isEqualTo(0.02);
        assertThat(SvgTimeSequence.niceStep(3)).isEqualTo(5);
        assertThat(SvgTimeSequence.niceStep(70_000)).isEqualTo(100_000);
    }
}
