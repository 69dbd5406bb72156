package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IPv6 extension-header walk (RFC 8200 §4) and its limits. */
class Ipv6PacketTest {

    private static final Ipv6Header H =
            Ipv6Header.of(Ipv6Address.of("fd00:5a::1"), Ipv6Address.of("fd00:5a::2"), IpProtocol.UDP, 64, 0);

    private static Ipv6ExtensionHeader opts(int type, int octets) {
        return new Ipv6ExtensionHeader.Generic(type, Bytes.copyOf(new byte[octets - 2]));
    }

    @Test
    void walksHopByHopRoutingDestinationOptionsAndAh() {
        List<Ipv6ExtensionHeader> chain = List.of(
                opts(IpProtocol.HOPOPT, 8),
                opts(IpProtocol.IPV6_ROUTE, 24),
                opts(IpProtocol.AH, 12),
                opts(IpProtocol.IPV6_OPTS, 16));
        Ipv6Packet p = Ipv6Packet.of(H, chain, IpProtocol.UDP, Bytes.of(1, 2, 3));
        byte[] wire = p.encode();
        assertThat(wire[6]).isEqualTo((byte) IpProtocol.HOPOPT);
        assertThat(wire[40]).isEqualTo((byte) IpProtocol.IPV6_ROUTE); // HBH's next header
        assertThat(wire[40 + 8 + 24 + 1]).isEqualTo((byte) 1); // AH length: 12/4 - 2
        Ipv6Packet back = Ipv6Packet.parse(wire, 0, wire.length).value();
        assertThat(back.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(back.payloadOffset()).isEqualTo(40 + 8 + 24 + 12 + 16);
        assertThat(back.payload()).isEqualTo(Bytes.of(1, 2, 3));
        assertThat(back.extensionHeaders()).isEqualTo(chain);
    }

    @Test
    void hopByHopAfterAnotherHeaderIsRejected() {
        Ipv6Packet p = Ipv6Packet.of(H, List.of(opts(IpProtocol.IPV6_OPTS, 8)), IpProtocol.UDP, Bytes.EMPTY);
        byte[] wire = p.encode();
        wire[40] = IpProtocol.HOPOPT; // Destination Options now names a Hop-by-Hop header
        wire = java.util.Arrays.copyOf(wire, wire.length + 8);
        wire[5] += 8;
        ParseError e = Ipv6Packet.parse(wire, 0, wire.length).error();
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_VALUE);
        assertThat(e.field()).isEqualTo("ipv6.next_header");
        assertThat(e.offset()).isEqualTo(40); // RFC 4443 parameter problem pointer material
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Ipv6Packet.of(
                        H, List.of(opts(IpProtocol.IPV6_OPTS, 8), opts(IpProtocol.HOPOPT, 8)), 17, Bytes.EMPTY));
    }

    @Test
    void theChainIsBoundedByTheConfiguredLimit() {
        List<Ipv6ExtensionHeader> chain = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chain.add(opts(IpProtocol.IPV6_OPTS, 8));
        }
        byte[] wire = Ipv6Packet.of(H, chain, IpProtocol.TCP, Bytes.EMPTY).encode();
        ParseError e = Ipv6Packet.parse(wire, 0, wire.length).error();
        assertThat(e.kind()).isEqualTo(ParseError.Kind.LIMIT_EXCEEDED);
        assertThat(e.offset()).isEqualTo(40 + 8 * Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS);
        assertThat(Ipv6Packet.parse(wire, 0, wire.length, 40).value().extensionHeaders())
                .hasSize(40);
    }

    @Test
    void anExtensionHeaderLongerThanThePayloadIsABadLength() {
        byte[] wire = Ipv6Packet.of(H, List.of(opts(IpProtocol.IPV6_ROUTE, 16)), IpProtocol.TCP, Bytes.EMPTY)
                .encode();
        wire[41] = 5; // claims 48 octets, 16 present
        ParseError e = Ipv6Packet.parse(wire, 0, wire.length).error();
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(e.field()).isEqualTo("ipv6.extension_header.length");
        assertThat(e.offset()).isEqualTo(41);
    }

    @Test
    void payloadLengthBeyondTheDataIsABadLengthAndTrailingBytesAreIgnored() {
        byte[] wire = Ipv6Packet.of(H, IpProtocol.UDP, Bytes.of(9, 9)).encode();
        byte[] padded = java.util.Arrays.copyOf(wire, wire.length + 5);
        assertThat(Ipv6Packet.parse(padded, 0, padded.length).value().payload()).isEqualTo(Bytes.of(9, 9));
        ParseError e = Ipv6Packet.parse(wire, 0, wire.length - 1).error();
        assertThat(e.field()).isEqualTo("ipv6.payload_length");
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(Ipv6Packet.parse(wire, 0, 39).error().kind()).isEqualTo(ParseError.Kind.TRUNCATED);
        wire[0] = 0x40;
        assertThat(Ipv6Packet.parse(wire, 0, wire.length).error().kind()).isEqualTo(ParseError.Kind.BAD_VERSION);
    }

    @Test
    void theWalkStopsAtAFragmentHeaderAndReassemblyContinuesIt() {
        // Destination Options in the fragmentable part: inside the fragment data until reassembly (RFC 8200 §4.5)
        Ipv6ExtensionHeader.Fragment frag = new Ipv6ExtensionHeader.Fragment(0, false, 77);
        Ipv6ExtensionHeader dst = opts(IpProtocol.IPV6_OPTS, 8);
        byte[] inner = new byte[8 + 3];
        dst.encodeInto(inner, 0, IpProtocol.UDP);
        inner[8] = 1;
        Ipv6Packet p =
                Ipv6Packet.of(H, List.of(opts(IpProtocol.HOPOPT, 8), frag), IpProtocol.IPV6_OPTS, Bytes.copyOf(inner));
        Ipv6Packet back = Ipv6Packet.parse(p.encode(), 0, p.length()).value();
        assertThat(back.fragment()).contains(frag);
        assertThat(frag.isAtomic()).isTrue();
        assertThat(back.protocol()).isEqualTo(IpProtocol.IPV6_OPTS);
        assertThat(back.payload().length()).isEqualTo(11);

        Ipv6Packet whole = Ipv6Packet.reassemble(back, back.payload()).value();
        assertThat(whole.extensionHeaders()).containsExactly(opts(IpProtocol.HOPOPT, 8), dst);
        assertThat(whole.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(whole.payload()).isEqualTo(Bytes.of(1, 0, 0));
        assertThat(whole.isFragment()).isFalse();
    }

    @Test
    void reassemblyBeyond65535OctetsIsABadLength() {
        Ipv6Packet first =
                Ipv6Packet.of(H, List.of(new Ipv6ExtensionHeader.Fragment(0, true, 1)), IpProtocol.UDP, Bytes.of(0));
        ParseError e =
                Ipv6Packet.reassemble(first, Bytes.copyOf(new byte[65536])).error();
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
    }

    @Test
    void espAndUnknownNextHeadersEndTheWalk() {
        for (int proto : new int[] {IpProtocol.ESP, IpProtocol.IPV6_NONXT, 200}) {
            Ipv6Packet p = Ipv6Packet.of(H, proto, Bytes.of(1, 2, 3, 4));
            Ipv6Packet back = Ipv6Packet.parse(p.encode(), 0, p.length()).value();
            assertThat(back.protocol()).isEqualTo(proto);
            assertThat(back.payload().length()).isEqualTo(4);
        }
    }
}
