package io.sansnet.stack.tcp;

import io.sansnet.stack.rand.SplitMix64;

/**
 * Initial sequence numbers per <a href="https://www.rfc-editor.org/rfc/rfc6528#section-3">RFC 6528 §3</a>:
 * {@code ISN = M + F(localip, localport, remoteip, remoteport, secretkey)}, where M is a 4-microsecond timer and F is
 * SipHash-2-4 (a keyed PRF; the RFC suggests MD5 "or better") keyed with 128 bits drawn from the injected generator.
 */
public final class Rfc6528Isn implements IsnSource {

    /** RFC 6528 §3 (from RFC 793): "M is the 4 microsecond timer". */
    private static final long TICK_NANOS = 4_000;

    private final long k0;
    private final long k1;

    public Rfc6528Isn(SplitMix64 random) {
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
    }

    @Override
    public int isn(FourTuple t, long nowNanos) {
        return (int) (nowNanos / TICK_NANOS) + (int) sipHash24(k0, k1, tupleBytes(t));
    }

    @Override
    public int timestampOffset(FourTuple t) {
        return (int) sipHash24(k1, k0, tupleBytes(t));
    }

    private static byte[] tupleBytes(FourTuple t) {
        byte[] l = t.localAddress().toBytes();
        byte[] r = t.remoteAddress().toBytes();
        byte[] m = new byte[l.length + r.length + 4];
        System.arraycopy(l, 0, m, 0, l.length);
        m[l.length] = (byte) (t.localPort() >>> 8);
        m[l.length + 1] = (byte) t.localPort();
        System.arraycopy(r, 0, m, l.length + 2, r.length);
        m[m.length - 2] = (byte) (t.remotePort() >>> 8);
        m[m.length - 1] = (byte) t.remotePort();
        return m;
    }

    /** SipHash-2-4 (Aumasson and Bernstein, 2012) of {@code m} under the key {@code (k0, k1)}, little-endian. */
    static long sipHash24(long k0, long k1, byte[] m) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int end = m.length - (m.length % 8);
        long[] v = {v0, v1, v2, v3};
        for (int i = 0; i < end; i += 8) {
            long mi = 0;
            for (int j = 7; j >= 0; j--) {
                mi = (mi << 8) | (m[i + j] & 0xFFL);
            }
            v[3] ^= mi;
            sipRound(v);
            sipRound(v);
            v[0] ^= mi;
        }
        long b = ((long) m.length) << 56;
        for (int j = 0; j < m.length - end; j++) {
            b |= (m[end + j] & 0xFFL) << (8 * j);
        }
        v[3] ^= b;
        sipRound(v);
        sipRound(v);
        v[0] ^= b;
        v[2] ^= 0xFF;
        for (int r = 0; r < 4; r++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipRound(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
