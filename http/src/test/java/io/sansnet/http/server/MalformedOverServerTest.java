package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.MalformedRequests;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec's malformed and smuggling cases through the server: each gets its status, then the connection closes. */
class MalformedOverServerTest {

    static List<MalformedRequests.Malformed> cases() {
        return MalformedRequests.ALL;
    }

    /**
     * The standard routes plus {@code POST /upload}, which reads the whole body before answering: the suite's body
     * errors (bad chunks, too large) are then found before a response starts, as the expected statuses assume. (A
     * handler that answers at once, like a 404, has its response out before the body is parsed; a body error after
     * that can only close the connection.)
     */
    static Router router() {
        return StandardRoutes.register(
                        Router.builder()
                                .post(
                                        "/upload",
                                        req -> Reply.withBody(
                                                Long.MAX_VALUE, (r, b) -> Reply.text(200, "got " + b.length))),
                        null,
                        1000)
                .build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rejectedWithExpectedStatusThenClosed(MalformedRequests.Malformed m) {
        ServerScript s = new ServerScript(router()).send(m.bytes());
        List<ServerScript.Resp> r = s.responses();
        assertThat(r).as(m.name()).hasSize(1);
        assertThat(r.get(0).status).as(m.name()).isEqualTo(m.status());
        assertThat(s.outputShut).as(m.name()).isTrue();
    }
}
