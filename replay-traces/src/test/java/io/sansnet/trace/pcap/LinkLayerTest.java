package io.sansnet.trace.pcap;

import static io.sansnet.trace.pcap.CaptureBytes.concat;
import static io.sansnet.trace.pcap.CaptureBytes.ipv4Udp;
import static io.sansnet.trace.pcap.CaptureBytes.ipv6Udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Link-layer headers written out by hand, as captured on real interfaces. */
class LinkLayerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] V4 = ipv4Udp(4, 1);
    private static final byte[] V6 = ipv6Udp(4);

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    private static LinkLayer.Decoded.Ip ip(LinkLayer.Decoded d) {
        assertThat(d).isInstanceOf(LinkLayer.Decoded.Ip.class);
        return (LinkLayer.Decoded.Ip) d;
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkType.RAW, LinkType.RAW_DLT_12, LinkType.RAW_DLT_14})
    void rawIpBothVersions(int linkType) {
        assertThat(ip(LinkLayer.decode(linkType, V4)).bytes()).isEqualTo(V4);
        LinkLayer.Decoded.Ip six = ip(LinkLayer.decode(linkType, V6));
        assertThat(six.version()).isEqualTo(6);
        assertThat(six.linkHeaderLength()).isZero();
        assertThat(six.bytes()).isEqualTo(V6);
    }

    @Test
    void rawWithAnotherVersionNibbleIsNotIp() {
        assertThat(LinkLayer.decode(LinkType.RAW, hex("50 00"))).isInstanceOf(LinkLayer.Decoded.NotIp.class);
        assertThat(LinkLayer.decode(LinkType.RAW, new byte[0])).isInstanceOf(LinkLayer.Decoded.Malformed.class);
        assertThat(LinkLayer.decode(LinkType.IPV6, V4)).isInstanceOf(LinkLayer.Decoded.Malformed.class);
        assertThat(ip(LinkLayer.decode(LinkType.IPV4, V4)).version()).isEqualTo(4);
    }

    @Test
    void ethernetPaddingAndFcsAreTrimmed() {
        byte[] small = ipv4Udp(0, 7); // 28 bytes: padded to the 60-byte minimum, then a 4-byte FCS
        byte[] frame = concat(hex("020000000002 020000000001 0800"), small, new byte[18], hex("deadbeef"));
        LinkLayer.Decoded.Ip d = ip(LinkLayer.decode(LinkType.ETHERNET, frame));
        assertThat(d.linkHeaderLength()).isEqualTo(14);
        assertThat(d.bytes()).isEqualTo(small);
    }

    @Test
    void ethernetWith8021qTag() {
        byte[] frame = concat(hex("020000000002 020000000001 8100 0064 86dd"), V6);
        LinkLayer.Decoded.Ip d = ip(LinkLayer.decode(LinkType.ETHERNET, frame));
        assertThat(d.version()).isEqualTo(6);
        assertThat(d.linkHeaderLength()).isEqualTo(18);
        assertThat(d.bytes()).isEqualTo(V6);
    }

    @Test
    void ethernetWith8021adOuterAnd8021qInnerTags() {
        byte[] frame = concat(hex("020000000002 020000000001 88a8 00c8 8100 0064 0800"), V4);
        LinkLayer.Decoded.Ip d = ip(LinkLayer.decode(LinkType.ETHERNET, frame));
        assertThat(d.linkHeaderLength()).isEqualTo(22);
        assertThat(d.bytes()).isEqualTo(V4);
    }

    @Test
    void ethernetNonIp() {
        byte[] arp = hex("ffffffffffff 020000000001 0806 0001 0800 0604 0001");
        assertThat(LinkLayer.decode(LinkType.ETHERNET, arp))
                .isEqualTo(new LinkLayer.Decoded.NotIp("Ethernet frame with EtherType 0x0806"));
        byte[] llc = hex("0180c2000000 020000000001 0026 4242 03");
        assertThat(LinkLayer.decode(LinkType.ETHERNET, llc)).isInstanceOf(LinkLayer.Decoded.NotIp.class);
        assertThat(LinkLayer.decode(LinkType.ETHERNET, hex("0200000000")))
                .isInstanceOf(LinkLayer.Decoded.Malformed.class);
        byte[] cutTag = hex("020000000002 020000000001 8100 00");
        assertThat(LinkLayer.decode(LinkType.ETHERNET, cutTag)).isInstanceOf(LinkLayer.Decoded.Malformed.class);
    }

    @Test
    void tooManyVlanTagsAreRefused() {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i <= LinkLayer.MAX_VLAN_TAGS; i++) {
            tags.append("8100 0001 ");
        }
        byte[] frame = concat(hex("020000000002 020000000001 " + tags + "0800"), V4);
        assertThat(LinkLayer.decode(LinkType.ETHERNET, frame)).isInstanceOf(LinkLayer.Decoded.Malformed.class);
    }

    @Test
    void linuxCookedV1() {
        // packet type 4 (outgoing), ARPHRD_ETHER 1, address length 6, address + 2 pad bytes, protocol IPv4.
        byte[] frame = concat(hex("0004 0001 0006 020000000001 0000 0800"), V4);
        LinkLayer.Decoded.Ip d = ip(LinkLayer.decode(LinkType.LINUX_SLL, frame));
        assertThat(d.linkHeaderLength()).isEqualTo(16);
        assertThat(d.bytes()).isEqualTo(V4);
        // A TUN device: ARPHRD_NONE (0xfffe), no address, protocol IPv6.
        byte[] tun = concat(hex("0000 fffe 0000 0000000000000000 86dd"), V6);
        assertThat(ip(LinkLayer.decode(LinkType.LINUX_SLL, tun)).bytes()).isEqualTo(V6);
        // With a VLAN tag the driver left in place.
        byte[] vlan = concat(hex("0000 0001 0006 020000000001 0000 8100 0005 0800"), V4);
        assertThat(ip(LinkLayer.decode(LinkType.LINUX_SLL, vlan)).linkHeaderLength())
                .isEqualTo(20);
        assertThat(LinkLayer.decode(LinkType.LINUX_SLL, hex("0000 0001 0006")))
                .isInstanceOf(LinkLayer.Decoded.Malformed.class);
    }

    @Test
    void linuxCookedV2() {
        // protocol IPv6, reserved, interface index 3, ARPHRD_ETHER, packet type 0 (to us), address length 6.
        byte[] frame = concat(hex("86dd 0000 00000003 0001 00 06 020000000001 0000"), V6);
        LinkLayer.Decoded.Ip d = ip(LinkLayer.decode(LinkType.LINUX_SLL2, frame));
        assertThat(d.linkHeaderLength()).isEqualTo(20);
        assertThat(d.bytes()).isEqualTo(V6);
        byte[] arp = concat(hex("0806 0000 00000003 0001 00 06 020000000001 0000"), new byte[28]);
        assertThat(LinkLayer.decode(LinkType.LINUX_SLL2, arp)).isInstanceOf(LinkLayer.Decoded.NotIp.class);
    }

    @Test
    void bsdNullInEitherHostByteOrder() {
        byte[] little = concat(hex("02000000"), V4); // AF_INET written by a little-endian host
        byte[] big = concat(hex("00000002"), V4); // ... by a big-endian host
        assertThat(ip(LinkLayer.decode(LinkType.NULL, little)).bytes()).isEqualTo(V4);
        assertThat(ip(LinkLayer.decode(LinkType.NULL, big)).bytes()).isEqualTo(V4);
        for (String af6 : new String[] {"18000000", "1c000000", "1e000000", "0000001e"}) { // 24, 28, 30
            LinkLayer.Decoded.Ip d = ip(LinkLayer.decode(LinkType.NULL, concat(hex(af6), V6)));
            assertThat(d.version()).isEqualTo(6);
            assertThat(d.linkHeaderLength()).isEqualTo(4);
        }
        assertThat(LinkLayer.decode(LinkType.NULL, concat(hex("07000000"), V4)))
                .isEqualTo(new LinkLayer.Decoded.NotIp("NULL frame with address family 7"));
    }

    @Test
    void openBsdLoopIsAlwaysBigEndian() {
        assertThat(ip(LinkLayer.decode(LinkType.LOOP, concat(hex("00000002"), V4)))
                        .bytes())
                .isEqualTo(V4);
        assertThat(ip(LinkLayer.decode(LinkType.LOOP, concat(hex("00000018"), V6)))
                        .version())
                .isEqualTo(6);
        assertThat(LinkLayer.decode(LinkType.LOOP, concat(hex("02000000"), V4)))
                .isInstanceOf(LinkLayer.Decoded.NotIp.class);
    }

    @Test
    void unknownLinkTypeIsNotIp() {
        assertThat(LinkLayer.decode(147, V4)).isInstanceOf(LinkLayer.Decoded.NotIp.class);
    }

    @Test
    void capturedPacketDecodesItsOwnLinkType() {
        byte[] frame = concat(hex("0800 0000 00000001 fffe 04 00 0000000000000000"), V4);
        CapturedPacket p = new CapturedPacket(
                1, 0, 0, 0, LinkType.LINUX_SLL2, frame.length, frame.length, Direction.UNKNOWN, frame);
        assertThat(ip(p.decodeIp()).bytes()).isEqualTo(V4);
    }
}
