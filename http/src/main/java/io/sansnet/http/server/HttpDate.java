package io.sansnet.http.server;

/**
 * HTTP dates (RFC 9110 §5.6.7: IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}) and the Common Log Format's
 * {@code [06/Nov/1994:08:49:37 +0000]}, from epoch seconds, without reading any clock.
 */
public final class HttpDate {
    private HttpDate() {}

    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; // 1970-01-01 was a Thursday
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    /** IMF-fixdate of {@code epochSeconds} (UTC). */
    public static String format(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86_400L);
        long secs = Math.floorMod(epochSeconds, 86_400L);
        long[] ymd = civil(days);
        return DAYS[(int) Math.floorMod(days, 7L)] + ", " + two(ymd[2]) + " " + MONTHS[(int) ymd[1] - 1] + " " + ymd[0]
                + " " + two(secs / 3600) + ":" + two(secs / 60 % 60) + ":" + two(secs % 60) + " GMT";
    }

    /** Common Log Format time of {@code epochSeconds}, brackets included. */
    public static String formatClf(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86_400L);
        long secs = Math.floorMod(epochSeconds, 86_400L);
        long[] ymd = civil(days);
        return "[" + two(ymd[2]) + "/" + MONTHS[(int) ymd[1] - 1] + "/" + ymd[0] + ":" + two(secs / 3600) + ":"
                + two(secs / 60 % 60) + ":" + two(secs % 60) + " +0000]";
    }

    /**
     * Parses an IMF-fixdate; returns epoch seconds or {@link Long#MIN_VALUE} when it is not one. RFC 9110 §5.6.7 also
     * asks recipients to accept the obsolete rfc850 and asctime forms; we do not (an If-Modified-Since we cannot read
     * is ignored, which §13.1.3 allows).
     */
    public static long parse(String s) {
        if (s == null || s.length() != 29) return Long.MIN_VALUE;
        if (s.charAt(3) != ',' || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' ')
            return Long.MIN_VALUE;
        if (s.charAt(16) != ' ' || s.charAt(19) != ':' || s.charAt(22) != ':' || !s.endsWith(" GMT"))
            return Long.MIN_VALUE;
        int day = digits(s, 5, 2), year = digits(s, 12, 4);
        int h = digits(s, 17, 2), m = digits(s, 20, 2), sec = digits(s, 23, 2);
        int month = -1;
        for (int i = 0; i < 12; i++) if (s.startsWith(MONTHS[i], 8)) month = i + 1;
        if (day < 1 || day > 31 || year < 0 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60 || month < 0)
            return Long.MIN_VALUE;
        return daysFromCivil(year, month, day) * 86_400L + h * 3600L + m * 60L + sec;
    }

    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String two(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }

    /** Days since 1970-01-01 to {year, month, day} (H. Hinnant's civil_from_days). */
    private static long[] civil(long z) {
        z += 719_468;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        return new long[] {m <= 2 ? y + 1 : y, m, d};
    }

    /** {year, month, day} to days since 1970-01-01 (days_from_civil). */
    static long daysFromCivil(long y, long m, long d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400L);
        long yoe = y - era * 400;
        long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
