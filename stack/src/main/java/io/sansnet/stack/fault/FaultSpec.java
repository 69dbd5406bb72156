package io.sansnet.stack.fault;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Per-packet fault settings of one direction of a path, shared by the simulator's links and the drivers'
 * {@code --impair}. Probabilities are fractions 0..1 drawn independently for every packet; durations are
 * nanoseconds. A value is valid by construction (the constructor rejects NaN, out-of-range probabilities and negative
 * durations).
 *
 * @param loss probability that a packet is dropped
 * @param duplicate probability that a second, unmodified copy is delivered as well
 * @param reorder probability that a packet is held back by {@code reorderDelayNanos} so its successors overtake it
 * @param corrupt probability that one bit covered by a checksum is flipped (see {@link FaultModel})
 * @param delayNanos fixed one-way delay added to every delivery
 * @param jitterNanos each delivery gets an extra delay drawn uniformly from {@code [0, jitterNanos]}
 * @param reorderDelayNanos extra hold-back of a reordered packet ({@link #DEFAULT_REORDER_DELAY_NANOS} by default)
 */
public record FaultSpec(
        double loss,
        double duplicate,
        double reorder,
        double corrupt,
        long delayNanos,
        long jitterNanos,
        long reorderDelayNanos) {

    /** Hold-back of a reordered packet unless {@code reorder-delay=} says otherwise: 2 ms (the CLI contract). */
    public static final long DEFAULT_REORDER_DELAY_NANOS = 2_000_000L;

    /** Longest SPEC text accepted by {@link #parse}: bounds the parser's work. */
    public static final int MAX_SPEC_CHARS = 4096;

    /** No faults and no delay: every packet is delivered once, unchanged, at once. */
    public static final FaultSpec NONE = new FaultSpec(0, 0, 0, 0, 0, 0, DEFAULT_REORDER_DELAY_NANOS);

    public FaultSpec {
        requireProbability("loss", loss);
        requireProbability("duplicate", duplicate);
        requireProbability("reorder", reorder);
        requireProbability("corrupt", corrupt);
        requireDuration("delay", delayNanos);
        requireDuration("jitter", jitterNanos);
        requireDuration("reorder-delay", reorderDelayNanos);
    }

    /** Whether this spec never changes, drops, duplicates or delays a packet. */
    public boolean isNone() {
        return loss == 0 && duplicate == 0 && reorder == 0 && corrupt == 0 && delayNanos == 0 && jitterNanos == 0;
    }

    public FaultSpec withLoss(double p) {
        return new FaultSpec(p, duplicate, reorder, corrupt, delayNanos, jitterNanos, reorderDelayNanos);
    }

    public FaultSpec withDuplicate(double p) {
        return new FaultSpec(loss, p, reorder, corrupt, delayNanos, jitterNanos, reorderDelayNanos);
    }

    public FaultSpec withReorder(double p) {
        return new FaultSpec(loss, duplicate, p, corrupt, delayNanos, jitterNanos, reorderDelayNanos);
    }

    public FaultSpec withCorrupt(double p) {
        return new FaultSpec(loss, duplicate, reorder, p, delayNanos, jitterNanos, reorderDelayNanos);
    }

    public FaultSpec withDelayNanos(long d) {
        return new FaultSpec(loss, duplicate, reorder, corrupt, d, jitterNanos, reorderDelayNanos);
    }

    public FaultSpec withJitterNanos(long d) {
        return new FaultSpec(loss, duplicate, reorder, corrupt, delayNanos, d, reorderDelayNanos);
    }

    public FaultSpec withReorderDelayNanos(long d) {
        return new FaultSpec(loss, duplicate, reorder, corrupt, delayNanos, jitterNanos, d);
    }

    /**
     * The SPEC text of the settings that differ from {@link #NONE} (empty for {@code NONE}), in a fixed key order, so
     * {@code parse(format())} gives this value back.
     */
    public String format() {
        StringBuilder sb = new StringBuilder();
        appendIf(sb, loss != 0, "loss", plain(loss));
        appendIf(sb, duplicate != 0, "duplicate", plain(duplicate));
        appendIf(sb, reorder != 0, "reorder", plain(reorder));
        appendIf(sb, corrupt != 0, "corrupt", plain(corrupt));
        appendIf(sb, delayNanos != 0, "delay", Units.formatDuration(delayNanos));
        appendIf(sb, jitterNanos != 0, "jitter", Units.formatDuration(jitterNanos));
        appendIf(
                sb,
                reorderDelayNanos != DEFAULT_REORDER_DELAY_NANOS,
                "reorder-delay",
                Units.formatDuration(reorderDelayNanos));
        return sb.toString();
    }

    @Override
    public String toString() {
        String f = format();
        return f.isEmpty() ? "none" : f;
    }

    /**
     * Parses an impairment SPEC: {@code loss=P,duplicate=P,reorder=P,corrupt=P,delay=D,jitter=D,reorder-delay=D,seed=N},
     * any subset in any order, comma-separated, no spaces; the empty string and {@code none} mean {@link #NONE}. Unset
     * keys keep their {@code NONE} values. An unknown key, a repeated key, a missing {@code =} or a bad value gives an
     * {@link SpecParse.Err} naming the key and the value.
     */
    public static SpecParse<ImpairSpec> parse(String text) {
        if (text == null) {
            return SpecParse.err("", "null", "an impairment SPEC is required");
        }
        if (text.length() > MAX_SPEC_CHARS) {
            return SpecParse.err("", text.substring(0, 32) + "...", "is longer than " + MAX_SPEC_CHARS + " characters");
        }
        FaultSpec spec = NONE;
        OptionalLong seed = OptionalLong.empty();
        if (text.isEmpty() || text.equals("none")) {
            return new SpecParse.Ok<>(new ImpairSpec(spec, seed));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String item : text.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                return SpecParse.err(
                        "",
                        item,
                        "expected key=value with a key among loss, duplicate, reorder, corrupt, delay, jitter,"
                                + " reorder-delay, seed");
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (!seen.add(key)) {
                return SpecParse.err(key, value, "is given twice");
            }
            SpecParse<?> r;
            switch (key) {
                case "loss", "duplicate", "reorder", "corrupt" -> r = Units.probability(key, value);
                case "delay", "jitter", "reorder-delay" -> r = Units.durationNanos(key, value);
                case "seed" -> r = Units.seed(key, value);
                default -> {
                    return SpecParse.err(
                            key,
                            value,
                            "unknown key (expected loss, duplicate, reorder, corrupt, delay, jitter, reorder-delay,"
                                    + " seed)");
                }
            }
            if (r instanceof SpecParse.Err<?> e) {
                return new SpecParse.Err<>(e.error());
            }
            Object v = ((SpecParse.Ok<?>) r).value();
            switch (key) {
                case "loss" -> spec = spec.withLoss((Double) v);
                case "duplicate" -> spec = spec.withDuplicate((Double) v);
                case "reorder" -> spec = spec.withReorder((Double) v);
                case "corrupt" -> spec = spec.withCorrupt((Double) v);
                case "delay" -> spec = spec.withDelayNanos((Long) v);
                case "jitter" -> spec = spec.withJitterNanos((Long) v);
                case "reorder-delay" -> spec = spec.withReorderDelayNanos((Long) v);
                default -> seed = OptionalLong.of((Long) v);
            }
        }
        return new SpecParse.Ok<>(new ImpairSpec(spec, seed));
    }

    private static String plain(double p) {
        return BigDecimal.valueOf(p).toPlainString();
    }

    private static void appendIf(StringBuilder sb, boolean cond, String key, String value) {
        if (cond) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(key).append('=').append(value);
        }
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a fraction 0..1: " + p);
        }
    }

    private static void requireDuration(String name, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + nanos + " ns");
        }
    }
}
