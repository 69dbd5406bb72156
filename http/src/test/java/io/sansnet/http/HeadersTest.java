package io.sansnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadersTest {
    private final Headers h =
            Headers.of("Accept", "a", "X-Two", "1", "accept", "b", "Connection", "Keep-Alive, , Upgrade");

    @Test
    void lookupIgnoresCaseAndKeepsOrderAndRawNames() {
        assertThat(h.first("ACCEPT")).contains("a");
        assertThat(h.all("accept")).containsExactly("a", "b");
        assertThat(h.count("Accept")).isEqualTo(2);
        assertThat(h.name(2)).isEqualTo("accept");
        assertThat(h.first("Missing")).isEmpty();
    }

    @Test
    void tokensSplitTrimLowerAndDropEmptyElements() {
        assertThat(h.tokens("connection")).containsExactly("keep-alive", "upgrade");
        assertThat(h.hasToken("Connection", "UPGRADE")).isTrue();
    }

    @Test
    void withAndWithoutMakeCopies() {
        Headers h2 = h.without("accept").with("Host", "x");
        assertThat(h2.fields()).extracting(Headers.Field::name).containsExactly("X-Two", "Connection", "Host");
        assertThat(h.size()).isEqualTo(4);
    }

    @Test
    void invalidFieldsAreRefused() {
        assertThatThrownBy(() -> Headers.of("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("X", "a\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("X", " padded")).isInstanceOf(IllegalArgumentException.class);
    }
}
