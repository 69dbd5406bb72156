package io.sansnet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.pcap.ReadResult;
import io.sansnet.trace.pcap.ReaderLimits;
import io.sansnet.trace.pcap.TraceError;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture readers on arbitrary files: {@link CaptureReader#next()} returns packets, then exactly one terminal
 * result ({@link ReadResult.End} at the file's length, or a {@link ReadResult.Failure} whose offset lies after every
 * packet delivered), repeated on later calls, and never throws. Each packet's link layer is stripped and its IP
 * packet parsed, neither of which may throw. {@link CaptureReader#readAll} agrees with the loop. The two targets share
 * the harness and differ in their seeds: classic pcap files (both magics, both byte orders, several link types) and
 * pcapng files (several sections and interfaces, enhanced, simple and obsolete packet blocks, options, unknown
 * blocks).
 */
class CaptureFuzzTest {

    /** Small enough that a fuzzer reaches the limit checks, large enough for every seed's packets. */
    private static final ReaderLimits SMALL = new ReaderLimits(4096, 4);

    @FuzzTest
    void pcap(byte[] file) {
        read(file, ReaderLimits.DEFAULT);
        read(file, SMALL);
    }

    @FuzzTest
    void pcapng(byte[] file) {
        read(file, ReaderLimits.DEFAULT);
        read(file, SMALL);
    }

    private static void read(byte[] file, ReaderLimits limits) {
        CaptureReader reader = CaptureReader.of(file, limits);
        List<CapturedPacket> packets = new ArrayList<>();
        ReadResult terminal;
        while (true) {
            ReadResult r = reader.next();
            if (!(r instanceof ReadResult.Packet p)) {
                terminal = r;
                break;
            }
            // Every record takes at least 16 bytes, so a file cannot hold more packets than this.
            assertThat(packets.size()).isLessThan(file.length / 16 + 1);
            check(p.packet(), packets, file, limits);
            packets.add(p.packet());
        }
        assertThat(reader.next()).as("the terminal result repeats").isEqualTo(terminal);
        long lastOffset =
                packets.isEmpty() ? -1 : packets.get(packets.size() - 1).fileOffset();
        if (terminal instanceof ReadResult.End end) {
            assertThat(end.offset()).isEqualTo(file.length);
        } else {
            TraceError e = ((ReadResult.Failure) terminal).error();
            assertThat(e).isNotInstanceOf(TraceError.IoFailure.class);
            assertThat(e.offset()).isGreaterThan(lastOffset).isBetween(0L, (long) file.length);
            assertThat(e.message()).isNotBlank();
        }
        assertThat(reader.format().isPresent() || packets.isEmpty()).isTrue();
        for (CapturedPacket p : packets) {
            assertThat(p.interfaceId()).isBetween(0, reader.interfaces().size() - 1);
        }
        CaptureReader.Capture all = CaptureReader.readAll(file, limits);
        assertThat(all.packets()).isEqualTo(packets);
        assertThat(all.error().isPresent()).isEqualTo(terminal instanceof ReadResult.Failure);
    }

    private static void check(CapturedPacket p, List<CapturedPacket> before, byte[] file, ReaderLimits limits) {
        assertThat(p.frameNumber()).isEqualTo(before.size() + 1L);
        if (!before.isEmpty()) {
            assertThat(p.fileOffset())
                    .isGreaterThan(before.get(before.size() - 1).fileOffset());
        }
        assertThat(p.fileOffset() + p.capturedLength()).isLessThanOrEqualTo(file.length);
        assertThat(p.capturedLength()).isLessThanOrEqualTo(limits.maxRecordBytes());
        p.isTruncated();
        p.toString();
        LinkLayer.Decoded d = p.decodeIp();
        if (d instanceof LinkLayer.Decoded.Ip ip) {
            byte[] b = ip.bytes();
            assertThat(ip.version()).isIn(4, 6);
            assertThat(ip.linkHeaderLength() + b.length).isLessThanOrEqualTo(p.capturedLength());
            IpPacket.parse(b, 0, b.length);
        }
    }
}
