package io.sansnet.trace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads a file with {@link CaptureReader} and with tshark, and checks that both see the same packets. */
final class TsharkComparison {
    private static final String[] FIELDS = {
        "frame.number",
        "frame.time_epoch",
        "frame.len",
        "frame.cap_len",
        "frame.interface_id",
        "frame.packet_flags_direction",
        "ip.src",
        "ipv6.src",
        "ip.len",
        "ipv6.plen",
    };

    private TsharkComparison() {}

    /** Returns our reading of {@code file} after checking every packet against tshark's. */
    static CaptureReader.Capture assertReaderAgrees(Path dir, Path file) throws IOException, InterruptedException {
        CaptureReader.Capture ours = CaptureReader.readAll(Files.readAllBytes(file));
        assertThat(ours.error()).as("our reader on %s", file).isEmpty();
        String[] cmd = new String[6 + 2 * FIELDS.length];
        int i = 0;
        cmd[i++] = "tshark";
        cmd[i++] = "-n";
        cmd[i++] = "-r";
        cmd[i++] = file.toString();
        cmd[i++] = "-T";
        cmd[i++] = "fields";
        for (String f : FIELDS) {
            cmd[i++] = "-e";
            cmd[i++] = f;
        }
        ExternalTools.Result r = ExternalTools.run(dir, cmd);
        List<String> lines = r.lines();
        assertThat(lines).as("tshark frames in %s", file).hasSize(ours.packets().size());
        for (int k = 0; k < lines.size(); k++) {
            String[] t = Arrays.copyOf(lines.get(k).split("\t", -1), FIELDS.length);
            CapturedPacket p = ours.packets().get(k);
            String where = file.getFileName() + " frame " + (k + 1) + " " + p;
            assertThat(p.frameNumber()).as(where).isEqualTo(Long.parseLong(t[0]));
            assertThat(p.timestampNanos()).as(where).isEqualTo(epochNanos(t[1]));
            assertThat(p.originalLength()).as(where).isEqualTo(Long.parseLong(t[2]));
            assertThat(p.capturedLength()).as(where).isEqualTo(Integer.parseInt(t[3]));
            assertThat(p.interfaceId()).as(where).isEqualTo(blank(t[4]) ? 0 : Integer.parseInt(t[4]));
            assertThat(p.direction()).as(where).isEqualTo(direction(t[5]));
            LinkLayer.Decoded d = p.decodeIp();
            if (!blank(t[6])) {
                assertThat(d).as(where).isInstanceOf(LinkLayer.Decoded.Ip.class);
                ByteBuffer ip = ((LinkLayer.Decoded.Ip) d).packet();
                assertThat(((LinkLayer.Decoded.Ip) d).version()).as(where).isEqualTo(4);
                assertThat(address(ip, 12, 4)).as(where).isEqualTo(InetAddress.getByName(first(t[6])));
                assertThat(Short.toUnsignedInt(ip.getShort(2))).as(where).isEqualTo(Integer.parseInt(first(t[8])));
            } else if (!blank(t[7])) {
                assertThat(d).as(where).isInstanceOf(LinkLayer.Decoded.Ip.class);
                ByteBuffer ip = ((LinkLayer.Decoded.Ip) d).packet();
                assertThat(((LinkLayer.Decoded.Ip) d).version()).as(where).isEqualTo(6);
                assertThat(address(ip, 8, 16)).as(where).isEqualTo(InetAddress.getByName(first(t[7])));
                assertThat(Short.toUnsignedInt(ip.getShort(4))).as(where).isEqualTo(Integer.parseInt(first(t[9])));
            } else if (d instanceof LinkLayer.Decoded.Ip ip) {
                // tshark shows no address when the snap length cut the IP header; we still hand out what there is.
                int header = ip.version() == 4 ? 20 : 40;
                assertThat(ip.packet().remaining()).as(where).isLessThan(header);
            }
        }
        return ours;
    }

    private static InetAddress address(ByteBuffer ip, int at, int len) throws IOException {
        byte[] a = new byte[len];
        ip.get(at, a);
        return InetAddress.getByAddress(a);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String first(String s) {
        int comma = s.indexOf(',');
        return comma < 0 ? s : s.substring(0, comma);
    }

    /** tshark prints {@code seconds.nanoseconds} with 9 digits. */
    static long epochNanos(String s) {
        int dot = s.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(s) * 1_000_000_000L;
        }
        String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
        return Long.parseLong(s.substring(0, dot)) * 1_000_000_000L + Long.parseLong(frac);
    }

    private static Direction direction(String flags) {
        if (blank(flags)) {
            return Direction.UNKNOWN;
        }
        long v = Long.decode(flags);
        return (v & 3) == 1 ? Direction.INBOUND : (v & 3) == 2 ? Direction.OUTBOUND : Direction.UNKNOWN;
    }
}
