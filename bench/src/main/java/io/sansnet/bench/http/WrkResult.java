package io.sansnet.bench.http;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One wrk run, parsed from the lines {@code report.lua} / {@code pipeline.lua} print: {@code wrk-summary DURATION_US
 * REQUESTS BYTES CONNECT_ERR READ_ERR WRITE_ERR STATUS_ERR TIMEOUT_ERR} and {@code wrk-latency MICROS COUNT} for each
 * distinct latency wrk recorded. The latencies go into an HdrHistogram (microseconds, 3 significant digits); they
 * are wrk's own samples, including the synthetic ones wrk adds to correct for coordinated omission.
 *
 * @param durationMicros wrk's measured duration
 * @param requests responses completed
 * @param bytes bytes read
 * @param errors connect, read, write, status (not 2xx/3xx) and timeout errors, in that order
 * @param latencyMicros request latency in microseconds
 */
public record WrkResult(long durationMicros, long requests, long bytes, long[] errors, Histogram latencyMicros) {

    /** Latencies above an hour are clamped (wrk's own timeout is far below). */
    public static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    public double requestsPerSecond() {
        return durationMicros == 0 ? 0 : requests * 1e6 / durationMicros;
    }

    public long errorCount() {
        long n = 0;
        for (long e : errors) n += e;
        return n;
    }

    /** Latency at {@code percentile} (0..100) in milliseconds. */
    public double latencyMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * Parses wrk's output.
     *
     * @throws IllegalArgumentException when the output has no {@code wrk-summary} line or a malformed report line
     */
    public static WrkResult parse(List<String> lines) {
        long[] summary = null;
        Histogram h = new Histogram(MAX_LATENCY_MICROS, 3);
        for (String line : lines) {
            String[] f = line.trim().split(" +");
            if (f[0].equals("wrk-summary")) {
                if (f.length != 9) throw new IllegalArgumentException("malformed: " + line);
                summary = new long[8];
                for (int i = 0; i < 8; i++) summary[i] = number(f[i + 1], line);
            } else if (f[0].equals("wrk-latency")) {
                if (f.length != 3) throw new IllegalArgumentException("malformed: " + line);
                long value = Math.min(number(f[1], line), MAX_LATENCY_MICROS);
                long count = number(f[2], line);
                if (count > 0) h.recordValueWithCount(value, count);
            }
        }
        if (summary == null) throw new IllegalArgumentException("no wrk-summary line in wrk's output");
        return new WrkResult(
                summary[0],
                summary[1],
                summary[2],
                new long[] {summary[3], summary[4], summary[5], summary[6], summary[7]},
                h);
    }

    private static long number(String s, String line) {
        if (!s.matches("[0-9]{1,18}")) throw new IllegalArgumentException("not a count in: " + line);
        return Long.parseLong(s);
    }
}
