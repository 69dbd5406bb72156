package io.sansnet.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An immutable list of header (or trailer) fields in the order received or to be sent (RFC 9110 §5.3: order matters
 * for repeated names). Names keep their raw spelling; lookups ignore ASCII case (RFC 9110 §5.1). Values are the field
 * value with surrounding whitespace removed (RFC 9112 §5), decoded as ISO-8859-1 so every octet, obs-text included,
 * survives unchanged.
 */
public final class Headers {
    /** One field line. */
    public record Field(String name, String value) {}

    /** No fields. */
    public static final Headers EMPTY = new Headers(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;

    /** Trusted: the arrays are already validated and are not shared. */
    Headers(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Builds from alternating names and values: {@code Headers.of("Host", "a", "Content-Length", "5")}.
     *
     * @throws IllegalArgumentException if a name is not a token or a value contains CR, LF, NUL or another control
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("odd number of arguments");
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) b.add(namesAndValues[i], namesAndValues[i + 1]);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    /** The raw name of field {@code i}. */
    public String name(int i) {
        return names[i];
    }

    /** The value of field {@code i}. */
    public String value(int i) {
        return values[i];
    }

    public List<Field> fields() {
        List<Field> out = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) out.add(new Field(names[i], values[i]));
        return Collections.unmodifiableList(out);
    }

    /** The first value of {@code name} (case-insensitive), if any. */
    public Optional<String> first(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(name)) return Optional.of(values[i]);
        return Optional.empty();
    }

    /** Every value of {@code name} (case-insensitive), in order. */
    public List<String> all(String name) {
        if (!contains(name)) return List.of(); // the common case, without allocating
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(name)) out.add(values[i]);
        return out;
    }

    public boolean contains(String name) {
        for (String s : names) if (s.equalsIgnoreCase(name)) return true;
        return false;
    }

    /** How many field lines carry {@code name}. */
    public int count(String name) {
        int n = 0;
        for (String s : names) if (s.equalsIgnoreCase(name)) n++;
        return n;
    }

    /**
     * The elements of every {@code name} field, split at commas, trimmed and lower-cased, empty elements dropped
     * (RFC 9110 §5.6.1: "a recipient MUST parse and ignore a reasonable number of empty list elements"). Only meaningful
     * for list-valued fields such as Connection, Transfer-Encoding, Expect.
     */
    public List<String> tokens(String name) {
        if (!contains(name)) return List.of(); // the common case, without allocating
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equalsIgnoreCase(name)) continue;
            for (String part : values[i].split(",", -1)) {
                String t = Chars.trimOws(part);
                if (!t.isEmpty()) out.add(Chars.lowerAscii(t));
            }
        }
        return out;
    }

    /** Whether the comma-separated list in {@code name} contains {@code token} (ASCII case-insensitive). */
    public boolean hasToken(String name, String token) {
        // Same elements as tokens(name), compared in place: no splitting, no copies.
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equalsIgnoreCase(name)) continue;
            String v = values[i];
            int start = 0;
            while (start <= v.length()) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                int a = start, b = end;
                while (a < b && Chars.isOws(v.charAt(a))) a++;
                while (b > a && Chars.isOws(v.charAt(b - 1))) b--;
                if (b - a == token.length() && equalsAsciiIgnoreCase(v, a, token)) return true;
                start = end + 1;
            }
        }
        return false;
    }

    /** Whether {@code v[from ..]} starts with {@code token}, ASCII letters compared without case (as lowerAscii). */
    private static boolean equalsAsciiIgnoreCase(String v, int from, String token) {
        for (int i = 0; i < token.length(); i++) {
            char x = v.charAt(from + i), y = token.charAt(i);
            if (x >= 'A' && x <= 'Z') x = (char) (x + 32);
            if (y >= 'A' && y <= 'Z') y = (char) (y + 32);
            if (x != y) return false;
        }
        return true;
    }

    /** A copy with one more field at the end. */
    public Headers with(String name, String value) {
        Chars.checkFieldName(name);
        Chars.checkFieldValue(value);
        String[] n = Arrays.copyOf(names, names.length + 1);
        String[] v = Arrays.copyOf(values, values.length + 1);
        n[names.length] = name;
        v[values.length] = value;
        return new Headers(n, v);
    }

    /**
     * A copy with more fields at the end, given as alternating names and values (one copy, however many are added).
     *
     * @throws IllegalArgumentException as {@link Builder#add}, or for an odd number of arguments
     */
    public Headers withAll(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("odd number of arguments");
        int k = namesAndValues.length / 2;
        String[] n = Arrays.copyOf(names, names.length + k);
        String[] v = Arrays.copyOf(values, values.length + k);
        for (int i = 0; i < k; i++) {
            Chars.checkFieldName(namesAndValues[2 * i]);
            Chars.checkFieldValue(namesAndValues[2 * i + 1]);
            n[names.length + i] = namesAndValues[2 * i];
            v[values.length + i] = namesAndValues[2 * i + 1];
        }
        return new Headers(n, v);
    }

    /** A copy without any field called {@code name}. */
    public Headers without(String name) {
        int keep = names.length - count(name);
        if (keep == names.length) return this;
        String[] n = new String[keep];
        String[] v = new String[keep];
        int j = 0;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) continue;
            n[j] = names[i];
            v[j++] = values[i];
        }
        return new Headers(n, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && Arrays.equals(names, h.names) && Arrays.equals(values, h.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(names[i]).append(": ").append(values[i]);
        }
        return sb.append(']').toString();
    }

    /** Collects fields in order; validates each as it is added. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        private Builder() {}

        /**
         * @throws IllegalArgumentException if {@code name} is not a token (RFC 9110 §5.1) or {@code value} holds a
         *     character not allowed in a field value (RFC 9110 §5.5), or has leading or trailing whitespace
         */
        public Builder add(String name, String value) {
            Chars.checkFieldName(name);
            Chars.checkFieldValue(value);
            names.add(name);
            values.add(value);
            return this;
        }

        public Headers build() {
            return new Headers(names.toArray(new String[0]), values.toArray(new String[0]));
        }
    }
}
