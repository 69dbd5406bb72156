package io.sansnet.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Handler A = req -> Reply.text(200, "a");
    private static final Handler B = req -> Reply.text(200, "b");
    private static final Handler C = req -> Reply.text(200, "c");

    private final Router router = Router.builder()
            .get("/files/{name}", A)
            .post("/files/{name}", B)
            .get("/static/{rest...}", C)
            .get("/", B)
            .build();

    @Test
    void pathParameterIsPercentDecoded() {
        Router.Match m = router.match("GET", "/files/a%20b.txt");
        assertThat(m).isEqualTo(new Router.Match.Found(A, Map.of("name", "a b.txt")));
    }

    @Test
    void methodSelectsTheRoute() {
        assertThat(((Router.Match.Found) router.match("POST", "/files/x")).handler())
                .isSameAs(B);
    }

    @Test
    void headFallsBackToGet() {
        assertThat(((Router.Match.Found) router.match("HEAD", "/files/x")).handler())
                .isSameAs(A);
    }

    @Test
    void knownPathWithOtherMethodIs405WithAllow() {
        assertThat(router.match("DELETE", "/files/x"))
                .isEqualTo(new Router.Match.MethodNotAllowed(java.util.List.of("GET", "HEAD", "POST")));
    }

    @Test
    void segmentCountMustMatch() {
        assertThat(router.match("GET", "/files/a/b")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match("GET", "/files")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void tailParameterTakesTheRestRaw() {
        assertThat(router.match("GET", "/static/css/a%2Fb.css"))
                .isEqualTo(new Router.Match.Found(C, Map.of("rest", "css/a%2Fb.css")));
        assertThat(router.match("GET", "/static")).isEqualTo(new Router.Match.Found(C, Map.of("rest", "")));
    }

    @Test
    void rootPathMatches() {
        assertThat(((Router.Match.Found) router.match("GET", "/")).handler()).isSameAs(B);
    }

    @Test
    void undecodableParameterIsABadPath() {
        assertThat(router.match("GET", "/files/%zz")).isInstanceOf(Router.Match.BadPath.class);
        assertThat(router.match("GET", "/files/%ff")).isInstanceOf(Router.Match.BadPath.class);
    }

    @Test
    void malformedPatternsAreRefused() {
        assertThatThrownBy(() -> Router.builder().get("files", A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().get("/{}", A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().get("/{a...}/b", A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().get("/a{b}", A)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fallbackTakesUnmatchedPaths() {
        Router r = Router.builder().get("/x", A).fallback(C).build();
        assertThat(((Router.Match.Found) r.match("GET", "/other")).handler()).isSameAs(C);
    }
}
