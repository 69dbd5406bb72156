package io.sansnet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sansnet.stack.app.Datagram;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.host.HostCounters;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6ExtensionHeader;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.UdpDatagram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 and IPv6 fragment reassembly through a whole {@link Host}: the fuzzer's bytes are a script of fragments (built
 * with correct checksums, so they reach the reassembler), raw packets, and the passing of time.
 *
 * <p>Invariants, checked after every step: nothing throws; the memory held for reassembly never exceeds the configured
 * budget, is zero exactly when no datagram is in progress, and the next deadline is in the future after a timeout
 * call; every packet the host sends parses; and a datagram whose fragments all arrive together, when the budget can
 * hold it, is delivered exactly once and intact, whatever the other fragments did before (eviction of the oldest,
 * RFC 815 holes, RFC 5722 overlap drops).
 *
 * <p>Script layout (see {@code fuzz/make-seeds.py}): budget {@code u16 * 16} bytes, timeout {@code u8 % 60 + 1} s, then
 * operations, each an opcode byte {@code % 6} and its arguments: 0 fragment, 1 raw packet, 2 advance time, 3 whole
 * datagram (the oracle), 4 resend the last packet, 5 jump to the next deadline.
 */
class ReassemblyFuzzTest {

    /** Sources of the fuzzer's fragments: 198.18.0.1 .. .4 and fd00:5a::1 .. ::4. */
    private static final int SOURCES = 4;

    private static final Ipv4Address ORACLE4 = Ipv4Address.of(198, 18, 0, 99);
    private static final Ipv6Address ORACLE6 = Ipv6Address.of("fd00:5a::99");
    private static final int PORT = 7;
    private static final int[] PROTOCOLS_V4 = {IpProtocol.ICMP, IpProtocol.UDP, IpProtocol.TCP, 253};
    private static final int[] PROTOCOLS_V6 = {IpProtocol.ICMPV6, IpProtocol.UDP, IpProtocol.TCP, 253};

    @FuzzTest
    void ipv4Reassembly(byte[] input) {
        new Run(new FuzzInput(input), 4).run();
    }

    @FuzzTest
    void ipv6Reassembly(byte[] input) {
        new Run(new FuzzInput(input), 6).run();
    }

    /** One script against one host. */
    private static final class Run {
        private final FuzzInput in;
        private final int version;
        private final long budget;
        private final long timeoutNanos;
        private final Host host;
        private final List<Datagram> delivered = new ArrayList<>();
        private long now = 1_000_000_000L;
        private byte[] last;
        private int oracleId;

        Run(FuzzInput in, int version) {
            this.in = in;
            this.version = version;
            this.budget = in.u16() * 16L;
            this.timeoutNanos = Duration.ofSeconds(in.u8() % 60 + 1).toNanos();
            HostConfig config = HostConfig.builder()
                    .ipv4(Fixtures.SELF4, 15)
                    .ipv6(Fixtures.SELF6, 64)
                    .reassemblyBudgetBytes(budget)
                    .reassemblyTimeout(Duration.ofNanos(timeoutNanos))
                    .build();
            this.host = new Host(config, new SplitMix64(version));
            assertThat(host.bind(PORT, (socket, d) -> delivered.add(d)).isOk()).isTrue();
        }

        void run() {
            while (in.hasMore()) {
                boolean timerFired = false;
                switch (in.u8() % 6) {
                    case 0 -> send(fragment());
                    case 1 -> raw();
                    case 2 -> {
                        now += in.u16() * 1_000_000L;
                        host.handleTimeout(now);
                        timerFired = true;
                    }
                    case 3 -> oracle();
                    case 4 -> {
                        if (last != null) {
                            send(last);
                        }
                    }
                    default -> {
                        long t = host.pollTimeout();
                        if (t != Host.NO_DEADLINE) {
                            now = Math.max(now, t);
                        }
                        host.handleTimeout(now);
                        timerFired = true;
                    }
                }
                drainAndCheck(timerFired);
            }
        }

        private void send(byte[] packet) {
            last = packet;
            host.receive(packet, now);
        }

        /** A fragment of one of eight datagrams from one of four sources, with the fuzzer's offset, flags and data. */
        private byte[] fragment() {
            int id = in.u8() & 7;
            int source = in.u8() % SOURCES;
            int protocolSel = in.u8() & 3;
            int offsetUnits = in.u16() & 0x1FFF;
            int flags = in.u8();
            boolean more = (flags & 1) != 0;
            byte[] data = in.bytes(in.u16() % 1481);
            if (version == 4) {
                Ipv4Header h = Ipv4Header.builder(
                                Ipv4Address.of(198, 18, 0, 1 + source), Fixtures.SELF4, PROTOCOLS_V4[protocolSel])
                        .identification(id)
                        .moreFragments(more)
                        .dontFragment((flags & 2) != 0)
                        .fragmentOffset(offsetUnits)
                        .options((flags & 4) != 0 ? Bytes.of(1, 1, 1, 0) : Bytes.EMPTY)
                        .payloadLength(data.length)
                        .build();
                return Ipv4Packet.of(h, Bytes.copyOf(data)).encode();
            }
            List<Ipv6ExtensionHeader> exts = new ArrayList<>();
            if ((flags & 4) != 0) {
                exts.add(new Ipv6ExtensionHeader.Generic(IpProtocol.HOPOPT, Bytes.of(1, 4, 0, 0, 0, 0)));
            }
            exts.add(new Ipv6ExtensionHeader.Fragment(offsetUnits, more, id));
            Ipv6Header h = Ipv6Header.of(source6(source), Fixtures.SELF6, 0, 64, 0);
            return Ipv6Packet.of(h, exts, PROTOCOLS_V6[protocolSel], Bytes.copyOf(data))
                    .encode();
        }

        private static Ipv6Address source6(int i) {
            return new Ipv6Address(Fixtures.PEER6.hi(), Fixtures.PEER6.lo() + i);
        }

        /** Any bytes as a packet, except a valid one from the oracle's source (which would break its expectation). */
        private void raw() {
            byte[] b = in.bytes(in.u16() % 1600);
            Parsed<IpPacket> p = IpPacket.parse(b, 0, b.length);
            if (p instanceof Parsed.Ok<IpPacket> ok && isOracleSource(ok.value().src())) {
                return;
            }
            send(b);
        }

        private static boolean isOracleSource(IpAddress a) {
            return a.equals(ORACLE4) || a.equals(ORACLE6);
        }

        /**
         * A UDP datagram to the bound port, cut into fragments of the fuzzer's size, sent in the fuzzer's order at one
         * instant. If the budget can hold the whole datagram it must come out once, intact.
         */
        private void oracle() {
            byte[] payload = in.bytes(in.u16() % 3000);
            int chunk = (in.u8() % 32 + 1) * 8;
            int order = in.u8() % 3;
            int id = oracleId++;
            IpAddress src = version == 4 ? ORACLE4 : ORACLE6;
            IpAddress dst = version == 4 ? Fixtures.SELF4 : Fixtures.SELF6;
            byte[] udp = UdpDatagram.of(4000 + id, PORT, Bytes.copyOf(payload)).encode(new PseudoHeader(src, dst));
            List<byte[]> fragments = new ArrayList<>();
            for (int off = 0; off < udp.length; off += chunk) {
                int len = Math.min(chunk, udp.length - off);
                boolean more = off + len < udp.length;
                Bytes data = Bytes.copyOf(udp, off, len);
                if (version == 4) {
                    Ipv4Header h = Ipv4Header.builder(ORACLE4, Fixtures.SELF4, IpProtocol.UDP)
                            .identification(0x8000 | id & 0x7FFF)
                            .moreFragments(more)
                            .fragmentOffset(off / 8)
                            .payloadLength(len)
                            .build();
                    fragments.add(Ipv4Packet.of(h, data).encode());
                } else {
                    Ipv6Header h = Ipv6Header.of(ORACLE6, Fixtures.SELF6, 0, 64, 0);
                    fragments.add(Ipv6Packet.of(
                                    h,
                                    List.of(new Ipv6ExtensionHeader.Fragment(off / 8, more, 0x10000 + id)),
                                    IpProtocol.UDP,
                                    data)
                            .encode());
                }
            }
            List<byte[]> sendOrder = new ArrayList<>();
            switch (order) {
                case 0 -> sendOrder.addAll(fragments);
                case 1 -> {
                    for (int i = fragments.size() - 1; i >= 0; i--) {
                        sendOrder.add(fragments.get(i));
                    }
                }
                default -> {
                    for (int i = 0; i < fragments.size(); i += 2) {
                        sendOrder.add(fragments.get(i));
                    }
                    for (int i = 1; i < fragments.size(); i += 2) {
                        sendOrder.add(fragments.get(i));
                    }
                }
            }
            delivered.clear();
            for (byte[] f : sendOrder) {
                host.receive(f, now);
            }
            // What one datagram can cost the reassembler, generously: its data, a piece and a hole per fragment,
            // its bookkeeping, its headers and the quote kept for an ICMP time exceeded message.
            long need = 2048 + 96L * fragments.size() + udp.length;
            List<Datagram> mine =
                    delivered.stream().filter(d -> isOracleSource(d.source())).toList();
            if (fragments.size() == 1 || budget >= need) {
                assertThat(mine)
                        .as(
                                "datagram of %d bytes in %d fragments (order %d), budget %d",
                                udp.length, fragments.size(), order, budget)
                        .hasSize(1);
                assertThat(mine.get(0).payload()).isEqualTo(Bytes.copyOf(payload));
                assertThat(mine.get(0).sourcePort()).isEqualTo(4000 + id);
            } else {
                assertThat(mine).hasSizeLessThanOrEqualTo(1);
            }
        }

        private void drainAndCheck(boolean timerFired) {
            for (byte[] out; (out = host.pollTransmit(now)) != null; ) {
                Parsed<IpPacket> p = IpPacket.parse(out, 0, out.length);
                assertThat(p.isOk())
                        .as("the host sent a packet that does not parse: %s", p)
                        .isTrue();
            }
            long memory = host.reassemblyMemoryBytes();
            int inProgress = host.reassemblyInProgress();
            assertThat(memory).as("reassembly memory").isBetween(0L, budget);
            assertThat(inProgress).isNotNegative();
            assertThat(memory == 0)
                    .as("memory %d with %d datagrams in progress", memory, inProgress)
                    .isEqualTo(inProgress == 0);
            long deadline = host.pollTimeout();
            if (inProgress == 0) {
                assertThat(deadline).isEqualTo(Host.NO_DEADLINE);
            } else {
                assertThat(deadline).isLessThanOrEqualTo(now + timeoutNanos);
                if (timerFired) {
                    assertThat(deadline).isGreaterThan(now);
                }
            }
            HostCounters counters = host.counters();
            for (HostCounters.Entry e : counters.entries()) {
                assertThat(e.value()).as(e.name()).isNotNegative();
            }
        }
    }
}
