package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.testkit.MalformedRequests;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec's malformed and smuggling cases through the server: each gets its status, then the connection closes. */
class MalformedOverServerTest {

    static List<MalformedRequests.Malformed> cases() {
        return MalformedRequests.ALL;
    }

    /** The routes the suite's statuses assume ({@link MalformedRequests#router()}). */
    static Router router() {
        return MalformedRequests.router();
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
