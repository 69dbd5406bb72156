package io.sansnet.http.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Request paths: percent-decoding (RFC 3986 §2.1) and dot-segment removal (§5.2.4), for untrusted input. */
final class Paths {
    private Paths() {}

    /** Decodes %XX escapes as UTF-8; null when an escape is malformed or the bytes are not UTF-8. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0x7F) {
                return null;
            } else {
                out[n++] = (byte) c;
            }
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The sealed outcome of {@link #normalise}. */
    sealed interface Normalised {
        /** The segments of a path inside the root, none empty, ".", ".." or containing '/', '\\' or NUL. */
        record Inside(List<String> segments) implements Normalised {}

        /** Undecodable, containing NUL or a backslash, or climbing above the root. */
        record Rejected(String reason) implements Normalised {}
    }

    /**
     * Percent-decodes the path, then removes dot segments. Decoding first means {@code %2e%2e} counts as "..", and
     * an encoded '/' cannot smuggle a segment separator past the check.
     */
    static Normalised normalise(String rawPath) {
        String decoded = percentDecode(rawPath);
        if (decoded == null) return new Normalised.Rejected("bad percent-encoding");
        if (decoded.indexOf('\0') >= 0) return new Normalised.Rejected("NUL in path");
        if (decoded.indexOf('\\') >= 0) return new Normalised.Rejected("backslash in path");
        List<String> out = new ArrayList<>();
        for (String seg : decoded.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) {
                if (out.isEmpty()) return new Normalised.Rejected("path climbs above the root");
                out.remove(out.size() - 1);
                continue;
            }
            out.add(seg);
        }
        return new Normalised.Inside(List.copyOf(out));
    }
}
