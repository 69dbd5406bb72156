package io.sansnet.sim;

import io.sansnet.stack.fault.Units;
import io.sansnet.stack.rand.SplitMix64;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a scenario's network does wrong in one run: per-packet fault rates and link settings for its main link
 * (both directions), and scheduled {@link Disruption}s. A plan is explicit (a regression: every value given) or drawn
 * from the seed (exploration); {@link #resolve} mixes both: values the user gave win, the rest come from the seed, the
 * same way in {@code sim}, {@code explore} and JUnit properties.
 *
 * @param loss per-packet loss probability
 * @param duplicate per-packet duplication probability
 * @param reorder per-packet reordering probability
 * @param corrupt per-packet corruption probability
 * @param latencyNanos one-way latency
 * @param jitterNanos per-packet extra delay, uniform in {@code [0, jitter]}
 * @param bandwidthBitsPerSecond link rate
 * @param mtu link MTU in bytes (at least 1280: the scenarios use IPv6 too)
 * @param schedule partitions and crashes, in the order given
 */
public record FaultPlan(
        double loss,
        double duplicate,
        double reorder,
        double corrupt,
        long latencyNanos,
        long jitterNanos,
        long bandwidthBitsPerSecond,
        int mtu,
        List<Disruption> schedule) {

    /** Drawn loss rates lie in {@code [0, MAX_DRAWN_LOSS)}. */
    public static final double MAX_DRAWN_LOSS = 0.2;

    public static final double MAX_DRAWN_DUPLICATE = 0.1;
    public static final double MAX_DRAWN_REORDER = 0.2;
    public static final double MAX_DRAWN_CORRUPT = 0.05;
    /** Drawn latencies lie in 100 us .. 50 ms. */
    public static final long MIN_DRAWN_LATENCY_NANOS = 100_000L;

    public static final long MAX_DRAWN_LATENCY_NANOS = 50_000_000L;
    /** Rates a drawn plan picks from: 1, 10, 100 Mbit/s and 1 Gbit/s. */
    public static final List<Long> DRAWN_BANDWIDTHS = List.of(1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L);
    /** MTUs a drawn plan picks from: the IPv6 minimum, Ethernet, jumbo frames. */
    public static final List<Integer> DRAWN_MTUS = List.of(1280, 1500, 9000);
    /** Probability a drawn plan has a partition; one of a crash. */
    public static final double DRAWN_PARTITION_CHANCE = 0.3;

    public static final double DRAWN_CRASH_CHANCE = 0.2;

    /** No faults, 1 ms, 1 Gbit/s, MTU 1500, nothing scheduled. */
    public static final FaultPlan NONE = new FaultPlan(0, 0, 0, 0, 1_000_000L, 0, 1_000_000_000L, 1500, List.of());

    public FaultPlan {
        Objects.requireNonNull(schedule, "schedule");
        schedule = List.copyOf(schedule);
        if (mtu < LinkParams.IPV6_MIN_MTU) {
            throw new IllegalArgumentException("mtu must be at least 1280 (IPv6): " + mtu);
        }
        if (bandwidthBitsPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidth must be positive");
        }
        linkParams(loss, duplicate, reorder, corrupt, latencyNanos, jitterNanos, bandwidthBitsPerSecond, mtu);
    }

    private static LinkParams linkParams(
            double loss, double dup, double reorder, double corrupt, long lat, long jit, long bw, int mtu) {
        return new LinkParams(
                lat,
                jit,
                bw,
                LinkParams.DEFAULT_QUEUE_LIMIT_BYTES,
                mtu,
                loss,
                dup,
                reorder,
                corrupt,
                io.sansnet.stack.fault.FaultSpec.DEFAULT_REORDER_DELAY_NANOS);
    }

    /** The parameters of each direction of the main link. */
    public LinkParams linkParams() {
        return linkParams(loss, duplicate, reorder, corrupt, latencyNanos, jitterNanos, bandwidthBitsPerSecond, mtu);
    }

    /** True when no per-packet fault rate is above 0. */
    public boolean faultRatesZero() {
        return loss == 0 && duplicate == 0 && reorder == 0 && corrupt == 0;
    }

    /**
     * The values the user gave; null means "draw it from the seed".
     *
     * @param schedule null to draw; an empty list for none
     */
    public record Overrides(
            Double loss,
            Double duplicate,
            Double reorder,
            Double corrupt,
            Long latencyNanos,
            Long jitterNanos,
            Long bandwidthBitsPerSecond,
            Integer mtu,
            List<Disruption> schedule) {

        /** Nothing given: everything from the seed. */
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null);

        /** Every value of {@code plan} given: the plan exactly, whatever the seed. */
        public static Overrides of(FaultPlan p) {
            return new Overrides(
                    p.loss,
                    p.duplicate,
                    p.reorder,
                    p.corrupt,
                    p.latencyNanos,
                    p.jitterNanos,
                    p.bandwidthBitsPerSecond,
                    p.mtu,
                    p.schedule);
        }

        /** The command-line flags of the given values, in a fixed order (empty when none). */
        public String flags() {
            List<String> f = new ArrayList<>();
            if (loss != null) f.add("--loss " + plain(loss));
            if (duplicate != null) f.add("--duplicate " + plain(duplicate));
            if (reorder != null) f.add("--reorder " + plain(reorder));
            if (corrupt != null) f.add("--corrupt " + plain(corrupt));
            if (latencyNanos != null) f.add("--latency " + Units.formatDuration(latencyNanos));
            if (jitterNanos != null) f.add("--jitter " + Units.formatDuration(jitterNanos));
            if (bandwidthBitsPerSecond != null) f.add("--bandwidth " + formatRate(bandwidthBitsPerSecond));
            if (mtu != null) f.add("--mtu " + mtu);
            if (schedule != null) f.add("--schedule " + Disruption.formatList(schedule));
            return String.join(" ", f);
        }
    }

    /**
     * The plan for {@code seed}: every value the user gave in {@code given}, the others drawn from the stream
     * {@code derive(seed, "fault-plan")}. Every value is drawn whether given or not, so giving one flag never changes
     * the others.
     */
    public static FaultPlan resolve(long seed, Overrides given) {
        SplitMix64 r = new SplitMix64(SplitMix64.derive(seed, "fault-plan"));
        double loss = round3(r.nextDouble() * MAX_DRAWN_LOSS);
        double dup = round3(r.nextDouble() * MAX_DRAWN_DUPLICATE);
        double reorder = round3(r.nextDouble() * MAX_DRAWN_REORDER);
        double corrupt = round3(r.nextDouble() * MAX_DRAWN_CORRUPT);
        long latUs = MIN_DRAWN_LATENCY_NANOS / 1000
                + r.nextLong((MAX_DRAWN_LATENCY_NANOS - MIN_DRAWN_LATENCY_NANOS) / 1000 + 1);
        long jitterUs = r.nextLong(latUs / 4 + 1);
        long bw = DRAWN_BANDWIDTHS.get(r.nextInt(DRAWN_BANDWIDTHS.size()));
        int mtu = DRAWN_MTUS.get(r.nextInt(DRAWN_MTUS.size()));
        List<Disruption> schedule = new ArrayList<>();
        boolean partition = r.chance(DRAWN_PARTITION_CHANCE);
        Link.Direction dir = Link.Direction.values()[r.nextInt(3)];
        long pFrom = r.nextLong(300) * 1_000_000L;
        long pLen = (100 + r.nextLong(901)) * 1_000_000L;
        boolean crash = r.chance(DRAWN_CRASH_CHANCE);
        long cFrom = r.nextLong(300) * 1_000_000L;
        long cLen = (100 + r.nextLong(901)) * 1_000_000L;
        if (partition) {
            schedule.add(new Disruption.Partition(dir, pFrom, pFrom + pLen));
        }
        if (crash) {
            schedule.add(new Disruption.Crash("server", cFrom, cFrom + cLen));
        }
        return new FaultPlan(
                given.loss != null ? given.loss : loss,
                given.duplicate != null ? given.duplicate : dup,
                given.reorder != null ? given.reorder : reorder,
                given.corrupt != null ? given.corrupt : corrupt,
                given.latencyNanos != null ? given.latencyNanos : latUs * 1000,
                given.jitterNanos != null ? given.jitterNanos : jitterUs * 1000,
                given.bandwidthBitsPerSecond != null ? given.bandwidthBitsPerSecond : bw,
                given.mtu != null ? given.mtu : mtu,
                given.schedule != null ? given.schedule : schedule);
    }

    /** One {@code key: value} pair per line in a fixed order (the keys of {@code sim}'s output). */
    public List<String[]> fields() {
        return List.of(
                new String[] {"loss", plain(loss)},
                new String[] {"duplicate", plain(duplicate)},
                new String[] {"reorder", plain(reorder)},
                new String[] {"corrupt", plain(corrupt)},
                new String[] {"latency", Units.formatDuration(latencyNanos)},
                new String[] {"jitter", Units.formatDuration(jitterNanos)},
                new String[] {"bandwidth", formatRate(bandwidthBitsPerSecond)},
                new String[] {"mtu", Integer.toString(mtu)},
                new String[] {"schedule", Disruption.formatList(schedule)});
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String[] f : fields()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(f[0]).append('=').append(f[1]);
        }
        return sb.toString();
    }

    /** A rate in the largest unit that is exact: {@code 10mbit}, {@code 1500kbit}, {@code 7bit}. */
    public static String formatRate(long bps) {
        if (bps % 1_000_000_000L == 0) {
            return bps / 1_000_000_000L + "gbit";
        }
        if (bps % 1_000_000L == 0) {
            return bps / 1_000_000L + "mbit";
        }
        if (bps % 1_000L == 0) {
            return bps / 1_000L + "kbit";
        }
        return bps + "bit";
    }

    static String plain(double p) {
        return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    /** Rounded to 3 decimals (so a printed rate, given back as a flag, is the same double); StrictMath for JDKs. */
    private static double round3(double p) {
        return StrictMath.floor(p * 1000.0) / 1000.0;
    }
}
