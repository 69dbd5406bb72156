package io.sansnet.stack.tcp;

import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A segment template for scripts, like smoltcp's {@code SEND_TEMPL}/{@code RECV_TEMPL}: {@link #fromPeer()} makes it a
 * segment the peer sends us, {@link #toPeer()} one we send the peer.
 */
record Seg(int seq, int ack, int flags, int window, int urgent, TcpOptions options, Bytes payload) {

    static final int LOCAL_PORT = 80;
    static final int REMOTE_PORT = 49152;

    static final Seg SYN = of(TcpFlags.SYN);
    static final Seg SYN_ACK = of(TcpFlags.SYN | TcpFlags.ACK);
    static final Seg ACK = of(TcpFlags.ACK);
    static final Seg FIN_ACK = of(TcpFlags.FIN | TcpFlags.ACK);
    static final Seg RST = of(TcpFlags.RST);
    static final Seg RST_ACK = of(TcpFlags.RST | TcpFlags.ACK);
    static final Seg PSH_ACK = of(TcpFlags.PSH | TcpFlags.ACK);

    static Seg of(int flags) {
        return new Seg(0, 0, flags, 0, 0, TcpOptions.NONE, Bytes.EMPTY);
    }

    Seg seq(int v) {
        return new Seg(v, ack, flags, window, urgent, options, payload);
    }

    Seg ack(int v) {
        return new Seg(seq, v, flags, window, urgent, options, payload);
    }

    Seg win(int v) {
        return new Seg(seq, ack, flags, v, urgent, options, payload);
    }

    Seg flags(int v) {
        return new Seg(seq, ack, v, window, urgent, options, payload);
    }

    Seg urgent(int v) {
        return new Seg(seq, ack, flags | TcpFlags.URG, window, v, options, payload);
    }

    Seg opts(TcpOptions v) {
        return new Seg(seq, ack, flags, window, urgent, v, payload);
    }

    Seg mss(int v) {
        return opts(options.withMss(v));
    }

    Seg ts(int val, int ecr) {
        return opts(options.withTimestamps(val, ecr));
    }

    Seg sack(int... edges) {
        List<TcpOptions.SackBlock> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < edges.length; i += 2) {
            blocks.add(new TcpOptions.SackBlock(edges[i], edges[i + 1]));
        }
        return opts(options.withSackBlocks(blocks));
    }

    Seg data(String text) {
        return data(text.getBytes(StandardCharsets.US_ASCII));
    }

    Seg data(byte[] b) {
        return new Seg(seq, ack, flags, window, urgent, options, Bytes.copyOf(b));
    }

    TcpSegment fromPeer() {
        return build(REMOTE_PORT, LOCAL_PORT);
    }

    TcpSegment toPeer() {
        return build(LOCAL_PORT, REMOTE_PORT);
    }

    private TcpSegment build(int src, int dst) {
        return new TcpSegment(
                TcpHeader.builder(src, dst)
                        .seq(seq)
                        .ack(ack)
                        .flags(flags)
                        .window(window)
                        .urgentPointer(urgent)
                        .options(options)
                        .build(),
                payload);
    }
}
