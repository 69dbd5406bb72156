package io.sansnet.trace.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The checks on sansnet's segments catch what they claim to: the replay of a corpus trace whose sansnet segments are
 * altered on their way to the checker (sansnet itself is untouched) diverges with an invalid segment.
 */
class SegmentChecksTest {

    private static final List<CapturedPacket> TRACE = Corpus.read("http-tun.pcapng");
    private static final TraceConnection CONNECTION =
            TcpStreamReassembler.of(TRACE).connections().get(0);

    private static DrivePlan plan(DriveMode mode) {
        return ((DrivePlan.Planned.Ready) DrivePlan.of(TRACE, CONNECTION, mode, Optional.empty())).plan();
    }

    /** Alters the {@code n}th (from 1) segment sansnet sends that satisfies {@code which}, leaving the rest alone. */
    private static UnaryOperator<byte[]> alterNth(
            int n, java.util.function.Predicate<TcpSegment> which, UnaryOperator<TcpSegment> change) {
        int[] seen = {0};
        return b -> {
            Ipv4Packet ip = ((Parsed.Ok<Ipv4Packet>) Ipv4Packet.parse(b, 0, b.length)).value();
            TcpSegment seg = ((Parsed.Ok<TcpSegment>) TcpSegment.parse(ip.payload(), ip.pseudoHeader())).value();
            if (!which.test(seg) || ++seen[0] != n) {
                return b;
            }
            TcpSegment changed = change.apply(seg);
            return Ipv4Packet.of(ip.header(), Bytes.copyOf(changed.encode(ip.pseudoHeader())))
                    .encode();
        };
    }

    private static TcpSegment withHeader(TcpSegment s, UnaryOperator<TcpHeader.Builder> edit) {
        TcpHeader h = s.header();
        TcpHeader.Builder b = TcpHeader.builder(h.srcPort(), h.dstPort())
                .seq(h.seq())
                .ack(h.ack())
                .flags(h.flags())
                .window(h.window())
                .options(h.options());
        return new TcpSegment(edit.apply(b).build(), s.payload());
    }

    private static Divergence diverged(DriveMode mode, UnaryOperator<byte[]> tap) {
        DriveResult r = TraceDriver.run(plan(mode), DriveConfig.DEFAULT, tap);
        assertThat(r).isInstanceOf(DriveResult.Diverged.class);
        Divergence d = ((DriveResult.Diverged) r).divergence();
        assertThat(d.kind()).as(d.describe()).isEqualTo(Divergence.Kind.INVALID_SEGMENT);
        return d;
    }

    @Test
    void untouchedReplayMatches() {
        assertThat(TraceDriver.run(plan(DriveMode.SERVER), DriveConfig.DEFAULT, UnaryOperator.identity()))
                .isInstanceOf(DriveResult.Matched.class);
    }

    @Test
    void badTcpChecksumIsCaught() {
        int[] seen = {0};
        Divergence d = diverged(DriveMode.SERVER, b -> {
            if (++seen[0] == 5) {
                b = b.clone();
                b[b.length - 1] ^= 0x01; // the last payload byte: the checksum no longer verifies
            }
            return b;
        });
        assertThat(d.detail()).contains("does not verify");
    }

    @Test
    void alteredPayloadIsCaught() {
        Divergence d = diverged(DriveMode.SERVER, alterNth(10, s -> s.payload().length() > 0, s -> {
            byte[] p = s.payload().toArray();
            p[0] ^= 0x55;
            return new TcpSegment(s.header(), Bytes.copyOf(p));
        }));
        assertThat(d.detail()).contains("payload differs from what the application wrote");
    }

    @Test
    void acknowledgingUnsentBytesIsCaught() {
        Divergence d = diverged(
                DriveMode.SERVER,
                alterNth(
                        3,
                        s -> !s.header().flags().syn(),
                        s -> withHeader(s, b -> b.ack(s.header().ack() + 5000))));
        assertThat(d.detail()).contains("which the peer sent up to");
    }

    @Test
    void urgentFlagIsCaught() {
        Divergence d = diverged(
                DriveMode.CLIENT,
                alterNth(
                        2,
                        s -> true,
                        s -> withHeader(s, b -> b.flags(s.header().flags().with(TcpFlags.URG)))));
        assertThat(d.detail()).contains("URG");
    }

    @Test
    void finBeforeTheApplicationClosedIsCaught() {
        Divergence d = diverged(
                DriveMode.SERVER,
                alterNth(
                        4,
                        s -> s.payload().length() > 0,
                        s -> withHeader(s, b -> b.flags(s.header().flags().with(TcpFlags.FIN)))));
        assertThat(d.detail()).contains("FIN");
    }

    @Test
    void dataBeyondThePeersWindowIsCaught() {
        // the 40th data segment moved 1 MB further on: past the peer's window (at most 246 KiB in this trace)
        Divergence d = diverged(
                DriveMode.SERVER,
                alterNth(
                        40,
                        s -> s.payload().length() > 0,
                        s -> withHeader(s, b -> b.seq(s.header().seq() + 1_000_000))));
        assertThat(d.detail()).contains("beyond the peer's window edge");
    }

    @Test
    void missingTimestampsAreCaught() {
        Divergence d = diverged(
                DriveMode.CLIENT,
                alterNth(
                        3,
                        s -> !s.header().flags().syn(),
                        s -> withHeader(s, b -> b.options(s.header().options().withTimestamps(0, 0)))));
        assertThat(d.detail()).containsAnyOf("TSval went back", "echoes no TSval");
    }
}
