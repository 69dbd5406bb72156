package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HttpDateTest {

    @Test
    void formatsTheRfcExample() {
        // RFC 9110 §5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT"
        assertThat(HttpDate.format(784_111_777L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(784_111_777L);
    }

    @Test
    void clfFormat() {
        assertThat(HttpDate.formatClf(784_111_777L)).isEqualTo("[06/Nov/1994:08:49:37 +0000]");
    }

    @Test
    void rejectsOtherForms() {
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(Long.MIN_VALUE);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(Long.MIN_VALUE);
        assertThat(HttpDate.parse("Sun, 06 Xyz 1994 08:49:37 GMT")).isEqualTo(Long.MIN_VALUE);
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 25:49:37 GMT")).isEqualTo(Long.MIN_VALUE);
        assertThat(HttpDate.parse(null)).isEqualTo(Long.MIN_VALUE);
    }

    /** Agrees with java.time (used here only as an oracle) on any second from 1970 to 9999. */
    @Property(tries = 5_000)
    void formatMatchesJavaTimeAndParsesBack(Gen g) {
        long s = g.longBetween(0, 253_402_300_799L);
        String expected = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
                .format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC));
        assertThat(HttpDate.format(s)).isEqualTo(expected);
        assertThat(HttpDate.parse(expected)).isEqualTo(s);
    }
}
