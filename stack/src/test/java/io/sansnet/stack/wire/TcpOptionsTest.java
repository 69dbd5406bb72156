package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** TCP options (RFC 9293 §3.1-3.2, RFC 7323, RFC 2018): layout, unusual inputs, and length checks. */
class TcpOptionsTest {

    private static TcpOptions parse(int... bytes) {
        byte[] b = Bytes.of(bytes).toArray();
        return TcpOptions.parse(b, 0, b.length, 20).value();
    }

    private static ParseError parseError(int... bytes) {
        byte[] b = Bytes.of(bytes).toArray();
        return TcpOptions.parse(b, 0, b.length, 20).error();
    }

    private static byte[] encode(TcpOptions o) {
        byte[] b = new byte[o.length()];
        o.encodeInto(b, 0);
        return b;
    }

    @Test
    void synOptionsAreLaidOutLikeLinux() {
        TcpOptions o = TcpOptions.NONE
                .withMss(1460)
                .withSackPermitted()
                .withTimestamps(0x64452144, 0)
                .withWindowScale(10);
        assertThat(encode(o)).isEqualTo(Captures.hex("020405b4 0402 080a 64452144 00000000 01 03030a"));
    }

    @Test
    void sackBlocksAfterTimestampsAreNopAligned() {
        TcpOptions o = TcpOptions.NONE
                .withTimestamps(1, 2)
                .withSackBlocks(List.of(new TcpOptions.SackBlock(100, 200), new TcpOptions.SackBlock(-10, 5)));
        // RFC 7323 appendix A layout for timestamps: NOP NOP TS; SACK: NOP NOP SACK (RFC 2018 §3)
        assertThat(encode(o))
                .isEqualTo(Captures.hex("0101 080a 00000001 00000002 0101 0512 00000064 000000c8 fffffff6 00000005"));
        assertThat(o.length()).isEqualTo(32);
    }

    @Test
    void eolEndsTheListAndNopsAreSkipped() {
        TcpOptions o = parse(1, 1, 2, 4, 0x05, 0xb4, 0, 2, 4, 0x01, 0x00);
        assertThat(o.mss()).isEqualTo(OptionalInt.of(1460));
        assertThat(o.unknown()).isEmpty();
    }

    @Test
    void zeroOrOneLengthIsAnErrorNamingTheField() {
        // RFC 9293 §3.1: "MUST be prepared to handle an illegal option length (e.g., zero)"
        ParseError e = parseError(1, 2, 0, 0);
        assertThat(e.field()).isEqualTo("tcp.option.length");
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(e.offset()).isEqualTo(22);
        assertThat(parseError(8, 1, 0, 0).kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
    }

    @Test
    void optionRunningPastTheHeaderIsAnError() {
        assertThat(parseError(8, 10, 0, 0).kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(parseError(1, 1, 1, 2).kind()).isEqualTo(ParseError.Kind.TRUNCATED);
    }

    @Test
    void unknownOptionsAreKeptAndReEncoded() {
        // kind 30 (MPTCP), length 4; kind 34 (TFO cookie), length 2
        TcpOptions o = parse(30, 4, 0xab, 0xcd, 34, 2, 1, 0);
        assertThat(o.unknown())
                .containsExactly(
                        new TcpOptions.Unknown(30, Bytes.of(0xab, 0xcd)), new TcpOptions.Unknown(34, Bytes.EMPTY));
        assertThat(encode(o)).isEqualTo(Captures.hex("1e04abcd 2202 0000"));
    }

    @Test
    void knownKindWithAWrongLengthIsIgnoredAsUnknown() {
        // an MSS of length 3 and a window scale of length 4: Linux ignores both
        TcpOptions o = parse(2, 3, 5, 3, 4, 7, 7, 0);
        assertThat(o.mss()).isEmpty();
        assertThat(o.windowScale()).isEmpty();
        assertThat(o.unknown()).hasSize(2);
        assertThat(TcpOptions.parse(encode(o), 0, o.length(), 20).value()).isEqualTo(o);
    }

    @Test
    void theLastOfTwoSameOptionsWins() {
        TcpOptions o = parse(2, 4, 0, 100, 2, 4, 0, 200);
        assertThat(o.mss()).isEqualTo(OptionalInt.of(200));
    }

    @Test
    void fourSackBlocksFillTheOptionSpace() {
        List<TcpOptions.SackBlock> four = List.of(
                new TcpOptions.SackBlock(1, 2),
                new TcpOptions.SackBlock(3, 4),
                new TcpOptions.SackBlock(5, 6),
                new TcpOptions.SackBlock(7, 8));
        TcpOptions o = TcpOptions.NONE.withSackBlocks(four);
        assertThat(o.length()).isEqualTo(36);
        assertThat(TcpOptions.parse(encode(o), 0, 36, 20).value().sackBlocks()).isEqualTo(four);
        // RFC 2018 §3: with timestamps only three fit
        assertThatIllegalArgumentException().isThrownBy(() -> o.withTimestamps(1, 2));
        assertThat(o.withSackBlocks(four.subList(0, 3)).withTimestamps(1, 2).length())
                .isEqualTo(40);
    }

    @Test
    void denselyPackedOptionsThatDoNotFitAlignedAreReEncodedWithoutNops() {
        // SACK with 4 blocks (34) + window scale (3) + SACK-permitted (2) = 39 octets + EOL
        int[] raw = new int[40];
        raw[0] = 5;
        raw[1] = 34;
        for (int i = 2; i < 34; i++) {
            raw[i] = i;
        }
        raw[34] = 3;
        raw[35] = 3;
        raw[36] = 7;
        raw[37] = 4;
        raw[38] = 2;
        raw[39] = 0;
        TcpOptions o = parse(raw);
        assertThat(o.sackBlocks()).hasSize(4);
        assertThat(o.windowScale()).isEqualTo(OptionalInt.of(7));
        assertThat(o.sackPermitted()).isTrue();
        assertThat(o.length()).isEqualTo(40);
        assertThat(TcpOptions.parse(encode(o), 0, 40, 20).value()).isEqualTo(o);
    }

    @Test
    void unknownCannotHoldAWellFormedKnownOption() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpOptions.Unknown(2, Bytes.of(5, 0xb4)));
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpOptions.Unknown(1, Bytes.EMPTY));
    }

    @Test
    void headerWithBadDataOffsetIsAnError() {
        byte[] seg = Captures.hex("8ed20050 9e36c0f4 00000000 4002faf0 00000000");
        ParseError e = TcpHeader.parse(seg, 0, seg.length).error();
        assertThat(e.field()).isEqualTo("tcp.data_offset");
        assertThat(e.kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
        assertThat(e.offset()).isEqualTo(12);
        seg[12] = 0x60; // 24 octets claimed, 20 present
        assertThat(TcpHeader.parse(seg, 0, seg.length).error().kind()).isEqualTo(ParseError.Kind.BAD_LENGTH);
    }

    @Test
    void urgentPointerAndAllFlagsSurviveEncoding() {
        TcpHeader h = TcpHeader.builder(1, 2)
                .seq(-1)
                .ack(0x80000000)
                .flags(0xFF)
                .window(65535)
                .urgentPointer(0x1234)
                .build();
        PseudoHeader ph = new PseudoHeader(Ipv4Address.of("198.18.0.1"), Ipv4Address.of("198.18.0.2"));
        TcpSegment s = new TcpSegment(h, Bytes.of(1, 2, 3));
        TcpSegment back = TcpSegment.parse(s.encode(ph), 0, 23, ph).value();
        assertThat(back.header().flags().toString()).isEqualTo("FIN|SYN|RST|PSH|ACK|URG|ECE|CWR");
        assertThat(back.header().urgentPointer()).isEqualTo(0x1234);
        assertThat(back.header().seq()).isEqualTo(-1);
        assertThat(back.sequenceLength()).isEqualTo(5);
        assertThat(back.withChecksum(0)).isEqualTo(s);
    }
}
