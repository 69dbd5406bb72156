package io.sansnet.stack.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.testkit.TestPackets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChecksumCoverageTest {

    record Case(String name, Function<byte[], byte[]> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("ipv4-udp", b -> TestPackets.ipv4(17, TestPackets.udp(b))),
                new Case("ipv4-tcp", b -> TestPackets.ipv4(6, TestPackets.tcp(b))),
                new Case("ipv4-icmp", b -> TestPackets.ipv4(1, TestPackets.echo(8, b))),
                new Case("ipv6-udp", b -> TestPackets.ipv6(17, TestPackets.udp(b))),
                new Case("ipv6-tcp", b -> TestPackets.ipv6(6, TestPackets.tcp(b))),
                new Case("ipv6-icmpv6", b -> TestPackets.ipv6(58, TestPackets.echo(128, b))));
    }

    /** Every corruption of a well-formed packet flips one bit, breaks a checksum, and keeps version and lengths. */
    @ParameterizedTest
    @MethodSource("cases")
    void corruptionBreaksAChecksumAndKeepsLengths(Case c) {
        SplitMix64 rng = new SplitMix64(SplitMix64.fnv1a64(c.name()));
        FaultModel m = new FaultModel(FaultSpec.NONE.withCorrupt(1), new SplitMix64(7));
        for (int i = 0; i < 2_000; i++) {
            byte[] payload = new byte[rng.nextInt(1400)];
            rng.nextBytes(payload);
            byte[] p = c.build().apply(payload);
            assertThat(TestPackets.checksumsValid(p)).isTrue();
            byte[] q = m.apply(p).get(0).packet();
            assertThat(TestPackets.bitsDiffering(p, q)).isEqualTo(1);
            assertThat(TestPackets.checksumsValid(q))
                    .as("%s payload %d", c, payload.length)
                    .isFalse();
            assertThat(q[0] & 0xf0).isEqualTo(p[0] & 0xf0);
            int lenField = (p[0] & 0xf0) == 0x40 ? 2 : 4;
            assertThat(TestPackets.get16(q, lenField)).isEqualTo(TestPackets.get16(p, lenField));
        }
    }

    @Test
    void ipv4UdpWithoutChecksumIsCorruptedInTheIpHeader() {
        byte[] p = TestPackets.ipv4(17, TestPackets.udp(new byte[100]));
        TestPackets.put16(p, 26, 0); // no UDP checksum
        FaultModel m = new FaultModel(FaultSpec.NONE.withCorrupt(1), new SplitMix64(7));
        for (int i = 0; i < 500; i++) {
            byte[] q = m.apply(p).get(0).packet();
            int at = firstDifference(p, q);
            assertThat(at).isBetween(1, 19).isNotIn(0, 2, 3, 6, 7, 9);
            assertThat(TestPackets.checksum(q, 0, 20, 0)).isNotZero();
        }
    }

    @Test
    void ipv4FragmentIsCorruptedInTheIpHeader() {
        byte[] p = TestPackets.ipv4(17, TestPackets.udp(new byte[100]));
        TestPackets.put16(p, 6, 0x2000); // MF
        TestPackets.put16(p, 10, 0);
        TestPackets.put16(p, 10, TestPackets.checksum(p, 0, 20, 0));
        long bit = ChecksumCoverage.pickBit(p, 12345);
        assertThat(bit / 8).isLessThan(20);
    }

    @Test
    void ipv6ExtensionHeadersAreSkipped() {
        // hop-by-hop options (8 bytes, PadN) then UDP: corruption lands in the UDP ports or payload only
        byte[] udp = TestPackets.udp(new byte[64]);
        byte[] inner = TestPackets.ipv6(17, udp);
        byte[] p = new byte[inner.length + 8];
        System.arraycopy(inner, 0, p, 0, 40);
        p[6] = 0; // next header: hop-by-hop
        TestPackets.put16(p, 4, udp.length + 8);
        p[40] = 17;
        p[41] = 0;
        p[42] = 1; // PadN
        p[43] = 4;
        System.arraycopy(inner, 40, p, 48, udp.length);
        for (long r = 0; r < 2_000; r++) {
            long at = ChecksumCoverage.pickBit(p, r * 0x9e3779b97f4a7c15L) / 8;
            assertThat(at).isGreaterThanOrEqualTo(48).isNotIn(52L, 53L, 54L, 55L);
        }
    }

    @Test
    void arbitraryBytesNeverThrow() {
        SplitMix64 rng = new SplitMix64(99);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[rng.nextInt(120)];
            rng.nextBytes(b);
            if (b.length > 0 && rng.nextBoolean()) {
                b[0] = (byte) (rng.nextBoolean() ? 0x45 : 0x60);
            }
            long bit = ChecksumCoverage.pickBit(b, rng.nextLong());
            assertThat(bit).isLessThan(8L * b.length);
            if (bit >= 0) {
                assertThat(b[(int) (bit >>> 3)] & (1 << (bit & 7)))
                        .as("only 0 bits are flipped")
                        .isZero();
            } else {
                assertThat(allCoveredBitsAreOne(b))
                        .as("-1 only when no covered bit is 0")
                        .isTrue();
            }
        }
    }

    private static int firstDifference(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allCoveredBitsAreOne(byte[] b) {
        int[] r = ChecksumCoverage.ranges(b);
        for (int i = 0; i < r.length; i += 2) {
            for (int j = r[i]; j < r[i + 1]; j++) {
                if (b[j] != (byte) 0xff) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Two corrupted fragments of one datagram carry two flips; since only 0 bits are flipped, their sum never cancels
     * in the one's-complement checksum (a 0-to-1 and a 1-to-0 flip in one bit column would).
     */
    @Test
    void twoFlipsInOneChecksummedRangeAreAlwaysDetected() {
        SplitMix64 rng = new SplitMix64(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[2 + rng.nextInt(200)];
            rng.nextBytes(data);
            int sum = io.sansnet.stack.wire.Checksum.compute(data, 0, data.length);
            byte[] twice = data.clone();
            for (int flip = 0; flip < 2; flip++) {
                long bit = firstZeroBitFrom(twice, rng.nextLong());
                if (bit < 0) {
                    continue;
                }
                twice[(int) (bit >>> 3)] ^= (byte) (1 << (bit & 7));
            }
            if (!java.util.Arrays.equals(twice, data)) {
                assertThat(io.sansnet.stack.wire.Checksum.compute(twice, 0, twice.length))
                        .as("try %d", i)
                        .isNotEqualTo(sum);
            }
        }
    }

    /** The rule pickBit applies, over a plain byte range (the checksummed payload of a datagram). */
    private static long firstZeroBitFrom(byte[] b, long r) {
        long total = 8L * b.length;
        long start = Long.remainderUnsigned(r, total);
        for (long step = 0; step < total; step++) {
            long bit = (start + step) % total;
            if ((b[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return bit;
            }
        }
        return -1;
    }
}
