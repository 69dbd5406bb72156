package io.sansnet.trace.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.tcp.Endpoint;
import io.sansnet.trace.tcp.Side;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Graphs of the committed trace corpus ({@code src/test/resources/traces}). */
class CaptureSequenceGraphsTest {

    static List<CapturedPacket> read(String name) throws IOException {
        try (InputStream in = CaptureSequenceGraphsTest.class.getResourceAsStream("/traces/" + name)) {
            assertThat(in).as(name).isNotNull();
            CaptureReader.Capture c = CaptureReader.readAll(in.readAllBytes());
            assertThat(c.error()).isEmpty();
            return c.packets();
        }
    }

    static CaptureSequenceGraphs.Result graph(String name, int connection, Side side) throws IOException {
        CaptureSequenceGraphs g = new CaptureSequenceGraphs(connection, PlotLimits.DEFAULT);
        for (CapturedPacket p : read(name)) {
            g.accept(p);
        }
        return g.result(side, name);
    }

    /** Segments with payload that {@code sender} sent, counted straight from the packets. */
    static long dataSegmentsFrom(List<CapturedPacket> packets, Endpoint sender) {
        long n = 0;
        for (CapturedPacket p : packets) {
            if (p.decodeIp() instanceof LinkLayer.Decoded.Ip ip
                    && IpPacket.parse(ip.bytes(), 0, ip.bytes().length) instanceof Parsed.Ok<IpPacket> pkt
                    && pkt.value().src().equals(sender.address())) {
                byte[] tcp = pkt.value().payload().toArray();
                if (TcpSegment.parseUnverified(tcp, 0, tcp.length) instanceof Parsed.Ok<TcpSegment> seg
                        && seg.value().header().srcPort() == sender.port()
                        && seg.value().payload().length() > 0) {
                    n++;
                }
            }
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"socat-clean.pcap", "socat-impaired.pcap", "http-any.pcap", "http-tun.pcapng"})
    void theDefaultDirectionIsTheOneWithTheDataAndEverySegmentIsDrawn(String name) throws IOException {
        CaptureSequenceGraphs.Result r = graph(name, 1, null);
        assertThat(r).isInstanceOf(CaptureSequenceGraphs.Result.Found.class);
        CaptureSequenceGraphs.Result.Found f = (CaptureSequenceGraphs.Result.Found) r;
        Side expected = name.startsWith("http") ? Side.SERVER : Side.CLIENT; // curl fetches; socat sends
        assertThat(f.direction()).isEqualTo(expected);
        Endpoint sender = expected == Side.CLIENT
                ? f.connection().client()
                : f.connection().server();
        long segments = dataSegmentsFrom(read(name), sender);
        assertThat(f.dataSegments()).isEqualTo(segments).isPositive();
        Svg svg = Svg.parse(SvgTimeSequence.render(f.graph()));
        assertThat(svg.count("line", "data") + svg.count("line", "retx")).isEqualTo(segments);
        assertThat(svg.count("line", "retx")).isEqualTo(f.retransmissions());
        assertThat(svg.count("line", "sack")).isEqualTo(f.sackBlocks());
        assertThat(svg.count("path", "loss")).isZero(); // a capture does not know the drops
        assertThat(f.graph().primary().label()).contains("bytes in flight");
        assertThat(f.graph().title()).contains(name).contains(sender.toString());
    }

    @Test
    void theImpairedTraceShowsRetransmissionsAndSackBlocksAndTheCleanOneNone() throws IOException {
        CaptureSequenceGraphs.Result.Found impaired =
                (CaptureSequenceGraphs.Result.Found) graph("socat-impaired.pcap", 1, Side.CLIENT);
        assertThat(impaired.retransmissions()).isPositive();
        assertThat(impaired.sackBlocks()).isPositive();
        CaptureSequenceGraphs.Result.Found clean =
                (CaptureSequenceGraphs.Result.Found) graph("socat-clean.pcap", 1, Side.CLIENT);
        assertThat(clean.retransmissions()).isZero();
        assertThat(clean.sackBlocks()).isZero();
        // the last ACK acknowledges every octet and the FIN: 786432 + 1
        List<SequenceGraph.Ack> acks = clean.graph().acks();
        assertThat(acks.get(acks.size() - 1).ack()).isEqualTo(786_432 + 1);
    }

    @Test
    void theOtherDirectionAndAMissingConnection() throws IOException {
        CaptureSequenceGraphs.Result.Found acksOnly =
                (CaptureSequenceGraphs.Result.Found) graph("socat-clean.pcap", 1, Side.SERVER);
        assertThat(acksOnly.dataSegments()).isZero();
        assertThat(Svg.parse(SvgTimeSequence.render(acksOnly.graph())).count("line", "data"))
                .isZero();
        assertThat(graph("socat-clean.pcap", 2, null))
                .isEqualTo(new CaptureSequenceGraphs.Result.NoSuchConnection(2, 1));
    }

    @Test
    void theSameCaptureGivesTheSameSvg() throws IOException {
        String a = SvgTimeSequence.render(
                ((CaptureSequenceGraphs.Result.Found) graph("socat-impaired.pcap", 1, null)).graph());
        String b = SvgTimeSequence.render(
                ((CaptureSequenceGraphs.Result.Found) graph("socat-impaired.pcap", 1, null)).graph());
        assertThat(a).isEqualTo(b);
    }
}
