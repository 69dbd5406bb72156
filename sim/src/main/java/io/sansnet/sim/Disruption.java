package io.sansnet.sim;

import io.sansnet.stack.fault.SpecParse;
import io.sansnet.stack.fault.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scheduled event of a {@link FaultPlan}: a partition that heals, a host crash followed by a restart, or a path MTU
 * change that is undone later. Text form (the {@code --schedule} flag, comma-separated):
 * {@code partition@forward:1500ms-2s}, {@code crash@server:3s-3500ms}, {@code mtu@both=1280:1s-3s}, or {@code none}.
 */
public sealed interface Disruption {

    /** When the disruption starts, in virtual nanoseconds from the start of the run. */
    long fromNanos();

    /** When it ends (heal or restart). */
    long untilNanos();

    /** The text form, parsed back by {@link #parseList}. */
    String format();

    /**
     * A partition of one direction (or both) of the scenario's main link.
     *
     * @param direction {@link Link.Direction#FORWARD} is client to server
     */
    record Partition(Link.Direction direction, long fromNanos, long untilNanos) implements Disruption {
        public Partition {
            check(fromNanos, untilNanos);
        }

        @Override
        public String format() {
            return "partition@" + direction.name().toLowerCase(Locale.ROOT) + ":" + span(fromNanos, untilNanos);
        }
    }

    /** A crash of the host called {@code host}, which restarts with a fresh stack at {@code untilNanos}. */
    record Crash(String host, long fromNanos, long untilNanos) implements Disruption {
        public Crash {
            check(fromNanos, untilNanos);
            if (host.isEmpty() || !host.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                throw new IllegalArgumentException("bad host name '" + host + "'");
            }
        }

        @Override
        public String format() {
            return "crash@" + host + ":" + span(fromNanos, untilNanos);
        }
    }

    /**
     * The MTU of one direction (or both) of the scenario's main link is {@code mtu} from {@code fromNanos} and returns
     * to the plan's MTU at {@code untilNanos}: lower than the plan's, it makes the link drop larger packets and answer
     * them with ICMP "fragmentation needed" / Packet Too Big (see {@link Channel}), so senders must discover the new
     * path MTU (RFC 1191, RFC 8201); the return raises it again. Text form {@code mtu@forward=1280:1s-3s}.
     *
     * @param direction {@link Link.Direction#FORWARD} is client to server
     * @param mtu the MTU in the span, {@link #MIN_MTU}..{@link #MAX_MTU} (the scenarios use IPv6, whose minimum MTU is
     *     1280)
     */
    record MtuChange(Link.Direction direction, int mtu, long fromNanos, long untilNanos) implements Disruption {
        /** The smallest MTU a change may set: IPv6's minimum link MTU (RFC 8200 §5). */
        public static final int MIN_MTU = LinkParams.IPV6_MIN_MTU;
        /** The largest: IPv4's largest datagram. */
        public static final int MAX_MTU = 65535;

        public MtuChange {
            check(fromNanos, untilNanos);
            java.util.Objects.requireNonNull(direction, "direction");
            if (mtu < MIN_MTU || mtu > MAX_MTU) {
                throw new IllegalArgumentException("mtu must be " + MIN_MTU + ".." + MAX_MTU + ": " + mtu);
            }
        }

        @Override
        public String format() {
            return "mtu@" + direction.name().toLowerCase(Locale.ROOT) + "=" + mtu + ":" + span(fromNanos, untilNanos);
        }
    }

    private static void check(long from, long until) {
        if (from < 0 || until < from) {
            throw new IllegalArgumentException("need 0 <= from <= until: " + from + ".." + until);
        }
    }

    private static String span(long from, long until) {
        return Units.formatDuration(from) + "-" + Units.formatDuration(until);
    }

    /** Longest schedule text accepted. */
    int MAX_TEXT_CHARS = 4096;

    /** The text of a list: the disruptions comma-separated, or {@code none}. */
    static String formatList(List<Disruption> list) {
        if (list.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Disruption d : list) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(d.format());
        }
        return sb.toString();
    }

    /** Parses {@link #formatList}'s text; errors name the item at fault. Never throws. */
    static SpecParse<List<Disruption>> parseList(String key, String text) {
        if (text == null || text.length() > MAX_TEXT_CHARS) {
            return SpecParse.err(key, String.valueOf(text), "missing or too long");
        }
        List<Disruption> out = new ArrayList<>();
        if (text.equals("none") || text.isEmpty()) {
            return new SpecParse.Ok<>(out);
        }
        String expected = "expected partition@forward|reverse|both:FROM-UNTIL, crash@HOST:FROM-UNTIL"
                + " or mtu@forward|reverse|both=MTU:FROM-UNTIL";
        for (String item : text.split(",", -1)) {
            int at = item.indexOf('@');
            int colon = item.indexOf(':');
            int dash = item.lastIndexOf('-');
            if (at <= 0 || colon < at || dash < colon) {
                return SpecParse.err(key, item, expected);
            }
            String kind = item.substring(0, at);
            String target = item.substring(at + 1, colon);
            SpecParse<Long> from = Units.durationNanos(key, item.substring(colon + 1, dash));
            SpecParse<Long> until = Units.durationNanos(key, item.substring(dash + 1));
            if (!(from instanceof SpecParse.Ok<Long> f) || !(until instanceof SpecParse.Ok<Long> u)) {
                return SpecParse.err(key, item, "bad duration; " + expected);
            }
            if (u.value() < f.value()) {
                return SpecParse.err(key, item, "ends before it starts");
            }
            try {
                if (kind.equals("partition")) {
                    Link.Direction d = direction(target);
                    if (d == null) {
                        return SpecParse.err(key, item, expected);
                    }
                    out.add(new Partition(d, f.value(), u.value()));
                } else if (kind.equals("mtu")) {
                    int eq = target.indexOf('=');
                    Link.Direction d = eq < 0 ? null : direction(target.substring(0, eq));
                    String n = eq < 0 ? "" : target.substring(eq + 1);
                    if (d == null || n.isEmpty() || n.length() > 5 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        return SpecParse.err(key, item, expected);
                    }
                    out.add(new MtuChange(d, Integer.parseInt(n), f.value(), u.value()));
                } else if (kind.equals("crash")) {
                    out.add(new Crash(target, f.value(), u.value()));
                } else {
                    return SpecParse.err(key, item, expected);
                }
            } catch (IllegalArgumentException e) {
                return SpecParse.err(key, item, e.getMessage());
            }
        }
        return new SpecParse.Ok<>(out);
    }

    private static Link.Direction direction(String text) {
        return switch (text) {
            case "forward" -> Link.Direction.FORWARD;
            case "reverse" -> Link.Direction.REVERSE;
            case "both" -> Link.Direction.BOTH;
            default -> null;
        };
    }
}
