package io.sansnet.trace.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link SequenceGraph} as a standalone SVG document: W. R. Stevens' time-sequence graph, as tcptrace and
 * Wireshark's "Stevens" stream graph draw it. x is time in seconds since the graph's origin; the left y axis is the
 * relative sequence number. Each data segment is a vertical bar from its first to its last octet (retransmissions in
 * red), the receiver's cumulative ACK a green step line, its advertised right window edge (ACK + window) a gold step
 * line, each SACK block a short purple bar beside the ACK that carried it, and each segment the network dropped an X.
 * The right y axis, in octets, carries the two series (cwnd or bytes in flight, and the receive window) as dashed
 * step lines.
 *
 * <p>The output has no scripts and no external references (fonts are generic families), and depends on the graph
 * only: numbers are written with a fixed format (one decimal for coordinates, {@link Locale#ROOT}) and every
 * computation uses {@link StrictMath}, so the same graph gives the same bytes. Its size is bounded by
 * {@link PlotLimits#maxMarksPerLayer()} and {@link PlotLimits#maxLinePoints()}, whatever the transfer's length.
 *
 * <p>Each layer is a {@code <g>} with an {@code id} ({@code data}, {@code retransmissions}, {@code sack},
 * {@code losses}, {@code acks}, {@code window}, {@code primary}, {@code secondary}) and the attributes
 * {@code data-count} (items in the graph) and {@code data-drawn} (elements drawn); marks carry the class of their
 * layer ({@code data}, {@code retx}, {@code sack}, {@code loss}; lines {@code ack}, {@code win}, {@code primary},
 * {@code secondary}).
 */
public final class SvgTimeSequence {
    /** The document's size in pixels. */
    public static final int WIDTH = 1200, HEIGHT = 780;

    /** The plot area. */
    static final double LEFT = 100, RIGHT = 1100, TOP = 80, BOTTOM = 610;

    /** Ticks aimed at per axis (the nice step makes it 4..10). */
    static final int TICKS = 8;

    /** Window edges above the data by more than this share of the data's span are clipped (the data stays readable). */
    static final double WINDOW_HEADROOM = 0.15;

    static final String DATA = "#1f4e9e", RETX = "#d62728", ACK = "#2ca02c", WIN = "#c79a00", SACK = "#9467bd";
    static final String LOSS = "#000000", PRIMARY = "#e377c2", SECONDARY = "#7f7f7f";

    private SvgTimeSequence() {}

    /** The SVG of {@code g} with the default limits. */
    public static String render(SequenceGraph g) {
        return render(g, PlotLimits.DEFAULT);
    }

    /** The SVG of {@code g}. */
    public static String render(SequenceGraph g, PlotLimits limits) {
        return new Drawing(g, limits).draw();
    }

    /** One rendering: the scales and the output buffer. */
    private static final class Drawing {
        private final SequenceGraph g;
        private final PlotLimits limits;
        private final StringBuilder out = new StringBuilder(1 << 16);
        private final Axis x, y, right;

        Drawing(SequenceGraph g, PlotLimits limits) {
            this.g = g;
            this.limits = limits;
            this.x = timeAxis(g);
            this.y = sequenceAxis(g);
            this.right = bytesAxis(g);
        }

        String draw() {
            out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                    .append(WIDTH)
                    .append("\" height=\"")
                    .append(HEIGHT)
                    .append("\" viewBox=\"0 0 ")
                    .append(WIDTH)
                    .append(' ')
                    .append(HEIGHT)
                    .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
            out.append("<title>").append(escape(g.title())).append("</title>\n");
            out.append("<desc>").append(escape(g.subtitle())).append("</desc>\n");
            out.append("<style>\n")
                    .append(".data,.swatch-data{stroke:" + DATA + ";stroke-width:1.5;stroke-linecap:square}\n")
                    .append(".retx,.swatch-retx{stroke:" + RETX + ";stroke-width:2;stroke-linecap:square}\n")
                    .append(".sack,.swatch-sack{stroke:" + SACK + ";stroke-width:1.5;stroke-linecap:square}\n")
                    .append(".loss,.swatch-loss{stroke:" + LOSS + ";stroke-width:1.5;fill:none}\n")
                    .append(".ack,.swatch-ack{stroke:" + ACK + ";stroke-width:1.2;fill:none}\n")
                    .append(".win,.swatch-win{stroke:" + WIN + ";stroke-width:1.2;fill:none}\n")
                    .append(".primary,.swatch-primary{stroke:" + PRIMARY
                            + ";stroke-width:1.2;stroke-dasharray:5 3;fill:none}\n")
                    .append(".secondary,.swatch-secondary{stroke:" + SECONDARY
                            + ";stroke-width:1.2;stroke-dasharray:2 3;fill:none}\n")
                    .append(".grid{stroke:#e4e4e4;stroke-width:1}\n")
                    .append(".frame{stroke:#333333;fill:none}\n")
                    .append(".tick{stroke:#333333}\n")
                    .append("text{fill:#222222}\n")
                    .append("</style>\n");
            out.append("<defs><clipPath id=\"plot-area\"><rect x=\"")
                    .append(num(LEFT))
                    .append("\" y=\"")
                    .append(num(TOP))
                    .append("\" width=\"")
                    .append(num(RIGHT - LEFT))
                    .append("\" height=\"")
                    .append(num(BOTTOM - TOP))
                    .append("\"/></clipPath></defs>\n");
            out.append("<rect x=\"0\" y=\"0\" width=\"")
                    .append(WIDTH)
                    .append("\" height=\"")
                    .append(HEIGHT)
                    .append("\" fill=\"#ffffff\"/>\n");
            text(LEFT, 30, "start", "font-size=\"16\" font-weight=\"bold\"", g.title());
            text(LEFT, 52, "start", "style=\"fill:#555555\"", g.subtitle());
            axes();
            out.append("<g clip-path=\"url(#plot-area)\">\n");
            series("secondary", g.secondary());
            series("primary", g.primary());
            ackLines();
            sackLayer();
            dataLayers();
            lossLayer();
            out.append("</g>\n");
            legend();
            out.append("</svg>\n");
            return out.toString();
        }

        // ---- axes

        private void axes() {
            out.append("<g class=\"axes\">\n");
            for (double v : x.ticks()) {
                double px = x.px(v);
                line("grid", px, TOP, px, BOTTOM);
                line("tick", px, BOTTOM, px, BOTTOM + 5);
                text(px, BOTTOM + 19, "middle", "", x.label(v));
            }
            for (double v : y.ticks()) {
                double py = y.py(v);
                line("grid", LEFT, py, RIGHT, py);
                line("tick", LEFT - 5, py, LEFT, py);
                text(LEFT - 8, py + 4, "end", "", y.label(v));
            }
            for (double v : right.ticks()) {
                double py = right.py(v);
                line("tick", RIGHT, py, RIGHT + 5, py);
                text(RIGHT + 8, py + 4, "start", "", right.label(v));
            }
            out.append("<rect class=\"frame\" x=\"")
                    .append(num(LEFT))
                    .append("\" y=\"")
                    .append(num(TOP))
                    .append("\" width=\"")
                    .append(num(RIGHT - LEFT))
                    .append("\" height=\"")
                    .append(num(BOTTOM - TOP))
                    .append("\"/>\n");
            text((LEFT + RIGHT) / 2, BOTTOM + 40, "middle", "", "time (s)");
            rotated(30, (TOP + BOTTOM) / 2, -90, "relative sequence number (octets)");
            rotated(WIDTH - 34, (TOP + BOTTOM) / 2, 90, "octets (dashed lines)");
            out.append("</g>\n");
        }

        // ---- layers

        private void dataLayers() {
            List<double[]> first = new ArrayList<>();
            List<double[]> again = new ArrayList<>();
            for (SequenceGraph.DataSegment s : g.segments()) {
                double[] m = {x.px(seconds(s.timeNanos())), y.py(s.end()), y.py(s.start())};
                (s.retransmission() ? again : first).add(m);
            }
            bars("data", "data", first, 0);
            bars("retransmissions", "retx", again, 0);
        }

        private void sackLayer() {
            List<double[]> marks = new ArrayList<>();
            for (SequenceGraph.Ack a : g.acks()) {
                for (SequenceGraph.Range r : a.sack()) {
                    marks.add(new double[] {x.px(seconds(a.timeNanos())), y.py(r.end()), y.py(r.start())});
                }
            }
            bars("sack", "sack", marks, 2.5);
        }

        private void bars(String id, String cls, List<double[]> marks, double dx) {
            List<double[]> drawn = fit(marks, limits.maxMarksPerLayer());
            group(id, marks.size(), drawn.size());
            for (double[] m : drawn) {
                out.append("<line class=\"")
                        .append(cls)
                        .append("\" x1=\"")
                        .append(num(m[0] + dx))
                        .append("\" y1=\"")
                        .append(num(m[1]))
                        .append("\" x2=\"")
                        .append(num(m[0] + dx))
                        .append("\" y2=\"")
                        .append(num(m[2]))
                        .append("\"/>\n");
            }
            out.append("</g>\n");
        }

        private void lossLayer() {
            List<double[]> marks = new ArrayList<>();
            for (SequenceGraph.Loss l : g.losses()) {
                double py = y.py((l.start() + l.end()) / 2.0);
                marks.add(new double[] {x.px(seconds(l.timeNanos())), py, py});
            }
            List<double[]> drawn = fit(marks, limits.maxMarksPerLayer());
            group("losses", marks.size(), drawn.size());
            for (double[] m : drawn) {
                double cx = m[0];
                double cy = (m[1] + m[2]) / 2;
                double r = 4 + (m[2] - m[1]) / 2;
                out.append("<path class=\"loss\" d=\"M")
                        .append(num(cx - 4))
                        .append(' ')
                        .append(num(cy - r))
                        .append("L")
                        .append(num(cx + 4))
                        .append(' ')
                        .append(num(cy + r))
                        .append("M")
                        .append(num(cx - 4))
                        .append(' ')
                        .append(num(cy + r))
                        .append("L")
                        .append(num(cx + 4))
                        .append(' ')
                        .append(num(cy - r))
                        .append("\"/>\n");
            }
            out.append("</g>\n");
        }

        private void ackLines() {
            List<double[]> acks = new ArrayList<>();
            List<double[]> edges = new ArrayList<>();
            for (SequenceGraph.Ack a : g.acks()) {
                double px = x.px(seconds(a.timeNanos()));
                acks.add(new double[] {px, y.py(a.ack())});
                edges.add(new double[] {px, y.py(a.windowEdge())});
            }
            stepLine("window", "win", edges);
            stepLine("acks", "ack", acks);
        }

        private void series(String id, SequenceGraph.Series s) {
            List<double[]> points = new ArrayList<>();
            for (SequenceGraph.Sample p : s.samples()) {
                points.add(new double[] {x.px(seconds(p.timeNanos())), right.py(p.bytes())});
            }
            stepLine(id, id, points);
        }

        /** A step line through {@code points} (x, y in pixels): each value holds until the next one. */
        private void stepLine(String id, String cls, List<double[]> points) {
            List<double[]> drawn = thin(points, limits.maxLinePoints());
            group(id, points.size(), drawn.isEmpty() ? 0 : 1);
            if (!drawn.isEmpty()) {
                out.append("<polyline class=\"").append(cls).append("\" points=\"");
                double[] prev = null;
                for (double[] p : drawn) {
                    if (prev != null) {
                        out.append(' ')
                                .append(num(p[0]))
                                .append(',')
                                .append(num(prev[1]))
                                .append(' ');
                    }
                    out.append(num(p[0])).append(',').append(num(p[1]));
                    prev = p;
                }
                out.append("\"/>\n");
            }
            out.append("</g>\n");
        }

        private void group(String id, int count, int drawn) {
            out.append("<g id=\"")
                    .append(id)
                    .append("\" data-count=\"")
                    .append(count)
                    .append("\" data-drawn=\"")
                    .append(drawn)
                    .append("\">\n");
        }

        // ---- legend

        private void legend() {
            List<String[]> items = new ArrayList<>();
            items.add(new String[] {"data", "data segment"});
            items.add(new String[] {"retx", "retransmission"});
            items.add(new String[] {"ack", "ACK (cumulative)"});
            items.add(new String[] {"win", "receive window right edge (ACK + window)"});
            items.add(new String[] {"sack", "SACK block"});
            if (g.lossesKnown()) {
                items.add(new String[] {"loss", "dropped by the network"});
            }
            List<String[]> lines = List.of(
                    new String[] {"primary", g.primary().label() + " (right axis)"},
                    new String[] {"secondary", g.secondary().label() + " (right axis)"});
            out.append("<g class=\"legend\">\n");
            double columnWidth = (RIGHT - LEFT) / 3;
            for (int i = 0; i < items.size(); i++) {
                double lx = LEFT + (i % 3) * columnWidth;
                double ly = BOTTOM + 72 + (i / 3) * 22;
                String kind = items.get(i)[0];
                String cls = "swatch-" + kind;
                if (kind.equals("loss")) {
                    out.append("<path class=\"")
                            .append(cls)
                            .append("\" d=\"M")
                            .append(num(lx + 8))
                            .append(' ')
                            .append(num(ly - 8))
                            .append("L")
                            .append(num(lx + 16))
                            .append(' ')
                            .append(num(ly))
                            .append("M")
                            .append(num(lx + 8))
                            .append(' ')
                            .append(num(ly))
                            .append("L")
                            .append(num(lx + 16))
                            .append(' ')
                            .append(num(ly - 8))
                            .append("\"/>\n");
                } else if (kind.equals("ack") || kind.equals("win")) {
                    line(cls, lx, ly - 4, lx + 24, ly - 4);
                } else {
                    line(cls, lx + 12, ly - 10, lx + 12, ly + 2);
                }
                text(lx + 32, ly, "start", "", items.get(i)[1]);
            }
            double seriesY = BOTTOM + 72 + ((items.size() + 2) / 3) * 22;
            for (int i = 0; i < lines.size(); i++) {
                double lx = LEFT + i * (RIGHT - LEFT) / 2;
                line("swatch-" + lines.get(i)[0], lx, seriesY - 4, lx + 24, seriesY - 4);
                text(lx + 32, seriesY, "start", "", lines.get(i)[1]);
            }
            out.append("</g>\n");
        }

        // ---- primitives

        private void line(String cls, double x1, double y1, double x2, double y2) {
            out.append("<line class=\"")
                    .append(cls)
                    .append("\" x1=\"")
                    .append(num(x1))
                    .append("\" y1=\"")
                    .append(num(y1))
                    .append("\" x2=\"")
                    .append(num(x2))
                    .append("\" y2=\"")
                    .append(num(y2))
                    .append("\"/>\n");
        }

        private void text(double tx, double ty, String anchor, String attrs, String s) {
            out.append("<text x=\"")
                    .append(num(tx))
                    .append("\" y=\"")
                    .append(num(ty))
                    .append("\" text-anchor=\"")
                    .append(anchor)
                    .append('"')
                    .append(attrs.isEmpty() ? "" : " " + attrs)
                    .append('>')
                    .append(escape(s))
                    .append("</text>\n");
        }

        private void rotated(double tx, double ty, int degrees, String s) {
            out.append("<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(")
                    .append(num(tx))
                    .append(' ')
                    .append(num(ty))
                    .append(") rotate(")
                    .append(degrees)
                    .append(")\">")
                    .append(escape(s))
                    .append("</text>\n");
        }
    }

    // ---- decimation

    /**
     * {@code marks} (x, top, bottom in pixels) as they are when at most {@code cap}; otherwise merged: consecutive
     * marks in the same column of {@code q} pixels whose spans come within {@code q} pixels become one mark spanning
     * both, with q = 1, 2, 4, ... until at most {@code cap} remain (at q past the plot's size everything is one mark).
     */
    static List<double[]> fit(List<double[]> marks, int cap) {
        if (marks.size() <= cap) {
            return marks;
        }
        for (double q = 1; ; q *= 2) {
            List<double[]> merged = new ArrayList<>();
            double[] cur = null;
            long curColumn = 0;
            for (double[] m : marks) {
                long column = (long) StrictMath.floor((m[0] - LEFT) / q);
                if (cur != null && column == curColumn && m[1] <= cur[2] + q && m[2] >= cur[1] - q) {
                    cur[1] = Math.min(cur[1], m[1]);
                    cur[2] = Math.max(cur[2], m[2]);
                } else {
                    cur = new double[] {LEFT + (column + 0.5) * q, m[1], m[2]};
                    curColumn = column;
                    merged.add(cur);
                }
            }
            if (merged.size() <= cap) {
                return merged;
            }
        }
    }

    /**
     * {@code points} (x, y in pixels) as they are when at most {@code cap}; otherwise each column (1 pixel, or wider
     * when {@code cap} is small) keeps its first, lowest, highest and last point, in their order.
     */
    static List<double[]> thin(List<double[]> points, int cap) {
        if (points.size() <= cap) {
            return points;
        }
        double width = StrictMath.max(1, StrictMath.ceil(4 * (RIGHT - LEFT + 2) / cap));
        List<double[]> kept = new ArrayList<>();
        int i = 0;
        while (i < points.size()) {
            long column = (long) StrictMath.floor(points.get(i)[0] / width);
            int j = i;
            int lo = i;
            int hi = i;
            while (j < points.size() && (long) StrictMath.floor(points.get(j)[0] / width) == column) {
                if (points.get(j)[1] < points.get(lo)[1]) {
                    lo = j;
                }
                if (points.get(j)[1] > points.get(hi)[1]) {
                    hi = j;
                }
                j++;
            }
            int last = j - 1;
            int[] order = {i, Math.min(lo, hi), Math.max(lo, hi), last};
            int prev = -1;
            for (int k : order) {
                if (k != prev && k > prev) {
                    kept.add(points.get(k));
                    prev = k;
                }
            }
            i = j;
        }
        return kept;
    }

    // ---- scales

    /** A linear axis over {@code [min, max]} (already rounded to whole steps) mapped onto pixels. */
    record Axis(double min, double max, double step, double from, double to, String unit, double unitValue) {
        /** Pixel position along x. */
        double px(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }

        /** Pixel position along y (grows downwards). */
        double py(double v) {
            return px(v);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            double first = StrictMath.ceil(min / step - 1e-9) * step;
            long n = StrictMath.round(StrictMath.floor((max - first) / step + 1e-9));
            for (long i = 0; i <= n; i++) {
                t.add(first + i * step);
            }
            return t;
        }

        String label(double v) {
            int decimals =
                    (int) StrictMath.max(0, StrictMath.min(9, -StrictMath.floor(StrictMath.log10(step / unitValue))));
            double shown = v / unitValue;
            if (StrictMath.abs(shown) < step / unitValue / 2) {
                return "0";
            }
            return String.format(Locale.ROOT, "%." + decimals + "f", shown) + unit;
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static Axis timeAxis(SequenceGraph g) {
        double lo = 0;
        double hi = 0;
        for (SequenceGraph.DataSegment s : g.segments()) {
            lo = Math.min(lo, s.timeNanos());
            hi = Math.max(hi, s.timeNanos());
        }
        for (SequenceGraph.Ack a : g.acks()) {
            lo = Math.min(lo, a.timeNanos());
            hi = Math.max(hi, a.timeNanos());
        }
        for (SequenceGraph.Loss l : g.losses()) {
            lo = Math.min(lo, l.timeNanos());
            hi = Math.max(hi, l.timeNanos());
        }
        for (SequenceGraph.Series s : List.of(g.primary(), g.secondary())) {
            for (SequenceGraph.Sample p : s.samples()) {
                lo = Math.min(lo, p.timeNanos());
                hi = Math.max(hi, p.timeNanos());
            }
        }
        return axis(lo / 1e9, hi / 1e9, 1e-3, LEFT, RIGHT, false);
    }

    private static Axis sequenceAxis(SequenceGraph g) {
        double lo = 0;
        double hi = 0;
        for (SequenceGraph.DataSegment s : g.segments()) {
            lo = Math.min(lo, s.start());
            hi = Math.max(hi, s.end());
        }
        for (SequenceGraph.Ack a : g.acks()) {
            lo = Math.min(lo, a.ack());
            hi = Math.max(hi, a.ack());
            for (SequenceGraph.Range r : a.sack()) {
                lo = Math.min(lo, r.start());
                hi = Math.max(hi, r.end());
            }
        }
        for (SequenceGraph.Loss l : g.losses()) {
            lo = Math.min(lo, l.start());
            hi = Math.max(hi, l.end());
        }
        double cap = hi + WINDOW_HEADROOM * StrictMath.max(hi - lo, 1);
        double edges = hi;
        for (SequenceGraph.Ack a : g.acks()) {
            edges = Math.max(edges, Math.min(cap, a.windowEdge()));
        }
        return axis(lo, edges, 1, BOTTOM, TOP, true);
    }

    private static Axis bytesAxis(SequenceGraph g) {
        double hi = 0;
        for (SequenceGraph.Series s : List.of(g.primary(), g.secondary())) {
            for (SequenceGraph.Sample p : s.samples()) {
                hi = Math.max(hi, p.bytes());
            }
        }
        return axis(0, hi * 1.05, 1, BOTTOM, TOP, true);
    }

    /** An axis over at least {@code [lo, hi]} (at least {@code minSpan} wide), widened to whole nice steps. */
    private static Axis axis(double lo, double hi, double minSpan, double from, double to, boolean octets) {
        if (hi - lo < minSpan) {
            hi = lo + minSpan;
        }
        double step = niceStep((hi - lo) / TICKS);
        double min = StrictMath.floor(lo / step) * step;
        if (lo < 0 && lo > -step / 2) {
            min = lo; // a sliver below zero (an ACK of the SYN, a retransmission before the capture began)
        }
        double max = StrictMath.ceil(hi / step) * step;
        if (max <= min) {
            max = min + step;
        }
        String unit = "";
        double unitValue = 1;
        if (octets) {
            double m = StrictMath.max(StrictMath.abs(min), StrictMath.abs(max));
            if (m >= 1e9) {
                unit = "G";
                unitValue = 1e9;
            } else if (m >= 1e6) {
                unit = "M";
                unitValue = 1e6;
            } else if (m >= 1e4) {
                unit = "k";
                unitValue = 1e3;
            }
        }
        return new Axis(min, max, step, from, to, unit, unitValue);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double exp = StrictMath.floor(StrictMath.log10(raw));
        double base = StrictMath.pow(10, exp);
        double f = raw / base;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * base;
    }

    // ---- text

    /** {@code v} rounded to one decimal, without a trailing ".0", locale-independent. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        long r = StrictMath.round(v * 10);
        StringBuilder sb = new StringBuilder();
        if (r < 0) {
            sb.append('-');
            r = -r;
        }
        sb.append(r / 10);
        if (r % 10 != 0) {
            sb.append('.').append(r % 10);
        }
        return sb.toString();
    }

    /** {@code s} as XML character data: markup characters escaped, characters XML 1.0 cannot hold replaced by '?'. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    boolean ok = (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF)
                            || c == '\t'
                            || c == '\n'
                            || c == '\r';
                    sb.append(ok ? c : '?');
                }
            }
        }
        return sb.toString();
    }
}
