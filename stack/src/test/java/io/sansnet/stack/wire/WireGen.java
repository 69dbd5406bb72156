package io.sansnet.stack.wire;

import io.sansnet.check.Gen;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Generators of valid wire values for the property tests. */
final class WireGen {
    private WireGen() {}

    static Bytes bytes(Gen g, int min, int max) {
        return Bytes.copyOf(g.bytes(min, max));
    }

    static int u16(Gen g) {
        return g.intBetween(0, 0xFFFF);
    }

    static int u32(Gen g) {
        return (int) g.nextLong();
    }

    static Ipv4Address ipv4Address(Gen g) {
        return g.bool() ? new Ipv4Address(0xC6120000 | g.intBetween(0, 0x1FFFF)) : new Ipv4Address(u32(g));
    }

    static Ipv6Address ipv6Address(Gen g) {
        if (g.bool()) {
            return new Ipv6Address(0xfd00005a00000000L, g.intBetween(0, 0xFFFF));
        }
        // Runs of zero groups exercise "::" in the text form.
        long hi = g.bool() ? 0 : g.nextLong();
        long lo = g.bool() ? g.intBetween(0, 0xFFFF) : g.nextLong();
        return new Ipv6Address(g.bool() ? hi & 0xFFFF00000000FFFFL : hi, lo);
    }

    static PseudoHeader pseudoHeader(Gen g, int version) {
        return version == 4
                ? new PseudoHeader(ipv4Address(g), ipv4Address(g))
                : new PseudoHeader(ipv6Address(g), ipv6Address(g));
    }

    static Ipv4Header ipv4Header(Gen g, int payloadLength) {
        int optWords = g.chance(0.3) ? g.intBetween(1, 10) : 0;
        Bytes options = bytes(g, optWords * 4, optWords * 4);
        return Ipv4Header.builder(ipv4Address(g), ipv4Address(g), g.intBetween(0, 255))
                .dscp(g.intBetween(0, 63))
                .ecn(g.intBetween(0, 3))
                .identification(u16(g))
                .dontFragment(g.bool())
                .moreFragments(g.bool())
                .fragmentOffset(g.intBetween(0, 0x1FFF))
                .ttl(g.intBetween(0, 255))
                .options(options)
                .payloadLength(payloadLength)
                .build();
    }

    static Ipv4Packet ipv4Packet(Gen g) {
        Bytes payload = bytes(g, 0, 1500);
        return new Ipv4Packet(ipv4Header(g, payload.length()), payload);
    }

    static Ipv6ExtensionHeader genericExtension(Gen g, int type) {
        int total = type == IpProtocol.AH ? g.intBetween(2, 12) * 4 : g.intBetween(1, 4) * 8;
        return new Ipv6ExtensionHeader.Generic(type, bytes(g, total - 2, total - 2));
    }

    static Ipv6Packet ipv6Packet(Gen g) {
        List<Ipv6ExtensionHeader> exts = new ArrayList<>();
        if (g.chance(0.3)) {
            exts.add(genericExtension(g, IpProtocol.HOPOPT));
        }
        int more = g.intBetween(0, 4);
        List<Integer> types = List.of(
                IpProtocol.IPV6_ROUTE,
                IpProtocol.IPV6_OPTS,
                IpProtocol.AH,
                IpProtocol.MOBILITY,
                IpProtocol.EXPERIMENTAL_1);
        for (int i = 0; i < more; i++) {
            exts.add(genericExtension(g, g.pick(types)));
        }
        int protocol;
        if (g.chance(0.3)) {
            exts.add(new Ipv6ExtensionHeader.Fragment(g.intBetween(0, 0x1FFF), g.bool(), u32(g)));
            protocol = g.intBetween(0, 255); // anything may follow a Fragment header
        } else {
            protocol = g.pick(
                    IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMPV6, IpProtocol.ESP, IpProtocol.IPV6_NONXT, 200);
        }
        Ipv6Header h = new Ipv6Header(
                g.intBetween(0, 255),
                g.intBetween(0, 0xFFFFF),
                0,
                0,
                g.intBetween(0, 255),
                ipv6Address(g),
                ipv6Address(g));
        return Ipv6Packet.of(h, exts, protocol, bytes(g, 0, 1400));
    }

    static Icmpv4Message icmpv4(Gen g) {
        Bytes data = bytes(g, 0, 600);
        return switch (g.intBetween(0, 4)) {
            case 0 -> Icmpv4Message.echoRequest(u16(g), u16(g), data);
            case 1 -> Icmpv4Message.echoReply(u16(g), u16(g), data);
            case 2 -> Icmpv4Message.fragmentationNeeded(u16(g), data);
            case 3 -> Icmpv4Message.timeExceeded(g.intBetween(0, 1), data);
            default -> new Icmpv4Message(g.intBetween(0, 255), g.intBetween(0, 255), 0, u32(g), data);
        };
    }

    static Icmpv6Message icmpv6(Gen g) {
        Bytes data = bytes(g, 0, 1200);
        return switch (g.intBetween(0, 5)) {
            case 0 -> Icmpv6Message.echoRequest(u16(g), u16(g), data);
            case 1 -> Icmpv6Message.echoReply(u16(g), u16(g), data);
            case 2 -> Icmpv6Message.packetTooBig(u32(g), data);
            case 3 -> Icmpv6Message.parameterProblem(g.intBetween(0, 2), u32(g), data);
            case 4 -> Icmpv6Message.destinationUnreachable(g.intBetween(0, 6), data);
            default -> new Icmpv6Message(g.intBetween(0, 255), g.intBetween(0, 255), 0, u32(g), data);
        };
    }

    static UdpDatagram udp(Gen g) {
        return UdpDatagram.of(u16(g), u16(g), bytes(g, 0, 1472));
    }

    static TcpOptions.Unknown unknownOption(Gen g) {
        int kind = g.intBetween(2, 255);
        Bytes data = bytes(g, 0, 10);
        try {
            return new TcpOptions.Unknown(kind, data);
        } catch (IllegalArgumentException wellFormedKnownOption) {
            byte[] longer = new byte[data.length() + 1];
            data.copyTo(longer, 0);
            return new TcpOptions.Unknown(kind, Bytes.copyOf(longer));
        }
    }

    static TcpOptions tcpOptions(Gen g) {
        OptionalInt mss = g.bool() ? OptionalInt.of(u16(g)) : OptionalInt.empty();
        OptionalInt ws = g.bool() ? OptionalInt.of(g.intBetween(0, 255)) : OptionalInt.empty();
        boolean sackPermitted = g.bool();
        Optional<TcpOptions.Timestamps> ts =
                g.bool() ? Optional.of(new TcpOptions.Timestamps(u32(g), u32(g))) : Optional.empty();
        List<TcpOptions.SackBlock> sacks =
                new ArrayList<>(g.listOf(0, 4, x -> new TcpOptions.SackBlock(u32(x), u32(x))));
        List<TcpOptions.Unknown> unknown = new ArrayList<>(g.listOf(0, 3, WireGen::unknownOption));
        while (true) {
            try {
                return new TcpOptions(mss, ws, sackPermitted, ts, sacks, unknown);
            } catch (IllegalArgumentException tooLong) {
                if (!unknown.isEmpty()) {
                    unknown.remove(unknown.size() - 1);
                } else {
                    sacks.remove(sacks.size() - 1);
                }
            }
        }
    }

    static TcpSegment tcpSegment(Gen g) {
        TcpHeader h = TcpHeader.builder(u16(g), u16(g))
                .seq(u32(g))
                .ack(u32(g))
                .flags(g.intBetween(0, 255))
                .window(u16(g))
                .urgentPointer(u16(g))
                .options(g.chance(0.8) ? tcpOptions(g) : TcpOptions.NONE)
                .build();
        return new TcpSegment(h, bytes(g, 0, 1460));
    }
}
