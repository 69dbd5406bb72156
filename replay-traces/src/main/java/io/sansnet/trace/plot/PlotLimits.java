package io.sansnet.trace.plot;

/**
 * Bounds that keep a graph of a very long transfer small: memory while collecting, elements in the SVG.
 *
 * <p>A 1 GB transfer is about 700 000 segments of 1448 octets; collected in full (the default keeps up to
 * {@value #DEFAULT_MAX_EVENTS_PER_KIND} of each kind) it is drawn with at most {@value #DEFAULT_MAX_MARKS_PER_LAYER}
 * marks per layer and {@value #DEFAULT_MAX_LINE_POINTS} points per line, so its SVG stays around a few MB at most.
 *
 * @param maxEventsPerKind data segments, ACKs, losses and samples of each series kept while collecting; later ones
 *     are counted and left out (the graph's subtitle says so)
 * @param maxMarksPerLayer marks (segment bars, SACK blocks, loss crosses) drawn per layer: past it, marks that fall
 *     into the same pixel column and touch are merged, with coarser columns until the layer fits
 * @param maxLinePoints points of one line (ACK, window edge, cwnd, receive window) drawn exactly: past it, each pixel
 *     column keeps its first, lowest, highest and last point
 * @param maxTrackedRanges disjoint sequence ranges remembered to tell a retransmission from a first transmission;
 *     past it, the two lowest ranges are joined (a retransmission into a very old hole may then go unnoticed)
 */
public record PlotLimits(int maxEventsPerKind, int maxMarksPerLayer, int maxLinePoints, int maxTrackedRanges) {

    public static final int DEFAULT_MAX_EVENTS_PER_KIND = 2_000_000;
    public static final int DEFAULT_MAX_MARKS_PER_LAYER = 20_000;
    public static final int DEFAULT_MAX_LINE_POINTS = 20_000;
    public static final int DEFAULT_MAX_TRACKED_RANGES = 4_096;

    public static final PlotLimits DEFAULT = new PlotLimits(
            DEFAULT_MAX_EVENTS_PER_KIND,
            DEFAULT_MAX_MARKS_PER_LAYER,
            DEFAULT_MAX_LINE_POINTS,
            DEFAULT_MAX_TRACKED_RANGES);

    public PlotLimits {
        if (maxEventsPerKind < 0 || maxMarksPerLayer < 1 || maxLinePoints < 4 || maxTrackedRanges < 2) {
            throw new IllegalArgumentException(
                    "maxEventsPerKind >= 0, maxMarksPerLayer >= 1, maxLinePoints >= 4," + " maxTrackedRanges >= 2");
        }
    }
}
