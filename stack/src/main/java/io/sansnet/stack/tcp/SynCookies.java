package io.sansnet.stack.tcp;

import io.sansnet.stack.rand.SplitMix64;

/**
 * SYN cookies (<a href="https://www.rfc-editor.org/rfc/rfc4987#section-3.6">RFC 4987 §3.6</a>): when a listener's SYN
 * queue is full, the ISS of its SYN-ACK encodes what it needs to rebuild the connection from the client's ACK, so
 * the SYN leaves no state behind. The layout follows Linux's ({@code net/ipv4/syncookies.c},
 * {@code secure_tcp_syn_cookie}):
 *
 * <pre>
 *   ISS = H1(4-tuple, SEG.SEQ(SYN)) + (count &lt;&lt; 24) + ((H2(4-tuple, SEG.SEQ(SYN), count) + mssIndex) mod 2^24)
 * </pre>
 *
 * where H1 and H2 are SipHash-2-4 keyed with 128 bits drawn from the injected generator (two domains of one key),
 * {@code count} is a coarse clock ({@code nowNanos / tick}, never the wall clock) of which the top 8 bits of the ISS
 * carry the low 8, and {@code mssIndex} picks the largest entry of a small MSS table ({@link #MSS_TABLE_V4},
 * {@link #MSS_TABLE_V6}, Linux's {@code msstab}) not above the MSS the SYN offered.
 *
 * <p>Note: Linux adds the SYN's sequence number to the cookie instead of hashing it; then a segment whose SEG.SEQ is k
 * above the SYN's + 1 (a FIN or a second data segment that overtook the ACK) passes with the MSS index lowered by k
 * and makes the connection with a wrong RCV.NXT. Hashing it makes such a segment fail like any other.
 *
 * <p>Checking an ACK: {@code cookie = SEG.ACK - 1} and {@code SEG.SEQ - 1} is the SYN's sequence number; subtracting
 * H1 leaves the count and the 24-bit field; the cookie is valid when fewer than
 * {@link #MAX_AGE_TICKS} ticks passed since the count it carries and the field minus H2 (for that count) is an index of
 * the table. As in Linux, 22 of the 24 bits are hash: a blind guess of SEG.ACK for a given 4-tuple and SEG.SEQ passes
 * with probability about {@code MAX_AGE_TICKS * 4 / 2^24}, which is why the layer checks cookies only while the
 * listener is sending them.
 *
 * <p>What a cookie cannot carry, the connection goes without (as Linux without TCP timestamps): window scaling, SACK
 * and timestamps are not offered in a cookie SYN-ACK and stay off; the peer's MSS is rounded down to a table entry.
 */
final class SynCookies {

    /** Linux's IPv4 {@code msstab}: the MSS values a cookie can carry (index 0 is RFC 9293's default of 536). */
    static final int[] MSS_TABLE_V4 = {536, 1300, 1440, 1460};

    /** Linux's IPv6 {@code msstab}: 1280, 1480, 1500 and 9000 octet MTUs minus 60 octets of headers. */
    static final int[] MSS_TABLE_V6 = {1220, 1420, 1440, 8940};

    /** The low bits of the ISS hold the hash plus the MSS index; the top 8 bits hold the count. */
    static final int FIELD_BITS = 24;

    private static final int FIELD_MASK = (1 << FIELD_BITS) - 1;
    private static final int COUNT_MASK = 0xFF;

    /**
     * A cookie is valid while its count is at most {@code MAX_AGE_TICKS - 1} ticks old; the tick is the validity
     * divided by this, so a cookie lives at least 3/4 of {@code validityNanos} and never longer than it. (Linux uses
     * two ticks of 64 seconds.)
     */
    static final int MAX_AGE_TICKS = 4;

    private final long k0;
    private final long k1;
    private final long tickNanos;

    /**
     * @param random the source of the secret key (drawn once)
     * @param validityNanos the longest a cookie stays valid (at least {@link #MAX_AGE_TICKS} ns)
     */
    SynCookies(SplitMix64 random, long validityNanos) {
        if (validityNanos < MAX_AGE_TICKS) {
            throw new IllegalArgumentException("cookie validity too short: " + validityNanos);
        }
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
        this.tickNanos = validityNanos / MAX_AGE_TICKS;
    }

    /** The MSS table for IP {@code version}. */
    static int[] table(int version) {
        return version == 4 ? MSS_TABLE_V4 : MSS_TABLE_V6;
    }

    /** The index of the largest table entry not above {@code peerMss} (0 when all are above it). */
    static int mssIndex(int version, int peerMss) {
        int[] t = table(version);
        int i = t.length - 1;
        while (i > 0 && t[i] > peerMss) {
            i--;
        }
        return i;
    }

    /** The ISS of a cookie SYN-ACK for a SYN with sequence number {@code synSeq} on {@code tuple} (ours first). */
    int encode(FourTuple tuple, int synSeq, int mssIndex, long nowNanos) {
        long count = nowNanos / tickNanos;
        return hash1(tuple, synSeq)
                + ((int) (count & COUNT_MASK) << FIELD_BITS)
                + ((hash2(tuple, synSeq, count) + mssIndex) & FIELD_MASK);
    }

    /**
     * Checks {@code cookie} (SEG.ACK - 1) of an ACK whose SYN had sequence number {@code synSeq} (SEG.SEQ - 1). Returns
     * the MSS index it carries, or -1 when it is expired, forged or for another 4-tuple.
     */
    int check(FourTuple tuple, int synSeq, int cookie, long nowNanos) {
        long count = nowNanos / tickNanos;
        int c = cookie - hash1(tuple, synSeq);
        long age = (count - (c >>> FIELD_BITS)) & COUNT_MASK;
        if (age >= MAX_AGE_TICKS) {
            return -1;
        }
        int index = (c - hash2(tuple, synSeq, count - age)) & FIELD_MASK;
        return index < table(tuple.localAddress().version()).length ? index : -1;
    }

    private int hash1(FourTuple t, int synSeq) {
        return (int) Rfc6528Isn.sipHash24(k0, k1, message(t, synSeq, 1, 0));
    }

    private int hash2(FourTuple t, int synSeq, long count) {
        return (int) Rfc6528Isn.sipHash24(k0, k1, message(t, synSeq, 2, count));
    }

    /** The 4-tuple, the SYN's sequence number, a domain octet (1 or 2) and the count, as the hash input. */
    private static byte[] message(FourTuple t, int synSeq, int domain, long count) {
        byte[] l = t.localAddress().toBytes();
        byte[] r = t.remoteAddress().toBytes();
        byte[] m = new byte[l.length + r.length + 4 + 4 + 1 + 8];
        int p = 0;
        System.arraycopy(l, 0, m, p, l.length);
        p += l.length;
        m[p++] = (byte) (t.localPort() >>> 8);
        m[p++] = (byte) t.localPort();
        System.arraycopy(r, 0, m, p, r.length);
        p += r.length;
        m[p++] = (byte) (t.remotePort() >>> 8);
        m[p++] = (byte) t.remotePort();
        for (int i = 0; i < 4; i++) {
            m[p++] = (byte) (synSeq >>> (8 * i));
        }
        m[p++] = (byte) domain;
        for (int i = 0; i < 8; i++) {
            m[p++] = (byte) (count >>> (8 * i));
        }
        return m;
    }
}
