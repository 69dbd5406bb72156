package io.sansnet.sim.coretest;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Breaks each core rule once, on purpose, so that {@code CoreRulesTest} can show that the rule reports it. Test
 * code only: nothing calls these methods; the rule reads the compiled class.
 */
public final class Violator {
    long nanoTime() {
        return System.nanoTime();
    }

    long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    LongSupplier clockByReference() {
        return System::nanoTime;
    }

    Instant now() {
        return Instant.now();
    }

    int unseededRandom() {
        return new Random().nextInt();
    }

    double mathRandom() {
        return Math.random();
    }

    int threadLocalRandom() {
        return ThreadLocalRandom.current().nextInt();
    }

    void secureRandom(byte[] out) {
        new SecureRandom().nextBytes(out);
    }

    UUID randomUuid() {
        return UUID.randomUUID();
    }

    void shuffle(List<Integer> list) {
        Collections.shuffle(list);
    }

    void sleep() throws InterruptedException {
        Thread.sleep(1);
    }

    void startThread() {
        new Thread(() -> {}).start();
    }

    ExecutorService executor() {
        return Executors.newSingleThreadExecutor();
    }

    ForkJoinPool forkJoin() {
        return ForkJoinPool.commonPool();
    }

    CompletableFuture<Integer> supplyAsync() {
        return CompletableFuture.supplyAsync(() -> 1);
    }

    CompletableFuture<Integer> thenApplyAsync(CompletableFuture<Integer> f) {
        return f.thenApplyAsync(x -> x + 1);
    }

    Socket socket() {
        return new Socket();
    }

    SocketChannel channel() throws IOException {
        return SocketChannel.open();
    }

    Path path() {
        return Path.of("x");
    }

    File file() {
        return new File("x");
    }
}
