package io.sansnet.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ordered log of everything observable in a run, digested as it goes into the determinism fingerprint: SHA-256
 * over, per entry, the virtual time (8 bytes, big-endian), the node name and the kind label (each as a 2-byte length
 * and UTF-8), and the bytes (a 4-byte length and the bytes). Wall time is never part of it.
 */
public final class EventLog {

    private final MessageDigest digest;
    private final List<Consumer<LoggedEvent>> listeners = new ArrayList<>();
    private final Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
    private final byte[] scratch = new byte[8];
    private long entries;

    EventLog() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Every entry from now on is also handed to {@code listener} (for {@code --trace}). */
    public void addListener(Consumer<LoggedEvent> listener) {
        listeners.add(listener);
    }

    void append(long timeNanos, String node, EventKind kind, byte[] bytes) {
        entries++;
        counts.merge(kind, 1L, Long::sum);
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (timeNanos >>> (56 - 8 * i));
        }
        digest.update(scratch, 0, 8);
        putString(node);
        putString(kind.label());
        int n = bytes.length;
        scratch[0] = (byte) (n >>> 24);
        scratch[1] = (byte) (n >>> 16);
        scratch[2] = (byte) (n >>> 8);
        scratch[3] = (byte) n;
        digest.update(scratch, 0, 4);
        digest.update(bytes);
        if (!listeners.isEmpty()) {
            LoggedEvent e = new LoggedEvent(timeNanos, node, kind, bytes);
            for (Consumer<LoggedEvent> l : listeners) {
                l.accept(e);
            }
        }
    }

    private void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        scratch[0] = (byte) (b.length >>> 8);
        scratch[1] = (byte) b.length;
        digest.update(scratch, 0, 2);
        digest.update(b);
    }

    /** Entries logged so far. */
    public long entries() {
        return entries;
    }

    /** Entries of {@code kind} logged so far. */
    public long count(EventKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** The fingerprint of the log so far: the first 16 hex digits of its SHA-256. */
    public String fingerprint() {
        try {
            MessageDigest copy = (MessageDigest) digest.clone();
            byte[] d = copy.digest();
            StringBuilder sb = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
            }
            return sb.toString();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
        }
    }
}
