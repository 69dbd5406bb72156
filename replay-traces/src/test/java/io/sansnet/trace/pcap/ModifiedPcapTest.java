package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kuznetsov's "modified" pcap (magic a1b2cd34, libpcap's {@code KUZNETZOV_TCPDUMP_MAGIC}): the usual 24-byte file
 * header, then 24-byte record headers (ts_sec, ts_usec, caplen, len, ifindex, protocol, pkt_type, pad). Files are
 * built byte by byte here, in both byte orders.
 */
class ModifiedPcapTest {

    private static final byte[] FIRST = {0x45, 0, 0, 20, 1, 2, 3, 4, 5};
    private static final byte[] SECOND = {0x60, 0, 0, 0, 9, 8, 7};

    private static ByteOrder order(String name) {
        return name.equals("BIG") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static byte[] file(ByteOrder order, int records, boolean truncateLast) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(0xa1b2cd34).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
        h.putInt(65535).putInt(LinkType.RAW);
        out.writeBytes(h.array());
        for (int i = 0; i < records; i++) {
            byte[] data = i % 2 == 0 ? FIRST : SECOND;
            ByteBuffer r = ByteBuffer.allocate(24).order(order);
            r.putInt(1_700_000_000 + i).putInt(250_000 + i).putInt(data.length).putInt(data.length + 10);
            r.putInt(3)
                    .putShort((short) 0x0800)
                    .put((byte) (i % 2 == 0 ? 0 : 4))
                    .put((byte) 0);
            out.writeBytes(r.array());
            out.writeBytes(data);
        }
        byte[] b = out.toByteArray();
        return truncateLast ? Arrays.copyOf(b, b.length - 3) : b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void readsRecordsWithTheLongerHeader(String byteOrder) {
        CaptureReader.Capture c = CaptureReader.readAll(file(order(byteOrder), 2, false));

        assertThat(c.error()).isEmpty();
        assertThat(c.format()).contains(CaptureFormat.PCAP_MODIFIED);
        assertThat(c.interfaces())
                .singleElement()
                .satisfies(i -> assertThat(i.linkType()).isEqualTo(LinkType.RAW));
        assertThat(c.packets()).hasSize(2);
        CapturedPacket first = c.packets().get(0);
        assertThat(first.data()).containsExactly(FIRST);
        assertThat(first.timestampNanos()).isEqualTo(1_700_000_000L * 1_000_000_000L + 250_000L * 1_000L);
        assertThat(first.originalLength()).isEqualTo(FIRST.length + 10);
        assertThat(first.fileOffset()).isEqualTo(24);
        assertThat(first.direction()).isEqualTo(Direction.INBOUND); // PACKET_HOST
        CapturedPacket second = c.packets().get(1);
        assertThat(second.data()).containsExactly(SECOND);
        assertThat(second.fileOffset()).isEqualTo(24 + 24 + FIRST.length);
        assertThat(second.direction()).isEqualTo(Direction.OUTBOUND); // PACKET_OUTGOING
        assertThat(second.frameNumber()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void truncatedRecordNamesItsOffsetAndKeepsThePacketsBefore(String byteOrder) {
        CaptureReader.Capture c = CaptureReader.readAll(file(order(byteOrder), 3, true));

        assertThat(c.packets()).hasSize(2);
        long thirdOffset = 24 + 24 + FIRST.length + 24 + SECOND.length;
        assertThat(c.error()).hasValueSatisfying(e -> {
            assertThat(e).isInstanceOf(TraceError.Truncated.class);
            assertThat(e.offset()).isEqualTo(thirdOffset);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG", "LITTLE"})
    void truncatedExtendedHeaderIsReported(String byteOrder) {
        byte[] whole = file(order(byteOrder), 1, false);
        byte[] cut = Arrays.copyOf(whole, 24 + 20); // the record header needs 24 bytes, 20 are present
        CaptureReader.Capture c = CaptureReader.readAll(cut);

        assertThat(c.packets()).isEmpty();
        assertThat(c.error()).hasValue(new TraceError.Truncated(24, "pcap record header", 24, 20));
    }
}
