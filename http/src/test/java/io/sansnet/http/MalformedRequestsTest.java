package io.sansnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sansnet.http.testkit.MalformedRequests;
import io.sansnet.http.testkit.MalformedRequests.Malformed;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Acceptance item 3 (codec part): each malformed or smuggling request is refused with its status. */
class MalformedRequestsTest {

    static Stream<Malformed> cases() {
        return MalformedRequests.ALL.stream();
    }

    @Test
    void suiteHasAtLeastSixtyDistinctCases() {
        assertThat(MalformedRequests.ALL).hasSizeGreaterThanOrEqualTo(60);
        assertThat(MalformedRequests.ALL.stream().map(Malformed::name)).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithItsStatusWhenSentWhole(Malformed m) {
        assertRefused(m, m.bytes().length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithItsStatusWhenSentByteByByte(Malformed m) {
        assertRefused(m, 1);
    }

    /** Feeds the request in pieces of {@code step} bytes, draining events after each, until the error comes. */
    private static void assertRefused(Malformed m, int step) {
        HttpConnection server = new HttpConnection(Role.SERVER);
        RemoteProtocolError error = catchThrowableOfType(RemoteProtocolError.class, () -> {
            byte[] b = m.bytes();
            for (int off = 0; off < b.length; off += step) {
                server.receiveData(ByteBuffer.wrap(b, off, Math.min(step, b.length - off)));
                for (HttpEvent ev = server.nextEvent(); !(ev instanceof HttpEvent.NeedData); ev = server.nextEvent()) {
                    assertThat(ev).isNotInstanceOf(HttpEvent.EndOfMessage.class);
                    assertThat(ev).isNotInstanceOf(HttpEvent.Paused.class);
                }
            }
        });
        assertThat(error)
                .as("%s must be refused without waiting for EOF", m.name())
                .isNotNull();
        assertThat(error.statusHint()).as(m.name() + ": " + error.getMessage()).isEqualTo(m.status());
        assertThat(server.theirState()).isEqualTo(HttpState.ERROR);
        // The error sticks: asking again gives the same error, not a different reading of the same bytes.
        assertThat(catchThrowableOfType(RemoteProtocolError.class, server::nextEvent))
                .isSameAs(error);
        // The server can still answer with the hinted status, and that response ends the connection.
        try {
            byte[] head = server.send(new HttpEvent.Response(error.statusHint(), Headers.of("Content-Length", "0")));
            server.send(new HttpEvent.EndOfMessage());
            assertThat(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 " + m.status() + " ")
                    .contains("Connection: close\r\n");
            assertThat(server.ourState()).isEqualTo(HttpState.MUST_CLOSE);
        } catch (LocalProtocolError e) {
            throw new AssertionError("could not send the error response", e);
        }
        assertThat(List.of(HttpState.ERROR)).contains(server.theirState());
    }
}
