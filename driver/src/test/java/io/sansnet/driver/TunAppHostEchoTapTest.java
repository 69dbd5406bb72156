package io.sansnet.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The echo-reply recognition behind {@link TunAppHost#ping} (no root needed): replies built by the stack's own echo
 * responder are found with their identifier and sequence, anything else (requests, corrupted replies, random bytes) is
 * not, and no input throws.
 */
class TunAppHostEchoTapTest {
    private static final Ipv4Address A4 = Ipv4Address.of("198.18.0.1");
    private static final Ipv4Address B4 = Ipv4Address.of("198.18.0.2");
    private static final Ipv6Address A6 = Ipv6Address.of("fd00:5a::1");
    private static final Ipv6Address B6 = Ipv6Address.of("fd00:5a::2");

    @Test
    void theStacksOwnEchoRepliesAreRecognisedAndRequestsAreNot() {
        // the stack (as the kernel would) answers our requests: the tap must see those answers
        Host responder = new Host(
                HostConfig.builder().ipv4("198.18.0.1/15").ipv6("fd00:5a::1/64").build(), new SplitMix64(3));
        byte[] req4 = request4(0x1234, 7, new byte[] {1, 2, 3});
        byte[] req6 = request6(0x4321, 65535, new byte[] {4, 5});
        assertThat(EchoReplyTap.parseEchoReply(req4)).isNull();
        assertThat(EchoReplyTap.parseEchoReply(req6)).isNull();
        responder.receive(req4, 0);
        responder.receive(req6, 0);
        List<byte[]> replies = new ArrayList<>();
        for (byte[] p; (p = responder.pollTransmit(0)) != null; ) {
            replies.add(p);
        }
        assertThat(replies).hasSize(2);
        assertThat(EchoReplyTap.parseEchoReply(replies.get(0)))
                .isEqualTo(new EchoReplyTap.EchoReply(A4, B4, 0x1234, 7));
        assertThat(EchoReplyTap.parseEchoReply(replies.get(1)))
                .isEqualTo(new EchoReplyTap.EchoReply(A6, B6, 0x4321, 65535));
    }

    @Property(tries = 2_000)
    void aFlippedBitIsRejectedAndNoInputThrows(Gen g) {
        boolean v6 = g.bool();
        int ident = g.intBetween(0, 0xFFFF);
        int seq = g.intBetween(0, 0xFFFF);
        byte[] payload = g.bytes(0, 64);
        byte[] reply = v6 ? reply6(ident, seq, payload) : reply4(ident, seq, payload);
        assertThat(EchoReplyTap.parseEchoReply(reply))
                .isEqualTo(
                        v6
                                ? new EchoReplyTap.EchoReply(A6, B6, ident, seq)
                                : new EchoReplyTap.EchoReply(A4, B4, ident, seq));
        // one flipped bit in the ICMP part breaks its checksum (a single-bit error always changes the sum)
        int icmpStart = v6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH;
        byte[] bad = reply.clone();
        int at = g.intBetween(icmpStart, bad.length - 1);
        bad[at] ^= (byte) (1 << g.intBetween(0, 7));
        g.note("flipped at", at);
        EchoReplyTap.EchoReply r = EchoReplyTap.parseEchoReply(bad);
        assertThat(r).isNull();
        // random bytes, and truncations of a real reply: a value or null, never an exception
        EchoReplyTap.parseEchoReply(g.bytes(0, 120));
        byte[] cut = java.util.Arrays.copyOf(reply, g.intBetween(0, reply.length - 1));
        assertThat(EchoReplyTap.parseEchoReply(cut)).isNull();
    }

    private static byte[] request4(int ident, int seq, byte[] payload) {
        return v4(
                B4,
                A4,
                Icmpv4Message.echoRequest(ident, seq, Bytes.copyOf(payload)).encode());
    }

    private static byte[] reply4(int ident, int seq, byte[] payload) {
        return v4(
                A4,
                B4,
                Icmpv4Message.echoReply(ident, seq, Bytes.copyOf(payload)).encode());
    }

    private static byte[] v4(Ipv4Address src, Ipv4Address dst, byte[] icmp) {
        Ipv4Header h = Ipv4Header.builder(src, dst, IpProtocol.ICMP)
                .payloadLength(icmp.length)
                .build();
        return Ipv4Packet.of(h, Bytes.copyOf(icmp)).encode();
    }

    private static byte[] request6(int ident, int seq, byte[] payload) {
        byte[] icmp =
                Icmpv6Message.echoRequest(ident, seq, Bytes.copyOf(payload)).encode(new PseudoHeader(B6, A6));
        return Ipv6Packet.of(
                        Ipv6Header.of(B6, A6, IpProtocol.ICMPV6, 64, icmp.length),
                        IpProtocol.ICMPV6,
                        Bytes.copyOf(icmp))
                .encode();
    }

    private static byte[] reply6(int ident, int seq, byte[] payload) {
        byte[] icmp = Icmpv6Message.echoReply(ident, seq, Bytes.copyOf(payload)).encode(new PseudoHeader(A6, B6));
        return Ipv6Packet.of(
                        Ipv6Header.of(A6, B6, IpProtocol.ICMPV6, 64, icmp.length),
                        IpProtocol.ICMPV6,
                        Bytes.copyOf(icmp))
                .encode();
    }
}
