package io.sansnet.stack.fault;

import java.util.regex.Pattern;

/**
 * Parsers for the value syntax of the CLI contract (foundation issue, "The CLI contract"): a probability P is a
 * fraction 0..1; a duration D is {@code <n>us}, {@code <n>ms} or {@code <n>s} (also {@code <n>ns}, and a bare
 * {@code 0}); a rate is {@code <n>kbit}, {@code <n>mbit} or {@code <n>gbit} (also {@code <n>bit}). Every parser returns
 * a value or a {@link SpecError} naming {@code key} and the text; none throws on any input.
 */
public final class Units {
    private Units() {}

    /** Longest accepted number text: bounds the work, yet fits the plain decimal of any double (Double.MIN_VALUE has 327 digits). */
    public static final int MAX_NUMBER_CHARS = 400;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /** A probability: a decimal fraction in {@code [0, 1]} such as {@code 0.1}, {@code 1} or {@code .25}. */
    public static SpecParse<Double> probability(String key, String text) {
        if (text == null
                || text.length() > MAX_NUMBER_CHARS
                || !DECIMAL.matcher(text).matches()) {
            return SpecParse.err(key, String.valueOf(text), "must be a fraction 0..1");
        }
        double p = Double.parseDouble(text);
        if (!(p >= 0.0 && p <= 1.0)) {
            return SpecParse.err(key, text, "must be a fraction 0..1");
        }
        return new SpecParse.Ok<>(p);
    }

    /** A duration in nanoseconds from {@code <n>ns|<n>us|<n>ms|<n>s} with a non-negative integer n, or {@code 0}. */
    public static SpecParse<Long> durationNanos(String key, String text) {
        String bad = "must be a duration like 500us, 20ms or 1s";
        if (text == null || text.length() > MAX_NUMBER_CHARS) {
            return SpecParse.err(key, String.valueOf(text), bad);
        }
        if (text.equals("0")) {
            return new SpecParse.Ok<>(0L);
        }
        long unit;
        String digits;
        if (text.endsWith("ns")) {
            unit = 1L;
            digits = text.substring(0, text.length() - 2);
        } else if (text.endsWith("us")) {
            unit = 1_000L;
            digits = text.substring(0, text.length() - 2);
        } else if (text.endsWith("ms")) {
            unit = 1_000_000L;
            digits = text.substring(0, text.length() - 2);
        } else if (text.endsWith("s")) {
            unit = 1_000_000_000L;
            digits = text.substring(0, text.length() - 1);
        } else {
            return SpecParse.err(key, text, bad);
        }
        return scaled(key, text, digits, unit, bad);
    }

    /** A rate in bits per second from {@code <n>bit|<n>kbit|<n>mbit|<n>gbit} (decimal multiples, as tc uses). */
    public static SpecParse<Long> rateBitsPerSecond(String key, String text) {
        String bad = "must be a rate like 800kbit, 10mbit or 1gbit";
        if (text == null || text.length() > MAX_NUMBER_CHARS) {
            return SpecParse.err(key, String.valueOf(text), bad);
        }
        long unit;
        String digits;
        if (text.endsWith("kbit")) {
            unit = 1_000L;
            digits = text.substring(0, text.length() - 4);
        } else if (text.endsWith("mbit")) {
            unit = 1_000_000L;
            digits = text.substring(0, text.length() - 4);
        } else if (text.endsWith("gbit")) {
            unit = 1_000_000_000L;
            digits = text.substring(0, text.length() - 4);
        } else if (text.endsWith("bit")) {
            unit = 1L;
            digits = text.substring(0, text.length() - 3);
        } else {
            return SpecParse.err(key, text, bad);
        }
        SpecParse<Long> r = scaled(key, text, digits, unit, bad);
        if (r instanceof SpecParse.Ok<Long> ok && ok.value() == 0) {
            return SpecParse.err(key, text, "must be a positive rate");
        }
        return r;
    }

    /** A seed: a signed 64-bit decimal integer, or an unsigned one up to 2^64-1 (printed seeds may be either). */
    public static SpecParse<Long> seed(String key, String text) {
        if (text == null
                || text.length() > MAX_NUMBER_CHARS
                || !INTEGER.matcher(text).matches()) {
            return SpecParse.err(key, String.valueOf(text), "must be a 64-bit integer");
        }
        try {
            return new SpecParse.Ok<>(Long.parseLong(text));
        } catch (NumberFormatException e) {
            try {
                return new SpecParse.Ok<>(Long.parseUnsignedLong(text));
            } catch (NumberFormatException e2) {
                return SpecParse.err(key, text, "must be a 64-bit integer");
            }
        }
    }

    /** Formats nanoseconds in the largest unit that represents it exactly: {@code 2ms}, {@code 1500us}, {@code 0}. */
    public static String formatDuration(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    private static SpecParse<Long> scaled(String key, String text, String digits, long unit, String bad) {
        if (!DIGITS.matcher(digits).matches() || digits.length() > 19) {
            return SpecParse.err(key, text, bad);
        }
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return SpecParse.err(key, text, "is too large");
        }
        if (n > Long.MAX_VALUE / unit) {
            return SpecParse.err(key, text, "is too large");
        }
        return new SpecParse.Ok<>(n * unit);
    }
}
