package io.sansnet.sim.coretest;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Uses the allowed neighbours of the forbidden APIs (a seeded Random, an explicit executor, the current thread,
 * time as a value), so that {@code CoreRulesTest} can show the rule does not report them.
 */
public final class Compliant {
    long later(long nowNanos) {
        return nowNanos + Duration.ofMillis(5).toNanos();
    }

    int seededRandom() {
        return new Random(42).nextInt();
    }

    void seededShuffle(List<Integer> list) {
        Collections.shuffle(list, new Random(1));
    }

    CompletableFuture<Integer> onTheLoop(Executor loop) {
        return CompletableFuture.supplyAsync(() -> 1, loop).thenApplyAsync(x -> x + 1, loop);
    }

    boolean interrupted() {
        return Thread.currentThread().isInterrupted();
    }

    Instant epoch() {
        return Instant.ofEpochSecond(0);
    }
}
