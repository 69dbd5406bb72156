package io.sansnet.http;

/** Character classes of RFC 9110 §5.6.2 (token), §5.5 (field-value) and RFC 5234 (VCHAR, HEXDIG). */
final class Chars {
    private Chars() {}

    static final byte CR = '\r', LF = '\n', SP = ' ', HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[256];

    static {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
        // / "~" / DIGIT / ALPHA
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /** VCHAR (0x21-0x7E). */
    static boolean isVchar(int b) {
        int c = b & 0xFF;
        return c >= 0x21 && c <= 0x7E;
    }

    /** RFC 9110 §5.5: field-vchar = VCHAR / obs-text (0x80-0xFF). */
    static boolean isFieldVchar(int b) {
        int c = b & 0xFF;
        return (c >= 0x21 && c <= 0x7E) || c >= 0x80;
    }

    /** A field-value octet: field-vchar, SP or HTAB. Excludes NUL, CR, LF, DEL and the other controls. */
    static boolean isFieldValueOctet(int b) {
        return isFieldVchar(b) || b == SP || b == HTAB;
    }

    static boolean isOws(int b) {
        return b == SP || b == HTAB;
    }

    static int hexValue(int b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !isTchar(c)) return false;
        }
        return true;
    }

    static String trimOws(String s) {
        int a = 0, b = s.length();
        while (a < b && isOws(s.charAt(a))) a++;
        while (b > a && isOws(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }

    static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] cs = s.toCharArray();
                for (int j = i; j < cs.length; j++) if (cs[j] >= 'A' && cs[j] <= 'Z') cs[j] = (char) (cs[j] + 32);
                return new String(cs);
            }
        }
        return s;
    }

    static void checkFieldName(String name) {
        if (!isToken(name)) throw new IllegalArgumentException("field name is not a token: " + name);
    }

    static void checkFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || !isFieldValueOctet(c))
                throw new IllegalArgumentException("invalid character 0x" + Integer.toHexString(c) + " in field value");
        }
        if (!value.isEmpty() && (isOws(value.charAt(0)) || isOws(value.charAt(value.length() - 1))))
            throw new IllegalArgumentException("field value has leading or trailing whitespace");
    }

    /** RFC 9112 §3.2: request-target is sent as visible ASCII only. */
    static boolean isRequestTarget(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!isVchar(s.charAt(i))) return false;
        return true;
    }
}
