package io.sansnet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sansnet.stack.tcp.FourTuple;
import io.sansnet.stack.tcp.IsnSource;
import io.sansnet.stack.tcp.TcpConfig;
import io.sansnet.stack.tcp.TcpConnection;
import io.sansnet.stack.tcp.TcpEvent;
import io.sansnet.stack.tcp.TcpState;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The TCP state machine ({@link TcpConnection}) fed arbitrary sequences of well-checksummed segments, timer firings and
 * user calls. Three connections: a listener that only ever sees the fuzzer's segments, and a client and a server that
 * talk to each other through a network the fuzzer controls (it delivers, drops, duplicates and reorders their real
 * segments) while it also injects segments of its own into either, with sequence and acknowledgement numbers near the
 * connection's own so they land in and around the windows.
 *
 * <p>Invariants, after every step: nothing throws (an illegal state change throws inside the connection); the state
 * machine's counters match what the harness did (segments in, segments out); send and receive queues stay within the
 * configured buffers; SND.UNA never passes SND.NXT; a CLOSED or LISTEN connection has no timer armed; {@code Closed} is
 * raised at most once and nothing after it; every segment sent encodes and parses with ports matching the 4-tuple; and
 * the bytes a connection delivers in order are a prefix of what its peer's user sent, unless the fuzzer injected data
 * into it.
 *
 * <p>Script layout (see {@code fuzz/make-seeds.py}): a configuration byte (bit 0 SACK, bit 1 timestamps, bit 2 window
 * scaling, bit 3 NewReno, bit 4 no delay), then operations, each an opcode byte {@code % 10} and its arguments: 0
 * inject a segment, 1 deliver, 2 drop, 3 deliver a duplicate, 4 advance time, 5 jump to the next deadline, 6 send, 7
 * receive, 8 close, 9 abort.
 */
class TcpFuzzTest {

    private static final Ipv4Address CLIENT = Fixtures.SELF4;
    private static final Ipv4Address SERVER = Fixtures.PEER4;
    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 80;
    /** Segments in flight on the fuzzer's network; more are lost (the harness's bound, not the connection's). */
    private static final int MAX_IN_FLIGHT = 64;

    @FuzzTest
    void stateful(byte[] input) {
        new Run(new FuzzInput(input)).run();
    }

    /** One connection and what the harness knows about it. */
    private static final class Endpoint {
        final String name;
        final TcpConnection conn;
        final PseudoHeader toIt;
        final PseudoHeader fromIt;
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        long segmentsIn;
        long segmentsOut;
        boolean userClosed;
        boolean closedRaised;
        boolean injectedData;

        Endpoint(String name, TcpConnection conn) {
            this.name = name;
            this.conn = conn;
            FourTuple t = conn.tuple();
            this.toIt = new PseudoHeader(t.remoteAddress(), t.localAddress());
            this.fromIt = new PseudoHeader(t.localAddress(), t.remoteAddress());
        }
    }

    private record InFlight(int to, TcpSegment segment) {}

    private static final class Run {
        private final FuzzInput in;
        private final TcpConfig config;
        private final Endpoint[] ends = new Endpoint[3];
        private final List<InFlight> network = new ArrayList<>();
        private long now = 1_000_000_000L;

        Run(FuzzInput in) {
            this.in = in;
            int c = in.u8();
            this.config = TcpConfig.builder()
                    .sendBufferBytes(8192)
                    .receiveBufferBytes(8192)
                    .maxOutOfOrderRanges(4)
                    .maxScoreboardRanges(4)
                    .maxSegmentSize(536)
                    .sack((c & 1) != 0)
                    .timestamps((c & 2) != 0)
                    .windowScaling((c & 4) != 0)
                    .congestionControl(
                            (c & 8) != 0 ? TcpConfig.CongestionAlgorithm.NEW_RENO : TcpConfig.CongestionAlgorithm.CUBIC)
                    .noDelay((c & 16) != 0)
                    .build();
            IsnSource isn = new IsnSource() {
                @Override
                public int isn(FourTuple tuple, long nowNanos) {
                    return tuple.localPort() == SERVER_PORT ? 0x7FFFFF00 : 0xFFFFFF00; // both wrap 2^31 or 2^32 soon
                }

                @Override
                public int timestampOffset(FourTuple tuple) {
                    return tuple.localPort() * 1000;
                }
            };
            ends[0] = new Endpoint(
                    "client",
                    TcpConnection.connect(config, new FourTuple(CLIENT, CLIENT_PORT, SERVER, SERVER_PORT), isn, now));
            ends[1] = new Endpoint(
                    "server", TcpConnection.listen(config, new FourTuple(SERVER, SERVER_PORT, CLIENT, 0), isn));
            ends[2] =
                    new Endpoint("listener", TcpConnection.listen(config, new FourTuple(SERVER, 8080, CLIENT, 0), isn));
        }

        void run() {
            settle();
            while (in.hasMore()) {
                switch (in.u8() % 10) {
                    case 0 -> inject();
                    case 1 -> deliver(false);
                    case 2 -> {
                        if (!network.isEmpty()) {
                            network.remove(in.below(network.size()));
                        }
                    }
                    case 3 -> deliver(true);
                    case 4 -> {
                        now += in.u16() * 1_000_000L;
                        timers();
                    }
                    case 5 -> {
                        long next = Long.MAX_VALUE;
                        for (Endpoint e : ends) {
                            next = Math.min(next, e.conn.pollTimeout());
                        }
                        if (next != TcpConnection.NO_DEADLINE) {
                            now = Math.max(now, next);
                        }
                        timers();
                    }
                    case 6 -> send(ends[in.u8() & 1], in.u16() % 12000);
                    case 7 -> receive(ends[in.u8() & 1], in.u16());
                    case 8 -> close(ends[in.u8() % 3]);
                    default -> {
                        Endpoint e = ends[in.u8() % 3];
                        e.userClosed = true;
                        e.conn.abort();
                    }
                }
                settle();
            }
        }

        private void timers() {
            for (Endpoint e : ends) {
                e.conn.handleTimeout(now);
            }
        }

        private void handle(Endpoint e, TcpSegment s) {
            e.segmentsIn++;
            e.conn.handleSegment(s, now);
        }

        /** Delivers (or delivers a copy of) one segment in flight, chosen by the fuzzer. */
        private void deliver(boolean duplicate) {
            if (network.isEmpty()) {
                return;
            }
            int i = in.below(network.size());
            InFlight f = duplicate ? network.get(i) : network.remove(i);
            handle(ends[f.to], f.segment);
        }

        /** A segment of the fuzzer's, near the target's sequence space, through the codec (so it is well-formed). */
        private void inject() {
            Endpoint e = ends[in.u8() % 3];
            TcpStatus s = e.conn.status();
            boolean relative = (in.u8() & 1) == 0;
            int control = in.u8();
            int seq = (relative ? (int) s.rcvNxt() : 0) + (short) in.u16();
            int ack = (relative ? (int) s.sndUna() : 0) + (short) in.u16();
            int window = in.u16();
            int urgent = in.u16();
            int optionBits = in.u8();
            OptionalInt mss = (optionBits & 1) != 0 ? OptionalInt.of(in.u16()) : OptionalInt.empty();
            OptionalInt ws = (optionBits & 2) != 0 ? OptionalInt.of(in.u8()) : OptionalInt.empty();
            Optional<TcpOptions.Timestamps> ts = (optionBits & 8) != 0
                    ? Optional.of(new TcpOptions.Timestamps(in.i32(), in.i32()))
                    : Optional.empty();
            List<TcpOptions.SackBlock> sack = new ArrayList<>();
            int blocks = (optionBits >>> 4 & 7) % (ts.isPresent() ? 3 : 4); // what fits in 40 octets
            for (int b = 0; b < blocks; b++) {
                int left = (int) s.sndUna() + (short) in.u16();
                sack.add(new TcpOptions.SackBlock(left, left + in.u16()));
            }
            TcpOptions options = new TcpOptions(mss, ws, (optionBits & 4) != 0, ts, sack, List.of());
            byte[] payload = in.bytes(in.u16() % 1500);
            FourTuple t = e.conn.tuple();
            TcpHeader h = TcpHeader.builder(t.remotePort() == 0 ? CLIENT_PORT : t.remotePort(), t.localPort())
                    .seq(seq)
                    .ack(ack)
                    .flags(control)
                    .window(window)
                    .urgentPointer(urgent)
                    .options(options)
                    .build();
            byte[] wire = new TcpSegment(h, Bytes.copyOf(payload)).encode(e.toIt);
            Parsed<TcpSegment> parsed = TcpSegment.parse(wire, 0, wire.length, e.toIt);
            assertThat(parsed.isOk())
                    .as("an encoded segment parses: %s", parsed)
                    .isTrue();
            if (payload.length > 0) {
                e.injectedData = true;
            }
            handle(e, parsed.value());
        }

        private void send(Endpoint e, int n) {
            if (e.userClosed || e.conn.state() == TcpState.LISTEN) {
                return; // sending then is API misuse (IllegalStateException), not something a peer can cause
            }
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) (e.sent.size() + i);
            }
            int taken = e.conn.send(data);
            assertThat(taken).isBetween(0, n);
            e.sent.write(data, 0, taken);
        }

        private void receive(Endpoint e, int n) {
            ByteBuffer b = ByteBuffer.allocate(n);
            int got = e.conn.receive(b);
            assertThat(got).isBetween(-1, n);
            if (got > 0) {
                e.received.write(b.array(), 0, got);
            }
        }

        private void close(Endpoint e) {
            e.userClosed = true;
            e.conn.close();
        }

        /** Drains every connection's output and events, then checks the invariants. */
        private void settle() {
            for (int i = 0; i < ends.length; i++) {
                Endpoint e = ends[i];
                for (TcpSegment s; (s = e.conn.pollTransmit(now)) != null; ) {
                    e.segmentsOut++;
                    checkSent(e, s);
                    int to = i == 0 ? 1 : i == 1 ? 0 : -1; // the listener's replies go nowhere
                    if (to >= 0 && network.size() < MAX_IN_FLIGHT) {
                        network.add(new InFlight(to, s));
                    }
                }
                for (TcpEvent ev; (ev = e.conn.pollEvent()) != null; ) {
                    assertThat(e.closedRaised)
                            .as("%s raised %s after Closed", e.name, ev)
                            .isFalse();
                    if (ev instanceof TcpEvent.Closed) {
                        e.closedRaised = true;
                    }
                }
                check(e);
            }
            checkStream(ends[0], ends[1]);
            checkStream(ends[1], ends[0]);
        }

        private void checkSent(Endpoint e, TcpSegment s) {
            FourTuple t = e.conn.tuple();
            assertThat(s.header().srcPort()).as("%s source port", e.name).isEqualTo(t.localPort());
            if (t.remotePort() != 0) {
                assertThat(s.header().dstPort())
                        .as("%s destination port", e.name)
                        .isEqualTo(t.remotePort());
            }
            byte[] wire = s.encode(e.fromIt);
            Parsed<TcpSegment> again = TcpSegment.parse(wire, 0, wire.length, e.fromIt);
            assertThat(again.isOk()).as("%s sent %s: %s", e.name, s, again).isTrue();
            assertThat(s.payload().length())
                    .as("%s segment size", e.name)
                    .isLessThanOrEqualTo(config.sendBufferBytes());
        }

        private void check(Endpoint e) {
            TcpStatus s = e.conn.status();
            assertThat(s.state()).isEqualTo(e.conn.state());
            assertThat(s.counters().segmentsIn()).as("%s segments in", e.name).isEqualTo(e.segmentsIn);
            assertThat(s.counters().segmentsOut()).as("%s segments out", e.name).isEqualTo(e.segmentsOut);
            assertThat(s.sendQueued()).as("%s send queue", e.name).isBetween(0, config.sendBufferBytes());
            assertThat(s.receiveQueued()).as("%s receive queue", e.name).isBetween(0, config.receiveBufferBytes());
            assertThat(e.conn.readable()).isBetween(0, s.receiveQueued());
            assertThat((int) (s.sndNxt() - s.sndUna()))
                    .as("%s SND.NXT - SND.UNA", e.name)
                    .isNotNegative();
            assertThat(s.cwnd()).as("%s cwnd", e.name).isPositive();
            assertThat(s.sendMss()).isPositive();
            if (s.state() == TcpState.CLOSED || s.state() == TcpState.LISTEN) {
                assertThat(e.conn.pollTimeout())
                        .as("%s timer in %s", e.name, s.state())
                        .isEqualTo(TcpConnection.NO_DEADLINE);
            }
        }

        /** What {@code to} delivered in order is what {@code from}'s user sent, as far as it goes. */
        private void checkStream(Endpoint from, Endpoint to) {
            if (to.injectedData) {
                return;
            }
            byte[] got = to.received.toByteArray();
            byte[] sent = from.sent.toByteArray();
            assertThat(got.length)
                    .as("%s received more than %s sent", to.name, from.name)
                    .isLessThanOrEqualTo(sent.length);
            assertThat(Arrays.equals(got, 0, got.length, sent, 0, got.length))
                    .as("%s received bytes %s did not send", to.name, from.name)
                    .isTrue();
        }
    }
}
