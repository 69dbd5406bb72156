package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.check.Gen;
import io.sansnet.check.Property;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.Bytes;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv4Header;
import io.sansnet.stack.wire.Ipv4Packet;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.PseudoHeader;
import io.sansnet.stack.wire.TcpFlags;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpOptions;
import io.sansnet.stack.wire.TcpSegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * SYN-flood defence, scripted through a real {@link Host}: the bounded SYN queue, then SYN cookies (RFC 4987 §3.6) in
 * Linux's layout. "At time T this segment arrives; exactly these segments leave; this event is raised."
 */
class SynCookiesTest {

    static final Ipv4Address HOST = Ipv4Address.of("198.18.0.2");
    static final Ipv4Address PEER = Ipv4Address.of("198.18.0.1");
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final int PORT = 80;
    static final int BACKLOG = 2;

    /** What a Linux client offers: MSS, SACK-permitted, timestamps, window scale. */
    static TcpOptions linuxSynOptions(int mss) {
        return new TcpOptions(
                OptionalInt.of(mss),
                OptionalInt.of(7),
                true,
                Optional.of(new TcpOptions.Timestamps(12345, 0)),
                List.of(),
                List.of());
    }

    Host host;
    TcpLayer layer;
    TcpListener listener;
    final List<TcpSocket> accepted = new ArrayList<>();
    final List<TcpLayerTest.Events> handlers = new ArrayList<>();
    long now = 1_000 * S;

    void boot(TcpLayer.Limits limits) {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").build();
        host = new Host(cfg, new SplitMix64(1));
        layer = new TcpLayer(cfg, TcpConfig.DEFAULT, limits, new SplitMix64(2));
        host.attachTcp(layer);
        listener = layer.listen(PORT, BACKLOG, s -> {
                    TcpLayerTest.Events e = new TcpLayerTest.Events();
                    handlers.add(e);
                    accepted.add(s);
                    s.setHandler(e);
                })
                .value();
    }

    void boot() {
        boot(TcpLayer.Limits.DEFAULT);
    }

    void send(int srcPort, int seq, int ack, int flags, byte[] data, TcpOptions options) {
        TcpHeader.Builder b = TcpHeader.builder(srcPort, PORT)
                .seq(seq)
                .flags(flags)
                .window(65535)
                .options(options);
        if ((flags & TcpFlags.ACK) != 0) {
            b.ack(ack);
        }
        byte[] tcp = new TcpSegment(b.build(), Bytes.copyOf(data)).encode(new PseudoHeader(PEER, HOST));
        Ipv4Header ip = Ipv4Header.builder(PEER, HOST, IpProtocol.TCP)
                .payloadLength(tcp.length)
                .build();
        host.receive(Ipv4Packet.of(ip, Bytes.copyOf(tcp)).encode(), now);
    }

    void ack(int srcPort, int seq, int ack) {
        send(srcPort, seq, ack, TcpFlags.ACK, new byte[0], TcpOptions.NONE);
    }

    List<TcpHeader> drain() {
        List<TcpHeader> out = new ArrayList<>();
        for (TcpSegment s : drainSegments()) {
            out.add(s.header());
        }
        return out;
    }

    List<TcpSegment> drainSegments() {
        List<TcpSegment> out = new ArrayList<>();
        for (byte[] b; (b = host.pollTransmit(now)) != null; ) {
            IpPacket p = ((Parsed.Ok<IpPacket>) IpPacket.parse(b, 0, b.length)).value();
            out.add(((Parsed.Ok<TcpSegment>) TcpSegment.parse(p.payload(), p.pseudoHeader())).value());
        }
        return out;
    }

    /** Fills the SYN queue with {@link #BACKLOG} half-open connections from ports 1000, 1001, ... */
    void fillSynQueue() {
        for (int i = 0; i < BACKLOG; i++) {
            send(1000 + i, 7000 * i, 0, TcpFlags.SYN, new byte[0], linuxSynOptions(1460));
            assertThat(drain()).extracting(TcpHeader::flags).containsExactly(TcpFlags.SYN_ACK);
        }
        assertThat(listener.synQueueLength()).isEqualTo(BACKLOG);
    }

    /** A SYN from {@code port} that finds the SYN queue full; returns the cookie SYN-ACK. */
    TcpHeader cookieSynAck(int port, int irs, int mss) {
        send(port, irs, 0, TcpFlags.SYN, new byte[0], linuxSynOptions(mss));
        List<TcpHeader> out = drain();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    // ------------------------------------------------------------------------------------------------ the layer

    /**
     * RFC 4987 §3.6: a SYN that finds the SYN queue full gets a SYN-ACK whose ISS is a cookie, offering only our MSS
     * (window scale, SACK and timestamps cannot be recorded), and leaves no state.
     */
    @Test
    void rfc4987_3_6_fullSynQueueAnswersWithACookieAndKeepsNoState() {
        boot();
        fillSynQueue();
        TcpHeader synAck = cookieSynAck(2000, 555, 1460);
        assertThat(synAck.flags()).isEqualTo(TcpFlags.SYN_ACK);
        assertThat(synAck.ack()).isEqualTo(556);
        assertThat(synAck.srcPort()).isEqualTo(PORT);
        assertThat(synAck.dstPort()).isEqualTo(2000);
        assertThat(synAck.options().mss()).hasValue(1460);
        assertThat(synAck.options().windowScale()).isEmpty();
        assertThat(synAck.options().sackPermitted()).isFalse();
        assertThat(synAck.options().timestamps()).isEmpty();
        assertThat(synAck.window()).isEqualTo(Math.min(TcpConfig.DEFAULT.receiveBufferBytes(), 0xFFFF));
        assertThat(listener.synQueueLength()).isEqualTo(BACKLOG);
        assertThat(layer.connectionCount()).isEqualTo(BACKLOG);
        assertThat(layer.counters().syncookiesSent()).isEqualTo(1);

        // a flood: a thousand more SYNs, a thousand cookies, still no state
        for (int i = 0; i < 1000; i++) {
            send(3000 + i, i * 7919, 0, TcpFlags.SYN, new byte[0], linuxSynOptions(1460));
            assertThat(drain()).extracting(TcpHeader::flags).containsExactly(TcpFlags.SYN_ACK);
        }
        assertThat(layer.counters().syncookiesSent()).isEqualTo(1001);
        assertThat(layer.connectionCount()).isEqualTo(BACKLOG);
        assertThat(listener.synQueueLength()).isEqualTo(BACKLOG);
    }

    /** The ACK returning a valid cookie creates the connection in ESTABLISHED, accepted, and data flows both ways. */
    @Test
    void rfc4987_3_6_validCookieAckEstablishesAConnectionThatTransfersData() {
        boot();
        fillSynQueue();
        int irs = 0x7FFF_FFF0; // SEG.SEQ + 1 wraps past 2^31 on the way
        int cookie = cookieSynAck(2000, irs, 1460).seq();
        ack(2000, irs + 1, cookie + 1);
        assertThat(drain()).isEmpty();
        assertThat(layer.counters().syncookiesValidated()).isEqualTo(1);
        assertThat(accepted).hasSize(1);
        TcpSocket s = accepted.get(0);
        assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(s.tuple()).isEqualTo(new FourTuple(HOST, PORT, PEER, 2000));
        assertThat(handlers.get(0).events).containsExactly(new TcpEvent.Connected());
        assertThat(listener.synQueueLength()).isEqualTo(BACKLOG); // the half-open ones are still there

        // data in, delivered; data out, with the sequence numbers of the cookie
        handlers.get(0).echo = true;
        send(
                2000,
                irs + 1,
                cookie + 1,
                TcpFlags.PSH | TcpFlags.ACK,
                "hello".getBytes(StandardCharsets.US_ASCII),
                TcpOptions.NONE);
        assertThat(handlers.get(0).data.toString()).isEqualTo("hello");
        List<TcpSegment> echo = drainSegments();
        assertThat(echo).hasSize(1);
        assertThat(echo.get(0).header().seq()).isEqualTo(cookie + 1);
        assertThat(echo.get(0).header().ack()).isEqualTo(irs + 6);
        assertThat(echo.get(0).header().options().timestamps()).isEmpty(); // not negotiated with a cookie
        assertThat(echo.get(0).payload().toArray()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(s.status().counters().bytesReceived()).isEqualTo(5);
    }

    /** The peer's MSS is rounded down to an entry of the cookie's table (Linux's msstab: 536, 1300, 1440, 1460). */
    @Test
    void rfc4987_3_6_mssComesFromTheCookieTable() {
        boot();
        fillSynQueue();
        int[][] offeredAndUsed = {{1400, 1300}, {1460, 1460}, {9000, 1460}, {1299, 536}, {1440, 1440}};
        int port = 2000;
        for (int[] c : offeredAndUsed) {
            int cookie = cookieSynAck(port, 100, c[0]).seq();
            ack(port, 101, cookie + 1);
            TcpSocket s = accepted.get(accepted.size() - 1);
            assertThat(s.status().sendMss()).as("offered %d", c[0]).isEqualTo(c[1]);
            port++;
        }
        // the MSS shapes the segments: 2600 octets to the 1400-offering peer leave as two segments of 1300
        TcpSocket first = accepted.get(0);
        assertThat(first.send(new byte[2600])).isEqualTo(2600);
        assertThat(drainSegments())
                .filteredOn(s -> s.header().dstPort() == 2000)
                .extracting(s -> s.payload().length())
                .containsExactly(1300, 1300);
    }

    /**
     * A forged cookie, a cookie for another 4-tuple or for another SYN: no connection, and while the listener sends
     * cookies the segment is dropped without a RST (it may be a reordered segment of a real cookie connection).
     */
    @Test
    void rfc4987_3_6_forgedOrMisdirectedCookieIsRejected() {
        boot();
        fillSynQueue();
        int cookie = cookieSynAck(2000, 100, 1460).seq();
        ack(2000, 101, cookie + 1 + (1 << 10)); // forged
        ack(2001, 101, cookie + 1); // another peer port
        ack(2000, 202, cookie + 1); // another SYN sequence number
        ack(2000, 101, cookie + 2); // one off
        assertThat(drain()).isEmpty();
        assertThat(layer.counters().syncookiesFailed()).isEqualTo(4);
        assertThat(layer.counters().syncookiesValidated()).isZero();
        assertThat(accepted).isEmpty();
        assertThat(layer.connectionCount()).isEqualTo(BACKLOG);
        // the right ACK still works afterwards
        ack(2000, 101, cookie + 1);
        assertThat(accepted).hasSize(1);
        assertThat(layer.counters().syncookiesValidated()).isEqualTo(1);
    }

    /** A cookie lives at least 3/4 of the validity and never longer than it. */
    @Test
    void rfc4987_3_6_expiredCookieIsRejected() {
        long validity = 120 * S;
        boot(TcpLayer.Limits.DEFAULT.withSynCookieValidityNanos(validity));
        fillSynQueue();
        int a = cookieSynAck(2000, 100, 1460).seq();
        int b = cookieSynAck(2001, 100, 1460).seq();
        long sent = now;
        now = sent + validity * 3 / 4 - 1;
        cookieSynAck(2002, 100, 1460); // the listener is still flooded: cookies keep being checked
        ack(2000, 101, a + 1);
        assertThat(accepted).hasSize(1);
        now = sent + validity;
        ack(2001, 101, b + 1);
        assertThat(drain()).isEmpty();
        assertThat(accepted).hasSize(1);
        assertThat(layer.counters().syncookiesFailed()).isEqualTo(1);
    }

    /**
     * The cookie ACK was lost and the peer, already ESTABLISHED, sends data: its first segment (SEG.SEQ = IRS + 1)
     * carries the cookie and creates the connection with the data; a later one that fails the check while the
     * listener sends cookies is dropped (Linux resets it, killing the connection), so the peer's retransmission can
     * still succeed.
     */
    @Test
    void rfc4987_3_6_lostCookieAckIsRecoveredByTheFirstDataSegment() {
        boot();
        fillSynQueue();
        int cookie = cookieSynAck(2000, 100, 1460).seq();
        // segment two arrives first (the ACK and segment one were lost): dropped, not reset
        send(2000, 106, cookie + 1, TcpFlags.ACK, "world".getBytes(StandardCharsets.US_ASCII), TcpOptions.NONE);
        assertThat(drain()).isEmpty();
        assertThat(layer.counters().syncookiesFailed()).isEqualTo(1);
        assertThat(accepted).isEmpty();
        // the retransmission of segment one validates and delivers
        send(2000, 101, cookie + 1, TcpFlags.ACK, "hello".getBytes(StandardCharsets.US_ASCII), TcpOptions.NONE);
        assertThat(accepted).hasSize(1);
        assertThat(handlers.get(0).data.toString()).isEqualTo("hello");
        send(2000, 106, cookie + 1, TcpFlags.ACK, "world".getBytes(StandardCharsets.US_ASCII), TcpOptions.NONE);
        assertThat(handlers.get(0).data.toString()).isEqualTo("helloworld");
    }

    /**
     * A FIN that overtook the cookie ACK and the one data octet before it (SEG.SEQ = IRS + 2) fails the check (the
     * SYN's sequence number is hashed, not added as in Linux, where it would pass with the MSS index off by one and a
     * wrong RCV.NXT) and is dropped; the ACK then makes the connection and the data and the FIN follow in order.
     */
    @Test
    void rfc4987_3_6_aSegmentThatOvertookTheCookieAckFailsTheCheck() {
        boot();
        fillSynQueue();
        int cookie = cookieSynAck(2000, 100, 1460).seq();
        send(2000, 102, cookie + 1, TcpFlags.FIN | TcpFlags.ACK, new byte[0], TcpOptions.NONE);
        assertThat(drain()).isEmpty();
        assertThat(accepted).isEmpty();
        assertThat(layer.counters().syncookiesFailed()).isEqualTo(1);
        ack(2000, 101, cookie + 1);
        send(2000, 101, cookie + 1, TcpFlags.PSH | TcpFlags.ACK, new byte[] {'x'}, TcpOptions.NONE);
        send(2000, 102, cookie + 1, TcpFlags.FIN | TcpFlags.ACK, new byte[0], TcpOptions.NONE);
        assertThat(handlers.get(0).data.toString()).isEqualTo("x");
        assertThat(handlers.get(0).events).contains(new TcpEvent.PeerFinished());
        assertThat(accepted.get(0).state()).isEqualTo(TcpState.CLOSE_WAIT);
    }

    /** ACKs are checked for cookies only while the listener sends them: otherwise the LISTEN RST, uncounted. */
    @Test
    void ackIsNotCheckedForACookieWhenNoneWasSentRecently() {
        long validity = 8 * S;
        boot(TcpLayer.Limits.DEFAULT.withSynCookieValidityNanos(validity));
        fillSynQueue();
        int cookie = cookieSynAck(2000, 100, 1460).seq();
        now += validity + 1;
        ack(2000, 101, cookie + 1);
        assertThat(drain()).extracting(TcpHeader::flags).containsExactly(TcpFlags.RST_ONLY);
        assertThat(layer.counters().syncookiesFailed()).isZero();
        assertThat(accepted).isEmpty();
    }

    /** With cookies off, a SYN that finds the SYN queue full is dropped (the peer retransmits it later). */
    @Test
    void cookiesOffDropsSynsBeyondTheQueue() {
        boot(TcpLayer.Limits.DEFAULT.withSynCookies(TcpLayer.SynCookieMode.OFF));
        fillSynQueue();
        send(2000, 100, 0, TcpFlags.SYN, new byte[0], linuxSynOptions(1460));
        assertThat(drain()).isEmpty();
        assertThat(layer.counters().listenOverflows()).isEqualTo(1);
        assertThat(layer.counters().syncookiesSent()).isZero();
    }

    /** maxSynBacklog bounds the SYN queue below a larger backlog (Linux's tcp_max_syn_backlog). */
    @Test
    void maxSynBacklogBoundsTheSynQueue() {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").build();
        host = new Host(cfg, new SplitMix64(1));
        layer = new TcpLayer(cfg, TcpConfig.DEFAULT, TcpLayer.Limits.DEFAULT.withMaxSynBacklog(3), new SplitMix64(2));
        host.attachTcp(layer);
        listener = layer.listen(PORT, 100, s -> {}).value();
        for (int i = 0; i < 10; i++) {
            send(1000 + i, i, 0, TcpFlags.SYN, new byte[0], linuxSynOptions(1460));
        }
        drain();
        assertThat(listener.synQueueLength()).isEqualTo(3);
        assertThat(layer.counters().syncookiesSent()).isEqualTo(7);
    }

    /** ALWAYS: every SYN gets a cookie, no SYN queue at all; the ACK still creates the connection. */
    @Test
    void alwaysModeAnswersEverySynWithACookie() {
        boot(TcpLayer.Limits.DEFAULT.withSynCookies(TcpLayer.SynCookieMode.ALWAYS));
        TcpHeader synAck = cookieSynAck(2000, 100, 1460);
        assertThat(listener.synQueueLength()).isZero();
        assertThat(layer.connectionCount()).isZero();
        ack(2000, 101, synAck.seq() + 1);
        assertThat(accepted).hasSize(1);
        assertThat(layer.connectionCount()).isEqualTo(1);
    }

    /** A listener whose accept queue is full drops SYNs and validated cookie ACKs alike (Linux's ListenOverflows). */
    @Test
    void fullAcceptQueueDropsValidatedCookieAcks() {
        HostConfig cfg = HostConfig.builder().ipv4("198.18.0.2/15").build();
        host = new Host(cfg, new SplitMix64(1));
        layer = new TcpLayer(
                cfg,
                TcpConfig.DEFAULT,
                TcpLayer.Limits.DEFAULT.withSynCookies(TcpLayer.SynCookieMode.ALWAYS),
                new SplitMix64(2));
        host.attachTcp(layer);
        listener = layer.listen(PORT, 1, null).value();
        int c1 = cookieSynAck(2000, 100, 1460).seq();
        int c2 = cookieSynAck(2001, 100, 1460).seq();
        ack(2000, 101, c1 + 1);
        assertThat(listener.acceptQueueLength()).isEqualTo(1);
        ack(2001, 101, c2 + 1);
        assertThat(drain()).isEmpty();
        assertThat(listener.acceptQueueLength()).isEqualTo(1);
        assertThat(layer.counters().listenOverflows()).isEqualTo(1);
        assertThat(listener.accept().tuple().remotePort()).isEqualTo(2000);
        ack(2001, 101, c2 + 1);
        assertThat(listener.acceptQueueLength()).isEqualTo(1);
    }

    /** A cookie connection closes like any other: FIN both ways, graceful, and the table empties. */
    @Test
    void cookieConnectionClosesGracefully() {
        boot(TcpLayer.Limits.DEFAULT.withSynCookies(TcpLayer.SynCookieMode.ALWAYS));
        int cookie = cookieSynAck(2000, 100, 1460).seq();
        ack(2000, 101, cookie + 1);
        TcpSocket s = accepted.get(0);
        send(2000, 101, cookie + 1, TcpFlags.FIN | TcpFlags.ACK, new byte[0], TcpOptions.NONE);
        assertThat(s.state()).isEqualTo(TcpState.CLOSE_WAIT);
        s.close();
        List<TcpHeader> out = drain();
        assertThat(out).last().satisfies(h -> assertThat(h.flags().fin()).isTrue());
        assertThat(out.get(out.size() - 1).seq()).isEqualTo(cookie + 1);
        ack(2000, 102, cookie + 2);
        assertThat(drain()).isEmpty();
        assertThat(handlers.get(0).events).last().isEqualTo(new TcpEvent.Closed(CloseReason.GRACEFUL));
        assertThat(layer.connectionCount()).isZero();
    }

    // ------------------------------------------------------------------------------------------------ the cookie

    /** Any 4-tuple, SYN sequence number and MSS index round-trip within the validity, and never after it. */
    @Property(tries = 2_000)
    void cookieRoundTripsWithinItsValidityAndNeverAfter(Gen g) {
        long validity = g.longBetween(4, 1L << 40);
        SynCookies c = new SynCookies(new SplitMix64(g.nextLong()), validity);
        boolean v6 = g.bool();
        FourTuple t = v6
                ? new FourTuple(
                        new Ipv6Address(0xfd00005a00000000L, g.nextLong()),
                        g.intBetween(1, 65535),
                        new Ipv6Address(0xfd00005a00000000L, g.nextLong()),
                        g.intBetween(1, 65535))
                : new FourTuple(HOST, g.intBetween(1, 65535), PEER, g.intBetween(1, 65535));
        int seq = (int) g.nextLong();
        int index = g.intBetween(0, SynCookies.table(v6 ? 6 : 4).length - 1);
        long at = g.longBetween(0, Long.MAX_VALUE / 4);
        int cookie = c.encode(t, seq, index, at);
        long tick = validity / SynCookies.MAX_AGE_TICKS;
        long fresh = at + g.longBetween(0, tick * (SynCookies.MAX_AGE_TICKS - 1) - 1);
        assertThat(c.check(t, seq, cookie, fresh)).isEqualTo(index);
        long stale = at + validity + g.longBetween(0, 300L * tick);
        assertThat(c.check(t, seq, cookie, stale)).isEqualTo(-1);
    }

    /** Guessing is hard: of 100,000 random cookies for a 4-tuple and SYN, at most a handful pass (~2^-21 each). */
    @Test
    void randomCookiesAlmostNeverPass() {
        SynCookies c = new SynCookies(new SplitMix64(9), 120 * S);
        FourTuple t = new FourTuple(HOST, PORT, PEER, 4242);
        SplitMix64 r = new SplitMix64(10);
        int passed = 0;
        for (int i = 0; i < 100_000; i++) {
            passed += c.check(t, 77, (int) r.nextLong(), now) >= 0 ? 1 : 0;
        }
        assertThat(passed).isLessThanOrEqualTo(2);
        int good = c.encode(t, 77, 3, now);
        assertThat(c.check(t, 77, good, now)).isEqualTo(3);
        for (int bit = 0; bit < 32; bit++) {
            assertThat(c.check(t, 77, good ^ (1 << bit), now)).as("bit %d", bit).isNotEqualTo(3);
        }
    }

    /** The key comes from the injected generator: another seed, other cookies; the same seed, the same ones. */
    @Test
    void cookiesAreKeyedFromTheInjectedGenerator() {
        FourTuple t = new FourTuple(HOST, PORT, PEER, 4242);
        int a = new SynCookies(new SplitMix64(1), 120 * S).encode(t, 5, 1, now);
        int b = new SynCookies(new SplitMix64(1), 120 * S).encode(t, 5, 1, now);
        int c = new SynCookies(new SplitMix64(2), 120 * S).encode(t, 5, 1, now);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }
}
