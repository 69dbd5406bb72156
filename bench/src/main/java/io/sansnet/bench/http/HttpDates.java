package io.sansnet.bench.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} value (IMF-fixdate, RFC 9110 §5.6.7), formatted at most once a second, for the Netty peer. */
final class HttpDates {
    private HttpDates() {}

    private record Entry(long second, String text) {}

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static volatile Entry entry = new Entry(Long.MIN_VALUE, "");

    static String now() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000L);
        Entry e = entry;
        if (e.second != second) {
            e = new Entry(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            entry = e;
        }
        return e.text;
    }
}
