package io.sansnet.sim;

import java.util.Objects;

/**
 * One entry of the event log: what the fingerprint is computed over and what {@code --trace} writes.
 *
 * @param timeNanos virtual time
 * @param node the host (or link direction, for link events) it happened at
 * @param kind what happened
 * @param bytes the packet (or a note's text); never modified after logging
 */
public record LoggedEvent(long timeNanos, String node, EventKind kind, byte[] bytes) {
    public LoggedEvent {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bytes, "bytes");
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** One trace line: {@code <time ns> <node> <kind> <hex bytes or ->}. */
    public String toTraceLine() {
        StringBuilder sb = new StringBuilder(40 + bytes.length * 2);
        sb.append(timeNanos)
                .append(' ')
                .append(node)
                .append(' ')
                .append(kind.label())
                .append(' ');
        if (bytes.length == 0) {
            sb.append('-');
        }
        for (byte b : bytes) {
            sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoggedEvent e
                && e.timeNanos == timeNanos
                && e.node.equals(node)
                && e.kind == kind
                && java.util.Arrays.equals(e.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeNanos, node, kind, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return toTraceLine();
    }
}
