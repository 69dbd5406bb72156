package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import org.junit.jupiter.api.Test;

/** RFC 6528 ISNs from SipHash-2-4 keyed by the injected generator. */
class Rfc6528IsnTest {
    private static final FourTuple A = new FourTuple(IpAddress.of("198.18.0.1"), 40000, IpAddress.of("198.18.0.2"), 80);
    private static final FourTuple B = A.withRemotePort(81);

    @Test
    void sipHashMatchesTheReferenceVectors() {
        // SipHash-2-4 paper, Appendix A: key 00..0f; messages of length 0 and 15 (bytes 00..0e)
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        assertThat(Rfc6528Isn.sipHash24(k0, k1, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
        byte[] m = new byte[15];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        assertThat(Rfc6528Isn.sipHash24(k0, k1, m)).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void isnAdvancesWithTheFourMicrosecondClock() { // RFC 6528 §3: ISN = M + F(...)
        Rfc6528Isn isn = new Rfc6528Isn(new SplitMix64(1));
        int at0 = isn.isn(A, 0);
        assertThat(isn.isn(A, 4_000_000)).isEqualTo(at0 + 1000);
        assertThat(isn.isn(A, 0)).isNotEqualTo(isn.isn(B, 0)); // F differs per 4-tuple
    }

    @Test
    void theKeyComesFromTheInjectedGenerator() {
        assertThat(new Rfc6528Isn(new SplitMix64(7)).isn(A, 0))
                .isEqualTo(new Rfc6528Isn(new SplitMix64(7)).isn(A, 0))
                .isNotEqualTo(new Rfc6528Isn(new SplitMix64(8)).isn(A, 0));
    }
}
