package io.sansnet.stack.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.Icmpv4Message;
import io.sansnet.stack.wire.Icmpv6Message;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Fixtures for the host's scripted tests: the lab addresses, packet builders written from the peer's side (they build
 * bytes independently of the host's own output code), and a test-side reassembler.
 */
final class Net {
    static final Ipv4Address HOST4 = Ipv4Address.of("198.18.0.2");
    static final Ipv4Address PEER4 = Ipv4Address.of("198.18.0.1");
    static final Ipv6Address HOST6 = Ipv6Address.of("fd00:5a::2");
    static final Ipv6Address PEER6 = Ipv6Address.of("fd00:5a::1");

    static final long T0 = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    private Net() {}

    static HostConfig config() {
        return HostConfig.builder().ipv4("198.18.0.2/15").ipv6("fd00:5a::2/64").build();
    }

    static Host host() {
        return host(config());
    }

    static Host host(HostConfig c) {
        return new Host(c, new SplitMix64(42));
    }

    /** The peer's side of the link: a host at 198.18.0.1 and (with an MTU of at least 1280) fd00:5a::1. */
    static Host peer(int mtu) {
        HostConfig.Builder b = HostConfig.builder().ipv4("198.18.0.1/15").mtu(mtu);
        if (mtu >= HostConfig.MIN_MTU_V6) {
            b.ipv6("fd00:5a::1/64");
        }
        return new Host(b.build(), new SplitMix64(7));
    }

    // ---------------------------------------------------------------------------------------- IPv4 builders

    static byte[] ipv4(Ipv4Address src, Ipv4Address dst, int protocol, int id, byte[] upper) {
        Ipv4Header h = Ipv4Header.builder(src, dst, protocol)
                .identification(id)
                .payloadLength(upper.length)
                .build();
        return Ipv4Packet.of(h, Bytes.copyOf(upper)).encode();
    }

    static byte[] echo4(int id, int seq, byte[] data) {
        return ipv4(
                PEER4,
                HOST4,
                IpProtocol.ICMP,
                0x1234,
                Icmpv4Message.echoRequest(id, seq, Bytes.copyOf(data)).encode());
    }

    static byte[] udp4(int srcPort, int dstPort, byte[] payload) {
        return udp4(PEER4, HOST4, srcPort, dstPort, payload);
    }

    static byte[] udp4(Ipv4Address src, Ipv4Address dst, int srcPort, int dstPort, byte[] payload) {
        byte[] udp = UdpDatagram.of(srcPort, dstPort, Bytes.copyOf(payload)).encode(new PseudoHeader(src, dst));
        return ipv4(src, dst, IpProtocol.UDP, 0x4321, udp);
    }

    /**
     * One fragment of an unfragmented IPv4 {@code datagram} (20-byte header): its data bytes {@code [from, to)}, with MF
     * as given. Written byte by byte, not with the host's fragmenter.
     */
    static byte[] fragment4(byte[] datagram, int from, int to, boolean more) {
        int hl = (datagram[0] & 0xF) * 4;
        byte[] f = new byte[hl + (to - from)];
        System.arraycopy(datagram, 0, f, 0, hl);
        System.arraycopy(datagram, hl + from, f, hl, to - from);
        put16(f, 2, f.length);
        put16(f, 6, (more ? 0x2000 : 0) | from / 8);
        put16(f, 10, 0);
        put16(f, 10, Checksum.compute(f, 0, hl));
        return f;
    }

    /** The fragments of {@code datagram} cut at the data offsets {@code cuts} (multiples of 8), in order. */
    static List<byte[]> fragments4(byte[] datagram, int... cuts) {
        int dataLength = datagram.length - (datagram[0] & 0xF) * 4;
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int c : cuts) {
            out.add(fragment4(datagram, from, c, true));
            from = c;
        }
        out.add(fragment4(datagram, from, dataLength, false));
        return out;
    }

    // ---------------------------------------------------------------------------------------- IPv6 builders

    static byte[] ipv6(Ipv6Address src, Ipv6Address dst, int nextHeader, byte[] upper) {
        return Ipv6Packet.of(Ipv6Header.of(src, dst, nextHeader, 64, upper.length), nextHeader, Bytes.copyOf(upper))
                .encode();
    }

    /** An IPv6 header naming {@code nextHeader}, followed by {@code rest} as given (extension headers and all). */
    static byte[] ipv6Raw(Ipv6Address src, Ipv6Address dst, int nextHeader, byte[] rest) {
        return concat(Ipv6Header.of(src, dst, nextHeader, 64, rest.length).encode(), rest);
    }

    static byte[] echo6(int id, int seq, byte[] data) {
        return echo6(PEER6, HOST6, id, seq, data);
    }

    static byte[] echo6(Ipv6Address src, Ipv6Address dst, int id, int seq, byte[] data) {
        byte[] icmp = Icmpv6Message.echoRequest(id, seq, Bytes.copyOf(data)).encode(new PseudoHeader(src, dst));
        return ipv6(src, dst, IpProtocol.ICMPV6, icmp);
    }

    static byte[] udp6(int srcPort, int dstPort, byte[] payload) {
        byte[] udp = UdpDatagram.of(srcPort, dstPort, Bytes.copyOf(payload)).encode(new PseudoHeader(PEER6, HOST6));
        return ipv6(PEER6, HOST6, IpProtocol.UDP, udp);
    }

    /**
     * One fragment of an IPv6 {@code packet} without extension headers: bytes {@code [from, to)} of its payload behind
     * a Fragment header with {@code id}, written byte by byte.
     */
    static byte[] fragment6(byte[] packet, int id, int from, int to, boolean more) {
        byte[] f = new byte[40 + 8 + (to - from)];
        System.arraycopy(packet, 0, f, 0, 40);
        put16(f, 4, 8 + (to - from));
        f[6] = (byte) IpProtocol.IPV6_FRAG;
        f[40] = packet[6];
        put16(f, 42, from / 8 << 3 | (more ? 1 : 0));
        f[44] = (byte) (id >>> 24);
        f[45] = (byte) (id >>> 16);
        f[46] = (byte) (id >>> 8);
        f[47] = (byte) id;
        System.arraycopy(packet, 40 + from, f, 48, to - from);
        return f;
    }

    /** The fragments of {@code packet} cut at the payload offsets {@code cuts}, in order. */
    static List<byte[]> fragments6(byte[] packet, int id, int... cuts) {
        int payloadLength = packet.length - 40;
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int c : cuts) {
            out.add(fragment6(packet, id, from, c, true));
            from = c;
        }
        out.add(fragment6(packet, id, from, payloadLength, false));
        return out;
    }

    // ---------------------------------------------------------------------------------------- reading output

    /** Everything the host has to send now. */
    static List<byte[]> drain(Host h, long now) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] b; (b = h.pollTransmit(now)) != null; ) {
            out.add(b);
        }
        return out;
    }

    /** Exactly one packet leaves, which is returned. */
    static byte[] single(Host h, long now) {
        List<byte[]> out = drain(h, now);
        assertThat(out).as("packets sent").hasSize(1);
        return out.get(0);
    }

    static Ipv4Packet parse4(byte[] b) {
        return Ipv4Packet.parse(b, 0, b.length).value();
    }

    static Ipv6Packet parse6(byte[] b) {
        return Ipv6Packet.parse(b, 0, b.length).value();
    }

    /**
     * Test-side IPv4 reassembly of well-formed fragments (any order): the first fragment's header with MF clear and the
     * total length fixed, then the data in offset order.
     */
    static byte[] reassemble4(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(f -> ((f[6] & 0x1F) << 8 | (f[7] & 0xFF)) * 8));
        byte[] first = sorted.get(0);
        int hl = (first[0] & 0xF) * 4;
        int total = hl;
        for (byte[] f : sorted) {
            total += f.length - (f[0] & 0xF) * 4;
        }
        byte[] out = new byte[total];
        System.arraycopy(first, 0, out, 0, hl);
        int pos = hl;
        for (byte[] f : sorted) {
            int fhl = (f[0] & 0xF) * 4;
            int offset = ((f[6] & 0x1F) << 8 | (f[7] & 0xFF)) * 8;
            assertThat(pos - hl).as("fragments contiguous").isEqualTo(offset);
            System.arraycopy(f, fhl, out, pos, f.length - fhl);
            pos += f.length - fhl;
        }
        put16(out, 2, total);
        put16(out, 6, (out[6] & 0x40) << 8); // keep DF, clear MF and offset
        put16(out, 10, 0);
        put16(out, 10, Checksum.compute(out, 0, hl));
        return out;
    }

    /**
     * Test-side IPv6 reassembly of well-formed fragments without other extension headers (any order): the fixed header
     * with the Fragment header's next header, then the data in offset order.
     */
    static byte[] reassemble6(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(f -> u16(f, 42) & ~7));
        int total = 40;
        for (byte[] f : sorted) {
            assertThat(f[6]).as("fragment header follows").isEqualTo((byte) IpProtocol.IPV6_FRAG);
            total += f.length - 48;
        }
        byte[] out = new byte[total];
        System.arraycopy(sorted.get(0), 0, out, 0, 40);
        out[6] = sorted.get(0)[40];
        put16(out, 4, total - 40);
        int pos = 40;
        for (byte[] f : sorted) {
            assertThat(pos - 40).as("fragments contiguous").isEqualTo(u16(f, 42) & ~7);
            System.arraycopy(f, 48, out, pos, f.length - 48);
            pos += f.length - 48;
        }
        return out;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
