package io.sansnet.driver.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.app.UdpSocket;
import io.sansnet.stack.wire.IpAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SocketAppHost} over the loopback addresses 127.0.0.1 and ::1 only. */
class SocketAppHostTest {
    static final IpAddress V4 = IpAddress.of("127.0.0.1");
    static final IpAddress V6 = IpAddress.of("::1");

    @Test
    void udpEchoOverIpv4AndIpv6LoopbackThroughTheAppInterface() throws Exception {
        try (SocketAppHost host = SocketAppHost.startLoopback("lo")) {
            assertThat(host.addresses()).containsExactly(V4, V6);
            CompletableFuture<List<Datagram>> answers = new CompletableFuture<>();
            List<Thread> handlerThreads = Collections.synchronizedList(new ArrayList<>());
            host.execute(() -> {
                UdpSocket echo = host.bindUdp((s, d) -> {
                            handlerThreads.add(Thread.currentThread());
                            assertThat(s.send(
                                                    d.source(),
                                                    d.sourcePort(),
                                                    d.payload().toArray())
                                            .isOk())
                                    .isTrue();
                        })
                        .value();
                List<Datagram> got = new ArrayList<>();
                UdpSocket client = host.bindUdp((s, d) -> {
                            handlerThreads.add(Thread.currentThread());
                            got.add(d);
                            if (got.size() == 2) {
                                answers.complete(List.copyOf(got));
                            }
                        })
                        .value();
                client.send(V4, echo.localPort(), "four".getBytes(StandardCharsets.UTF_8));
                client.send(V6, echo.localPort(), "six".getBytes(StandardCharsets.UTF_8));
            });
            List<Datagram> got = answers.get(10, TimeUnit.SECONDS);
            assertThat(got)
                    .extracting(d -> new String(d.payload().toArray(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("four", "six");
            for (Datagram d : got) {
                String text = new String(d.payload().toArray(), StandardCharsets.UTF_8);
                IpAddress expected = text.equals("four") ? V4 : V6;
                assertThat(d.source()).isEqualTo(expected);
                assertThat(d.destination()).isEqualTo(expected);
                assertThat(d.sourcePort()).isBetween(SocketAppHost.EPHEMERAL_FIRST, SocketAppHost.EPHEMERAL_LAST);
            }
            assertThat(handlerThreads).hasSize(4).allMatch(t -> t.getName().equals("socket-app lo"));
            assertThat(host.callbackErrors()).isZero();
        }
    }

    @Test
    void timersRunInDueOrderThenSchedulingOrderAndNeverEarly() throws Exception {
        try (SocketAppHost host = SocketAppHost.startLoopback("timers")) {
            List<String> fired = new ArrayList<>();
            List<Long> late = new ArrayList<>();
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            host.execute(() -> {
                long t0 = host.nowNanos();
                long ms = 1_000_000L;
                String[] names = {"a30", "b10", "c20", "d10", "e0", "x15", "f40"};
                long[] delays = {30 * ms, 10 * ms, 20 * ms, 10 * ms, 0, 15 * ms, 40 * ms};
                Cancellable[] handles = new Cancellable[names.length];
                for (int i = 0; i < names.length; i++) {
                    String n = names[i];
                    long due = t0 + delays[i];
                    handles[i] = host.schedule(delays[i], () -> {
                        fired.add(n);
                        late.add(host.nowNanos() - due);
                        if (n.equals("f40")) {
                            done.complete(List.copyOf(fired));
                        }
                    });
                }
                assertThat(handles[5].cancel()).isTrue();
                assertThat(handles[5].cancel()).isFalse();
            });
            assertThat(done.get(10, TimeUnit.SECONDS)).containsExactly("e0", "b10", "d10", "c20", "a30", "f40");
            assertThat(late).allMatch(l -> l >= 0, "no timer runs before its due time");
        }
    }

    @Test
    void executeFromOtherThreadsRunsEveryTaskOnTheLoop() throws Exception {
        try (SocketAppHost host = SocketAppHost.startLoopback("exec")) {
            int threads = 4;
            int perThread = 500;
            long[] counter = {0}; // plain field: only the loop touches it
            List<Boolean> onLoop = new ArrayList<>();
            CountDownLatch allQueued = new CountDownLatch(threads);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        host.execute(() -> {
                            counter[0]++;
                            onLoop.add(host.inLoop());
                        });
                    }
                    allQueued.countDown();
                });
                ts.add(th);
                th.start();
            }
            assertThat(allQueued.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Long> total = new CompletableFuture<>();
            host.execute(() -> total.complete(counter[0]));
            assertThat(total.get(10, TimeUnit.SECONDS)).isEqualTo((long) threads * perThread);
            CompletableFuture<List<Boolean>> flags = new CompletableFuture<>();
            host.execute(() -> flags.complete(List.copyOf(onLoop)));
            assertThat(flags.get(10, TimeUnit.SECONDS))
                    .hasSize(threads * perThread)
                    .containsOnly(true);
            // a future from another thread: ping is not available without ICMP sockets
            AppResult<Long> ping = host.await(host.ping(V4, new byte[8], 1_000_000_000L), Duration.ofSeconds(5));
            assertThat(ping.error().kind()).isEqualTo(AppError.Kind.UNSUPPORTED);
        }
    }

    @Test
    void aBoundPortGivesAddressInUse() throws Exception {
        try (SocketAppHost host = SocketAppHost.startLoopback("inuse")) {
            UdpSocket first = host.bindUdp((s, d) -> {}).value(); // from this thread: handed to the loop
            AppResult<UdpSocket> again = host.bindUdp(first.localPort(), (s, d) -> {});
            assertThat(again.isOk()).isFalse();
            assertThat(again.error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
            try (DatagramChannel other = DatagramChannel.open(StandardProtocolFamily.INET6)) {
                other.bind(new InetSocketAddress("::1", 0));
                int port = ((InetSocketAddress) other.getLocalAddress()).getPort();
                AppResult<UdpSocket> taken = host.bindUdp(port, (s, d) -> {});
                assertThat(taken.error().kind()).isEqualTo(AppError.Kind.ADDRESS_IN_USE);
            }
            assertThat(host.bindUdp(0, (s, d) -> {}).error().kind()).isEqualTo(AppError.Kind.INVALID_ARGUMENT);
        }
    }

    @Test
    void closingASocketOrTheHostReleasesItsPorts() throws Exception {
        int port;
        try (SocketAppHost host = SocketAppHost.startLoopback("release")) {
            UdpSocket s = host.bindUdp((x, d) -> {}).value();
            port = s.localPort();
            s.close();
            assertThat(s.isOpen()).isFalse();
            assertThat(s.send(V4, port, new byte[1]).error().kind()).isEqualTo(AppError.Kind.CLOSED);
            UdpSocket again = host.bindUdp(port, (x, d) -> {}).value();
            // close and rebind inside one callback on the loop
            CompletableFuture<AppResult<UdpSocket>> rebound = new CompletableFuture<>();
            host.execute(() -> {
                again.close();
                rebound.complete(host.bindUdp(port, (x, d) -> {}));
            });
            assertThat(rebound.get(10, TimeUnit.SECONDS).isOk()).isTrue();
        }
        // the host is closed: the kernel lets anyone else have the port on both addresses
        try (DatagramChannel c4 = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel c6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            c4.bind(new InetSocketAddress("127.0.0.1", port));
            c6.bind(new InetSocketAddress("::1", port));
            assertThat(((InetSocketAddress) c4.getLocalAddress()).getPort()).isEqualTo(port);
            assertThat(((InetSocketAddress) c6.getLocalAddress()).getPort()).isEqualTo(port);
        }
    }
}
