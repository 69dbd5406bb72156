package io.sansnet.trace.pcap;

import static io.sansnet.trace.pcap.CaptureBytes.ipv4Udp;
import static io.sansnet.trace.pcap.CaptureBytes.ipv6Udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Truncated, corrupt and hostile files: packets before the fault, then a typed error naming its offset. */
class CaptureReaderErrorsTest {

    /** A small file of each kind, with the offsets at which its records end. */
    private record Sample(String name, byte[] file, long[] recordEnds) {}

    private static List<Sample> samples() {
        byte[] p1 = ipv4Udp(3, 1);
        byte[] p2 = ipv6Udp(5);
        byte[] p3 = ipv4Udp(0, 3);
        List<Sample> out = new ArrayList<>();
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            CaptureBytes pcap = CaptureBytes.pcap(order, false, LinkType.RAW, 65535);
            long h = pcap.size();
            pcap.record(1, 2, p1, p1.length);
            long e1 = pcap.size();
            pcap.record(3, 4, p2, p2.length);
            long e2 = pcap.size();
            pcap.record(5, 6, p3, p3.length);
            out.add(new Sample("pcap " + order, pcap.bytes(), new long[] {h, e1, e2, pcap.size()}));

            CaptureBytes ng = CaptureBytes.pcapng(order);
            long shb = ng.size();
            ng.idb(LinkType.RAW, 0, "x", 9, null);
            long idb = ng.size();
            ng.epb(0, 1, p1, p1.length, 1);
            long a = ng.size();
            ng.block(0x0BAD, new byte[8]);
            long u = ng.size();
            ng.spb(p2.length, p2);
            long s = ng.size();
            ng.epb(0, 3, p3, p3.length, null);
            out.add(new Sample("pcapng " + order, ng.bytes(), new long[] {shb, idb, a, u, s, ng.size()}));
        }
        return out;
    }

    @Test
    void truncationAtEveryOffsetKeepsEarlierPacketsAndNamesAnOffset() {
        for (Sample s : samples()) {
            CaptureReader.Capture whole = CaptureReader.readAll(s.file());
            assertThat(whole.error()).as(s.name()).isEmpty();
            for (int c0 = 0; c0 < s.file().length; c0++) {
                final int cut = c0;
                CaptureReader.Capture c = CaptureReader.readAll(Arrays.copyOf(s.file(), cut));
                // Packets are exactly those whose records end at or before the cut.
                int complete = 0;
                for (CapturedPacket p : whole.packets()) {
                    long end = recordEnd(s, p.fileOffset());
                    if (end <= cut) {
                        complete++;
                    }
                }
                String where = s.name() + " cut at " + cut;
                assertThat(c.packets()).as(where).isEqualTo(whole.packets().subList(0, complete));
                boolean atBoundary = cut > 0 && Arrays.stream(s.recordEnds()).anyMatch(e -> e == cut);
                if (atBoundary) {
                    assertThat(c.error()).as(where).isEmpty();
                } else {
                    assertThat(c.error()).as(where).get().isInstanceOf(TraceError.Truncated.class);
                    TraceError e = c.error().get();
                    assertThat(e.offset()).as(where).isLessThanOrEqualTo(cut);
                    assertThat(e.message()).as(where).contains("byte offset " + e.offset());
                    long lastBoundary = Arrays.stream(s.recordEnds())
                            .filter(x -> x <= cut)
                            .max()
                            .orElse(0);
                    assertThat(e.offset()).as(where).isEqualTo(lastBoundary);
                }
            }
        }
    }

    private static long recordEnd(Sample s, long start) {
        return Arrays.stream(s.recordEnds()).filter(e -> e > start).min().orElseThrow();
    }

    @Test
    void emptyAndUnknownFiles() {
        assertThat(CaptureReader.readAll(new byte[0]).error())
                .get()
                .isEqualTo(new TraceError.Truncated(0, "capture file header", 24, 0));
        TraceError unknown =
                CaptureReader.readAll("GET / HTTP/1.1\r\n".getBytes()).error().orElseThrow();
        assertThat(unknown).isEqualTo(new TraceError.UnknownFormat(0, 0x47455420L));
        assertThat(unknown.message()).contains("0x47455420");
    }

    @Test
    void absurdPcapRecordLengthIsRefusedNotAllocated() {
        byte[] p = ipv4Udp(1, 1);
        CaptureBytes b = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkType.RAW, 65535)
                .record(1, 0, p, p.length);
        long badAt = b.size();
        byte[] header = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(2)
                .putInt(0)
                .putInt(0xFFFFFFF0)
                .putInt(0xFFFFFFF0)
                .array();
        byte[] file = b.raw(header).raw(new byte[100]).bytes();

        CaptureReader.Capture c = CaptureReader.readAll(file);

        assertThat(c.packets()).hasSize(1);
        assertThat(c.error())
                .get()
                .isEqualTo(new TraceError.LimitExceeded(
                        badAt,
                        "pcap record captured length",
                        0xFFFFFFF0L,
                        ReaderLimits.DEFAULT_MAX_RECORD_BYTES,
                        "maxRecordBytes"));
    }

    @Test
    void lengthUnderTheLimitButPastTheEndIsTruncatedWithoutAllocatingIt() {
        // Claims 200 MiB, has 10 bytes: reported as truncated; the reader only buffers what arrives.
        byte[] header = ByteBuffer.allocate(16)
                .order(ByteOrder.BIG_ENDIAN)
                .putInt(2)
                .putInt(0)
                .putInt(200 << 20)
                .putInt(200 << 20)
                .array();
        byte[] file = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, LinkType.RAW, 65535)
                .raw(header)
                .raw(new byte[10])
                .bytes();
        CountingStream in = new CountingStream(file);

        CaptureReader.Capture c = CaptureReader.readAll(in, ReaderLimits.DEFAULT);

        assertThat(c.error()).get().isEqualTo(new TraceError.Truncated(24, "pcap record", 16 + (200L << 20), 26));
    }

    @Test
    void configuredLimitAppliesToPcapngBlocks() {
        byte[] big = new byte[5000];
        big[0] = 0x45;
        byte[] file = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.RAW, 0, null, null, null)
                .epb(0, 1, ipv4Udp(1, 1), 29, null)
                .epb(0, 2, big, big.length, null)
                .bytes();

        CaptureReader.Capture ok = CaptureReader.readAll(file);
        CaptureReader.Capture limited = CaptureReader.readAll(file, ReaderLimits.DEFAULT.withMaxRecordBytes(4096));

        assertThat(ok.error()).isEmpty();
        assertThat(ok.packets()).hasSize(2);
        assertThat(limited.packets()).hasSize(1);
        assertThat(limited.error()).get().isInstanceOf(TraceError.LimitExceeded.class);
        assertThat(limited.error().get().message()).contains("maxRecordBytes=4096");
    }

    @Test
    void interfaceCountLimit() {
        CaptureBytes b = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 5; i++) {
            b.idb(LinkType.RAW, 0, null, null, null);
        }
        CaptureReader.Capture c = CaptureReader.readAll(b.bytes(), ReaderLimits.DEFAULT.withMaxInterfaces(4));
        assertThat(c.interfaces()).hasSize(4);
        assertThat(c.error()).get().isInstanceOf(TraceError.LimitExceeded.class);
        assertThat(c.error().get().message()).contains("maxInterfaces=4");
    }

    @Test
    void pcapngFramingErrors() {
        CaptureBytes good = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN).idb(LinkType.RAW, 0, null, null, null);
        int at = good.size();
        byte[] base = good.bytes();

        // Trailing length differs from the leading one.
        byte[] mismatch = CaptureBytes.concat(base, le(0x0BAD, 16, 0, 20));
        assertThat(CaptureReader.readAll(mismatch).error().orElseThrow())
                .isInstanceOf(TraceError.Corrupt.class)
                .extracting(TraceError::offset)
                .isEqualTo((long) at);
        // Not a multiple of 4.
        byte[] odd = CaptureBytes.concat(base, le(0x0BAD, 13, 0, 0));
        assertThat(CaptureReader.readAll(odd).error().orElseThrow().message()).contains("not a multiple of 4");
        // Below the minimum.
        byte[] small = CaptureBytes.concat(base, le(0x0BAD, 8, 8));
        assertThat(CaptureReader.readAll(small).error().orElseThrow().message()).contains("below the minimum");
        // Section header with a bad byte-order magic.
        byte[] bom = CaptureBytes.concat(base, le(0x0A0D0D0A, 28, 0x11223344, 1, 0, 0, 28));
        assertThat(CaptureReader.readAll(bom).error().orElseThrow().message()).contains("0x44332211");
        // Captured length past the block's data area.
        byte[] caplen = CaptureBytes.concat(base, le(6, 36, 0, 0, 0, 100, 100, 0, 36));
        assertThat(CaptureReader.readAll(caplen).error().orElseThrow().message())
                .contains("captured length 100 exceeds");
        // An option running past its block.
        byte[] option = CaptureBytes.concat(base, le(1, 24, 1, 0, 0x00400002, 24));
        assertThat(CaptureReader.readAll(option).error().orElseThrow().message())
                .contains("option 2 of length 64");
        // A timestamp beyond 2262 in nanoseconds.
        CaptureBytes far = CaptureBytes.pcapng(ByteOrder.LITTLE_ENDIAN).idb(LinkType.RAW, 0, null, null, null);
        far.epb(0, -1L, new byte[] {0x45}, 1, null);
        assertThat(CaptureReader.readAll(far.bytes()).error().orElseThrow().message())
                .contains("does not fit");
        // Unsupported version.
        byte[] v2 = le(0x0A0D0D0A, 28, 0x1A2B3C4D, 2, 0, 0, 28);
        assertThat(CaptureReader.readAll(v2).error().orElseThrow().message()).contains("version 2.0");
        // Classic pcap with a major version other than 2.
        byte[] pcap1 = le(0xa1b2c3d4, 1, 0, 0, 65535, 101);
        assertThat(CaptureReader.readAll(pcap1).error().orElseThrow().message()).contains("major version 1");
    }

    @Test
    void ioErrorsBecomeTypedFailures() {
        byte[] p = ipv4Udp(1, 1);
        byte[] file = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkType.RAW, 65535)
                .record(1, 0, p, p.length)
                .record(2, 0, p, p.length)
                .bytes();
        InputStream failing = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos >= 80) {
                    throw new IOException("disk on fire");
                }
                return file[pos++] & 0xFF;
            }
        };

        CaptureReader.Capture c = CaptureReader.readAll(failing, ReaderLimits.DEFAULT);

        assertThat(c.packets()).hasSize(1);
        assertThat(c.error().orElseThrow()).isInstanceOf(TraceError.IoFailure.class);
        assertThat(c.error().orElseThrow().message()).contains("disk on fire");
    }

    /** Little-endian 32-bit words; 16-bit pairs are packed by the caller where needed. */
    private static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    /** Serves a fixed array; fails the test if the reader asks for absurd amounts in one call. */
    private static final class CountingStream extends InputStream {
        private final byte[] data;
        private int pos;

        CountingStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            assertThat(b.length).as("buffer handed to read()").isLessThanOrEqualTo(1 << 20);
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
