package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Ipv6Header;
import io.sansnet.stack.wire.Ipv6Packet;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.pcap.LinkType;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An IPv6 connection replays too: the HTTP corpus trace moved to IPv6 (198.18.0.1 and .2 become fd00:5a::1 and ::2,
 * TCP checksums recomputed over the IPv6 pseudo-header, raw IPv6 frames).
 */
class Ipv6TraceTest {

    private static List<CapturedPacket> asIpv6(List<CapturedPacket> v4) {
        List<CapturedPacket> out = new ArrayList<>();
        for (CapturedPacket p : v4) {
            byte[] b = ((LinkLayer.Decoded.Ip) p.decodeIp()).bytes();
            Ipv4Packet ip = ((Parsed.Ok<Ipv4Packet>) Ipv4Packet.parse(b, 0, b.length)).value();
            byte[] tcp = ip.payload().toArray();
            TcpSegment seg = ((Parsed.Ok<TcpSegment>) TcpSegment.parseUnverified(tcp, 0, tcp.length)).value();
            Ipv6Address src = map(ip.src());
            Ipv6Address dst = map(ip.dst());
            Bytes encoded = Bytes.copyOf(seg.encode(new PseudoHeader(src, dst)));
            byte[] data = Ipv6Packet.of(
                            Ipv6Header.of(src, dst, IpProtocol.TCP, 64, encoded.length()), IpProtocol.TCP, encoded)
                    .encode();
            out.add(new CapturedPacket(
                    p.frameNumber(),
                    p.fileOffset(),
                    p.timestampNanos(),
                    0,
                    LinkType.RAW,
                    data.length,
                    data.length,
                    p.direction(),
                    data));
        }
        return out;
    }

    private static Ipv6Address map(Ipv4Address a) {
        return Ipv6Address.of("fd00:5a::" + (a.bits() & 0xFF));
    }

    @ParameterizedTest
    @EnumSource(DriveMode.class)
    void ipv6ConnectionMatches(DriveMode mode) {
        List<CapturedPacket> trace = asIpv6(Corpus.read("http-tun.pcapng"));
        TraceConnection c = TcpStreamReassembler.of(trace).connections().get(0);
        assertThat(c.client().address()).isInstanceOf(Ipv6Address.class);

        List<DriveResult> r =
                TraceDriver.drive(trace, mode, OptionalInt.empty(), DriveConfig.DEFAULT, Optional.empty());

        assertThat(r).singleElement().isInstanceOf(DriveResult.Matched.class);
        DriveResult.DriveStats s = ((DriveResult.Matched) r.get(0)).stats();
        assertThat(s.bytesDelivered() + s.bytesSent()).isEqualTo(c.clientData().length + c.serverData().length);
    }
}
