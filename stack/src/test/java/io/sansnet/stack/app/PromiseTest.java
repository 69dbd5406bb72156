package io.sansnet.stack.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

class PromiseTest {

    /** A minimal single-threaded loop: tasks ordered by (time, sequence), run by {@link #drain}. */
    static final class TestLoop implements EventLoop {
        private record Task(long time, long seq, Runnable r, boolean[] cancelled) {}

        private final PriorityQueue<Task> q = new PriorityQueue<>(
                (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
        private long now;
        private long seq;

        @Override
        public long nowNanos() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            boolean[] c = {false};
            q.add(new Task(now + delayNanos, seq++, task, c));
            return () -> {
                boolean was = c[0];
                c[0] = true;
                return !was;
            };
        }

        void drain() {
            for (Task t; (t = q.poll()) != null; ) {
                now = t.time;
                if (!t.cancelled[0]) {
                    t.r.run();
                }
            }
        }
    }

    private final TestLoop loop = new TestLoop();

    @Test
    void callbacksRunOnTheLoopAfterTheCompletingCallReturns() {
        Promise<String> p = loop.newPromise();
        List<String> seen = new ArrayList<>();
        p.onComplete(r -> seen.add("callback " + r.value()));
        assertThat(p.complete("x")).isTrue();
        seen.add("after complete");
        assertThat(seen).containsExactly("after complete");
        loop.drain();
        assertThat(seen).containsExactly("after complete", "callback x");
    }

    @Test
    void aCallbackAddedAfterCompletionStillRunsOnTheLoop() {
        Promise<Integer> p = loop.newPromise();
        p.complete(1);
        List<Integer> seen = new ArrayList<>();
        p.onComplete(r -> seen.add(r.value()));
        assertThat(seen).isEmpty();
        loop.drain();
        assertThat(seen).containsExactly(1);
    }

    @Test
    void theFirstOutcomeWins() {
        Promise<Integer> p = loop.newPromise();
        assertThat(p.fail(new AppError(AppError.Kind.TIMED_OUT, "late"))).isTrue();
        assertThat(p.complete(3)).isFalse();
        assertThat(p.isDone()).isTrue();
        assertThat(p.result().error().kind()).isEqualTo(AppError.Kind.TIMED_OUT);
        assertThatThrownBy(() -> p.result().value()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mapAndFlatMapChainAndPassErrorsThrough() {
        Promise<Integer> p = loop.newPromise();
        AppFuture<String> chained =
                p.map(i -> i * 2).flatMap(i -> loop.sleep(100).map(v -> "v" + i));
        Promise<Integer> bad = loop.newPromise();
        AppFuture<Integer> badChain = bad.map(i -> i + 1);
        p.complete(21);
        bad.fail(new AppError(AppError.Kind.CLOSED, "gone"));
        loop.drain();
        assertThat(chained.result().value()).isEqualTo("v42");
        assertThat(loop.nowNanos()).isEqualTo(100);
        assertThat(badChain.result().error().kind()).isEqualTo(AppError.Kind.CLOSED);
    }

    @Test
    void aPendingPromiseHasNoResult() {
        Promise<Integer> p = loop.newPromise();
        assertThat(p.isDone()).isFalse();
        assertThat(p.result()).isNull();
        assertThat(p.toString()).contains("pending");
    }
}
