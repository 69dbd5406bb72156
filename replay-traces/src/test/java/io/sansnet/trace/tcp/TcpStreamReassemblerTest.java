package io.sansnet.trace.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.Direction;
import io.sansnet.trace.pcap.LinkType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted traces: the client 198.18.0.1:40000 talks to the server 198.18.0.2:80. */
class TcpStreamReassemblerTest {
    private static final Ipv4Address CLIENT = Ipv4Address.of(198, 18, 0, 1);
    private static final Ipv4Address SERVER = Ipv4Address.of(198, 18, 0, 2);
    private static final int SYN = TcpFlags.SYN;
    private static final int ACK = TcpFlags.ACK;
    private static final int FIN = TcpFlags.FIN;
    private static final int CISN = 1000;
    private static final int SISN = 5000;

    /** Builds the trace; frame numbers count from 1. */
    private static final class Trace {
        final List<CapturedPacket> packets = new ArrayList<>();
        int clientPort = 40000;

        Trace client(int seq, int flags, String data) {
            return add(true, seq, flags, data.getBytes(StandardCharsets.US_ASCII), false);
        }

        Trace server(int seq, int flags, String data) {
            return add(false, seq, flags, data.getBytes(StandardCharsets.US_ASCII), false);
        }

        int clientIsn = CISN;
        int serverIsn = SISN;

        /** Acknowledges only the peer's SYN, so the ACK says nothing about data. */
        Trace add(boolean fromClient, int seq, int flags, byte[] data, boolean corrupt) {
            if ((flags & SYN) != 0 && fromClient) {
                clientIsn = seq;
            } else if ((flags & SYN) != 0) {
                serverIsn = seq;
            }
            return add(fromClient, seq, (fromClient ? serverIsn : clientIsn) + 1, flags, data, corrupt);
        }

        Trace add(boolean fromClient, int seq, int ack, int flags, byte[] data, boolean corrupt) {
            Ipv4Address src = fromClient ? CLIENT : SERVER;
            Ipv4Address dst = fromClient ? SERVER : CLIENT;
            TcpHeader h = TcpHeader.builder(fromClient ? clientPort : 80, fromClient ? 80 : clientPort)
                    .seq(seq)
                    .ack(ack)
                    .flags(flags)
                    .window(65535)
                    .build();
            byte[] tcp = new TcpSegment(h, Bytes.copyOf(data)).encode(new PseudoHeader(src, dst));
            if (corrupt) {
                tcp[tcp.length - 1] ^= 1;
            }
            byte[] raw = Ipv4Packet.of(
                            Ipv4Header.builder(src, dst, IpProtocol.TCP).build(), Bytes.copyOf(tcp))
                    .encode();
            long frame = packets.size() + 1;
            packets.add(new CapturedPacket(
                    frame, 0, frame * 1000, 0, LinkType.RAW, raw.length, raw.length, Direction.UNKNOWN, raw));
            return this;
        }

        Trace handshake() {
            return client(CISN, SYN, "").server(SISN, SYN | ACK, "").client(CISN + 1, ACK, "");
        }

        TcpStreamReassembler reassemble() {
            return TcpStreamReassembler.of(packets);
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void inOrderConversationWithFins() {
        TcpStreamReassembler r = new Trace()
                .handshake()
                .client(CISN + 1, ACK, "GET / ")
                .client(CISN + 7, ACK, "HTTP/1.1")
                .server(SISN + 1, ACK, "200 OK")
                .client(CISN + 15, FIN | ACK, "")
                .server(SISN + 7, FIN | ACK, "")
                .reassemble();

        assertThat(r.connections()).singleElement().satisfies(c -> {
            assertThat(c.number()).isEqualTo(1);
            assertThat(c.client()).isEqualTo(new Endpoint(CLIENT, 40000));
            assertThat(c.server()).isEqualTo(new Endpoint(SERVER, 80));
            assertThat(c.sawSyn()).isTrue();
            assertThat(text(c.clientData())).isEqualTo("GET / HTTP/1.1");
            assertThat(text(c.serverData())).isEqualTo("200 OK");
            assertThat(c.finished(Side.CLIENT)).isTrue();
            assertThat(c.finished(Side.SERVER)).isTrue();
            assertThat(c.anomalies()).isEmpty();
        });
        assertThat(r.counters().tcpSegments()).isEqualTo(8);
    }

    @Test
    void retransmissionsAndOverlapsKeepTheFirstCopy() {
        TcpStreamReassembler r = new Trace()
                .handshake()
                .client(CISN + 1, ACK, "abcdef")
                .client(CISN + 1, ACK, "abc") // frame 5: full retransmission
                .client(CISN + 4, ACK, "defXYZ") // frame 6: overlaps "def", adds "XYZ"
                .client(CISN + 1, ACK, "Qbc") // frame 7: conflicting retransmission
                .reassemble();

        TraceConnection c = r.connections().get(0);
        assertThat(text(c.clientData())).isEqualTo("abcdefXYZ");
        assertThat(c.anomalies())
                .containsExactly(
                        new StreamAnomaly.Retransmission(5, Side.CLIENT, 0, 3),
                        new StreamAnomaly.Retransmission(7, Side.CLIENT, 0, 3),
                        new StreamAnomaly.ConflictingOverlap(7, Side.CLIENT, 0, 3));
    }

    @Test
    void outOfOrderDataIsHeldUntilTheHoleFills() {
        TcpStreamReassembler r = new Trace()
                .handshake()
                .client(CISN + 6, ACK, "world") // frame 4
                .client(CISN + 11, ACK, "!") // frame 5
                .client(CISN + 1, ACK, "hello")
                .reassemble();

        TraceConnection c = r.connections().get(0);
        assertThat(text(c.clientData())).isEqualTo("helloworld!");
        assertThat(c.anomalies())
                .containsExactly(
                        new StreamAnomaly.OutOfOrder(4, Side.CLIENT, 5, 0),
                        new StreamAnomaly.OutOfOrder(5, Side.CLIENT, 10, 0));
    }

    @Test
    void missingDataStopsTheStreamAndIsReportedAsAGap() {
        TcpStreamReassembler r = new Trace()
                .handshake()
                .client(CISN + 1, ACK, "12345")
                .client(CISN + 11, ACK, "ABCDE")
                .server(SISN + 1, FIN | ACK, "xy")
                .server(SISN + 4, ACK, "late") // frame 7: after the FIN
                .reassemble();

        TraceConnection c = r.connections().get(0);
        assertThat(text(c.clientData())).isEqualTo("12345");
        assertThat(text(c.serverData())).isEqualTo("xy");
        assertThat(c.anomalies())
                .contains(
                        new StreamAnomaly.Gap(5, Side.CLIENT, 5, 5),
                        new StreamAnomaly.DataAfterFin(7, Side.SERVER, 3, 4));
    }

    @Test
    void dataTheCaptureMissedButThePeerAcknowledgedIsAGap() {
        Trace t = new Trace().handshake().client(CISN + 1, ACK, "first");
        // The capture lost the client's next 10 bytes; the server's ACK shows they were sent.
        t.add(false, SISN + 1, CISN + 16, ACK, new byte[0], false);
        TraceConnection c = t.reassemble().connections().get(0);
        assertThat(text(c.clientData())).isEqualTo("first");
        assertThat(c.anomalies()).containsExactly(new StreamAnomaly.Gap(4, Side.CLIENT, 5, 10));
    }

    @Test
    void sequenceNumbersWrapAround() {
        int isn = 0xFFFF_FFF8;
        TcpStreamReassembler r = new Trace()
                .client(isn, SYN, "")
                .server(SISN, SYN | ACK, "")
                .client(isn + 1, ACK, "0123456789")
                .client(isn + 11, ACK, "abcdef")
                .reassemble();
        assertThat(text(r.connections().get(0).clientData())).isEqualTo("0123456789abcdef");
        assertThat(r.connections().get(0).anomalies()).isEmpty();
    }

    @Test
    void aNewSynOnTheSamePortsStartsANewConnection() {
        Trace t = new Trace().handshake().client(CISN + 1, FIN | ACK, "one");
        t.client(CISN, SYN, ""); // a retransmitted SYN of the same connection is no new connection
        t.client(90_000, SYN, "").server(70_000, SYN | ACK, "").client(90_001, ACK, "two");
        t.clientPort = 40001;
        t.handshake().client(CISN + 1, ACK, "three");

        List<TraceConnection> cs = t.reassemble().connections();

        assertThat(cs).extracting(TraceConnection::number).containsExactly(1, 2, 3);
        assertThat(cs).extracting(c -> text(c.clientData())).containsExactly("one", "two", "three");
        assertThat(cs.get(2).client().port()).isEqualTo(40001);
    }

    @Test
    void extractWritesBothStreamsOfEachConnection(@TempDir Path dir) throws IOException {
        Trace t = new Trace().handshake().client(CISN + 1, ACK, "ping").server(SISN + 1, ACK, "pong");
        t.clientPort = 40001;
        t.handshake().client(CISN + 1, ACK, "second");
        t.reassemble().extractTo(dir.resolve("out"));

        assertThat(dir.resolve("out/1.client.bin")).hasContent("ping");
        assertThat(dir.resolve("out/1.server.bin")).hasContent("pong");
        assertThat(dir.resolve("out/2.client.bin")).hasContent("second");
        assertThat(Files.size(dir.resolve("out/2.server.bin"))).isZero();
    }

    @Test
    void captureStartedMidConnection() {
        TcpStreamReassembler r = new Trace()
                .server(SISN + 100, ACK, "tail of a response")
                .client(CISN + 50, ACK, "next request")
                .reassemble();
        TraceConnection c = r.connections().get(0);
        assertThat(c.sawSyn()).isFalse();
        assertThat(c.client()).isEqualTo(new Endpoint(SERVER, 80)); // the first sender
        assertThat(text(c.clientData())).isEqualTo("tail of a response");
        assertThat(text(c.serverData())).isEqualTo("next request");
    }

    @Test
    void badChecksumsAreReportedButTheDataIsKept() {
        Trace t = new Trace().handshake();
        t.add(true, CISN + 1, ACK, "data".getBytes(StandardCharsets.US_ASCII), true);
        TraceConnection c = t.reassemble().connections().get(0);
        assertThat(c.anomalies()).containsExactly(new StreamAnomaly.BadChecksum(4, Side.CLIENT));
        assertThat(c.clientData()).hasSize(4);
    }

    @Test
    void heldBytesAreBounded() {
        Trace t = new Trace().handshake();
        for (int i = 0; i < 10; i++) {
            t.client(CISN + 100 + i * 10, ACK, "0123456789");
        }
        TcpStreamReassembler r = new TcpStreamReassembler(new ReassemblyLimits(10, 35, 1 << 20, 100));
        t.packets.forEach(r::accept);
        r.finish();
        assertThat(r.connections().get(0).anomalies())
                .contains(new StreamAnomaly.LimitReached(8, Side.CLIENT, "maxHeldBytesPerDirection"));
    }

    @Test
    void nonTcpPacketsAreCounted() {
        byte[] udp = Ipv4Packet.of(
                        Ipv4Header.builder(CLIENT, SERVER, IpProtocol.UDP).build(),
                        Bytes.copyOf(new byte[] {0, 7, 0, 7, 0, 8, 0, 0}))
                .encode();
        TcpStreamReassembler r = new TcpStreamReassembler();
        r.accept(new CapturedPacket(1, 0, 0, 0, LinkType.RAW, udp.length, udp.length, Direction.UNKNOWN, udp));
        r.accept(new CapturedPacket(2, 0, 0, 0, LinkType.ETHERNET, 3, 3, Direction.UNKNOWN, new byte[3]));
        assertThat(r.counters()).isEqualTo(new TcpStreamReassembler.Counters(2, 0, 1, 1, 0, 0, 0));
    }

    /** Any segmentation, reordering and duplication of the sent bytes gives back exactly those bytes. */
    @Property(tries = 300)
    void reorderedAndDuplicatedSegmentsReassembleToTheSentBytes(Gen g) {
        byte[] sent = g.bytes(1, 3000);
        int isn = (int) g.nextLong();
        List<int[]> cuts = new ArrayList<>(); // [offset, length]
        for (int off = 0; off < sent.length; ) {
            int len = Math.min(sent.length - off, g.intBetween(1, 700));
            cuts.add(new int[] {off, len});
            off += len;
        }
        List<int[]> order = new ArrayList<>(cuts);
        for (int i = 0; i < cuts.size(); i++) {
            if (g.chance(0.3)) {
                order.add(cuts.get(g.intBetween(0, cuts.size() - 1))); // duplicate
            }
        }
        for (int i = order.size() - 1; i > 0; i--) { // seeded shuffle
            int j = g.intBetween(0, i);
            int[] tmp = order.get(i);
            order.set(i, order.get(j));
            order.set(j, tmp);
        }
        Trace t = new Trace().client(isn, SYN, "").server(SISN, SYN | ACK, "");
        for (int[] cut : order) {
            t.add(true, isn + 1 + cut[0], ACK, Arrays.copyOfRange(sent, cut[0], cut[0] + cut[1]), false);
        }

        TraceConnection c = t.reassemble().connections().get(0);

        assertThat(c.clientData()).isEqualTo(sent);
        assertThat(c.anomalies())
                .noneMatch(a -> a instanceof StreamAnomaly.Gap || a instanceof StreamAnomaly.ConflictingOverlap);
    }
}
