package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the writers write, the reader reads back: every packet, timestamp, interface and direction. */
class WriteReadRoundTripTest {
    private static final List<Integer> LINK_TYPES =
            List.of(LinkType.RAW, LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, 147);

    private record Sent(int iface, long timestampNanos, byte[] data, Direction direction) {}

    @Property(tries = 1_000)
    void pcapRoundTrip(Gen g) throws IOException {
        TimestampPrecision precision = g.pick(TimestampPrecision.values());
        int linkType = g.pick(LINK_TYPES);
        int snap = g.bool() ? PcapWriter.DEFAULT_SNAP_LENGTH : g.intBetween(1, 300);
        List<Sent> sent = g.listOf(
                0,
                20,
                h -> new Sent(
                        0,
                        h.longBetween(0, PcapWriter.MAX_SECONDS * 1_000_000_000L + 999_999_999L),
                        h.bytes(0, 600),
                        null));
        g.note("precision", precision);
        g.note("snap", snap);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = PcapWriter.open(
                out,
                PcapWriter.Options.DEFAULT
                        .withPrecision(precision)
                        .withLinkType(linkType)
                        .withSnapLength(snap));
        for (Sent s : sent) {
            w.write(s.timestampNanos(), s.data());
        }
        w.close();
        CaptureReader.Capture c = CaptureReader.readAll(out.toByteArray());

        assertThat(c.error()).isEmpty();
        assertThat(c.format())
                .contains(
                        precision == TimestampPrecision.NANOSECONDS
                                ? CaptureFormat.PCAP_NANOSECONDS
                                : CaptureFormat.PCAP_MICROSECONDS);
        assertThat(c.interfaces().get(0).linkType()).isEqualTo(linkType);
        assertThat(c.interfaces().get(0).snapLength()).isEqualTo(snap);
        assertThat(c.packets()).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Sent s = sent.get(i);
            CapturedPacket p = c.packets().get(i);
            long expectedTs = precision == TimestampPrecision.NANOSECONDS
                    ? s.timestampNanos()
                    : s.timestampNanos() / 1_000 * 1_000;
            assertThat(p.frameNumber()).isEqualTo(i + 1);
            assertThat(p.timestampNanos()).isEqualTo(expectedTs);
            assertThat(p.data()).isEqualTo(Arrays.copyOf(s.data(), Math.min(snap, s.data().length)));
            assertThat(p.originalLength()).isEqualTo(s.data().length);
            assertThat(p.linkType()).isEqualTo(linkType);
        }
    }

    @Property(tries = 1_000)
    void pcapngRoundTrip(Gen g) throws IOException {
        List<String> names = g.listOf(1, 6, h -> h.pick("", "host-a", "eth0", "ünï", "a".repeat(h.intBetween(1, 70))));
        List<Integer> linkTypes = new ArrayList<>();
        List<Integer> snaps = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = PcapngWriter.open(out, g.pick("sansnet", "", "x"));
        for (String name : names) {
            int lt = g.pick(LINK_TYPES);
            int snap = g.pick(0, PcapngWriter.DEFAULT_SNAP_LENGTH, g.intBetween(1, 200));
            linkTypes.add(lt);
            snaps.add(snap);
            assertThat(w.addInterface(name, lt, snap)).isEqualTo(linkTypes.size() - 1);
        }
        List<Sent> sent = g.listOf(
                0,
                20,
                h -> new Sent(
                        h.intBetween(0, names.size() - 1),
                        h.longBetween(0, Long.MAX_VALUE),
                        h.bytes(0, 600),
                        h.pick(Direction.values())));
        for (Sent s : sent) {
            w.write(s.iface(), s.timestampNanos(), s.data(), s.direction());
        }
        w.close();
        CaptureReader.Capture c = CaptureReader.readAll(out.toByteArray());

        assertThat(c.error()).isEmpty();
        assertThat(c.format()).contains(CaptureFormat.PCAPNG);
        assertThat(c.interfaces()).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            InterfaceInfo info = c.interfaces().get(i);
            assertThat(info.id()).isEqualTo(i);
            assertThat(info.name()).isEqualTo(names.get(i));
            assertThat(info.linkType()).isEqualTo(linkTypes.get(i));
            assertThat(info.snapLength()).isEqualTo((long) snaps.get(i));
            assertThat(info.resolution()).isEqualTo(TimestampResolution.NANOSECONDS);
        }
        assertThat(c.packets()).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Sent s = sent.get(i);
            CapturedPacket p = c.packets().get(i);
            int snap = snaps.get(s.iface());
            int kept = snap == 0 ? s.data().length : Math.min(snap, s.data().length);
            assertThat(p.frameNumber()).isEqualTo(i + 1);
            assertThat(p.interfaceId()).isEqualTo(s.iface());
            assertThat(p.linkType()).isEqualTo(linkTypes.get(s.iface()));
            assertThat(p.timestampNanos()).isEqualTo(s.timestampNanos());
            assertThat(p.direction()).isEqualTo(s.direction());
            assertThat(p.data()).isEqualTo(Arrays.copyOf(s.data(), kept));
            assertThat(p.originalLength()).isEqualTo(s.data().length);
        }
    }

    /** Any single-byte damage, cut or insertion: packets or a typed error, never an exception. */
    @Property(tries = 3_000)
    void damagedFilesNeverThrow(Gen g) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (g.bool()) {
            PcapngWriter w = PcapngWriter.open(out);
            w.addInterface("a", g.pick(LINK_TYPES));
            w.addInterface("b", LinkType.RAW);
            for (byte[] p : g.listOf(0, 4, h -> h.bytes(0, 80))) {
                w.write(g.intBetween(0, 1), g.longBetween(0, Long.MAX_VALUE), p, g.pick(Direction.values()));
            }
        } else {
            PcapWriter w =
                    PcapWriter.open(out, PcapWriter.Options.DEFAULT.withPrecision(g.pick(TimestampPrecision.values())));
            for (byte[] p : g.listOf(0, 4, h -> h.bytes(0, 80))) {
                w.write(g.longBetween(0, 1L << 60), p);
            }
        }
        byte[] file = out.toByteArray();
        int edits = g.intBetween(1, 4);
        for (int i = 0; i < edits; i++) {
            int at = g.intBetween(0, file.length - 1);
            switch (g.intBetween(0, 2)) {
                case 0 -> file[at] = (byte) g.intBetween(0, 255);
                case 1 -> file = Arrays.copyOf(file, at);
                default ->
                    file = CaptureBytes.concat(
                            Arrays.copyOf(file, at), g.bytes(1, 8), Arrays.copyOfRange(file, at, file.length));
            }
            if (file.length == 0) {
                break;
            }
        }
        g.note("file", file);
        byte[] damaged = file;

        CaptureReader.Capture c = CaptureReader.readAll(damaged, ReaderLimits.DEFAULT.withMaxRecordBytes(1 << 16));

        for (CapturedPacket p : c.packets()) {
            assertThat(p.fileOffset()).isLessThan(damaged.length);
            assertThat(p.decodeIp()).isNotNull();
        }
        c.error().ifPresent(e -> {
            assertThat(e.offset()).isBetween(0L, (long) damaged.length);
            assertThat(e.message()).isNotBlank();
        });
    }

    /** Arbitrary bytes, with or without a valid magic in front. */
    @Property(tries = 10_000)
    void arbitraryBytesNeverThrow(Gen g) {
        byte[] prefix = g.pick(new byte[0], new byte[] {0x0a, 0x0d, 0x0d, 0x0a}, new byte[] {
            (byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0
        });
        byte[] file = CaptureBytes.concat(prefix, g.bytes(0, 300));
        CaptureReader.Capture c = CaptureReader.readAll(file, ReaderLimits.DEFAULT.withMaxRecordBytes(1 << 16));
        assertThat(c.error().isPresent() || c.format().isPresent()).isTrue();
        for (CapturedPacket p : c.packets()) {
            assertThat(p.decodeIp()).isNotNull();
        }
    }

    @Test
    void writersRejectMisuse() throws IOException {
        PcapWriter pcap = PcapWriter.open(new ByteArrayOutputStream());
        assertThatThrownBy(() -> pcap.write(-1, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pcap.write((PcapWriter.MAX_SECONDS + 1) * 1_000_000_000L, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pcap.write(0, new byte[4], 0, 4, 3)).isInstanceOf(IllegalArgumentException.class);
        pcap.close();
        assertThatThrownBy(() -> pcap.write(0, new byte[1])).isInstanceOf(IllegalStateException.class);

        PcapngWriter ng = PcapngWriter.open(new ByteArrayOutputStream());
        assertThatThrownBy(() -> ng.write(0, 0, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        int id = ng.addInterface("h", LinkType.RAW);
        assertThatThrownBy(() -> ng.write(id, -5, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ng.addInterface("h", 70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pcapngOutputIsTheSameForTheSameCalls() throws IOException {
        byte[][] runs = new byte[2][];
        for (int r = 0; r < 2; r++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PcapngWriter w = PcapngWriter.open(out);
            int a = w.addInterface("a", LinkType.RAW);
            w.write(a, 5, CaptureBytes.ipv4Udp(3, 1), Direction.OUTBOUND);
            w.close();
            runs[r] = out.toByteArray();
        }
        assertThat(runs[0]).isEqualTo(runs[1]);
        // SHB 28 + userappl option (4 + 8) + endofopt 4; IDB 20 + if_name (4 + 4) + if_tsresol (4 + 4) + 4;
        // EPB 32 + 32 data + epb_flags (4 + 4) + 4.
        assertThat(runs[0]).hasSize(44 + 40 + 76);
    }
}
