package io.sansnet.sim;

import io.sansnet.stack.fault.SpecParse;
import io.sansnet.stack.fault.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scheduled event of a {@link FaultPlan}: a partition that heals, or a host crash followed by a restart. Text form
 * (the {@code --schedule} flag, comma-separated): {@code partition@forward:1500ms-2s}, {@code crash@server:3s-3500ms},
 * or {@code none}.
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
        String expected = "expected partition@forward|reverse|both:FROM-UNTIL or crash@HOST:FROM-UNTIL";
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
                    Link.Direction d = switch (target) {
                        case "forward" -> Link.Direction.FORWARD;
                        case "reverse" -> Link.Direction.REVERSE;
                        case "both" -> Link.Direction.BOTH;
                        default -> null;
                    };
                    if (d == null) {
                        return SpecParse.err(key, item, expected);
                    }
                    out.add(new Partition(d, f.value(), u.value()));
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
}
