package io.sansnet.fuzz;

import io.sansnet.stack.wire.Checksum;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.PseudoHeader;
import java.util.Arrays;

/**
 * Addresses and helpers shared by the targets. The addresses are those of the packets in the seed corpus (captured
 * from a kernel at 198.18.0.1 and fd00:5a::1 talking to sansnet at .2 and ::2), so the seeds' checksums verify as
 * they are.
 */
final class Fixtures {
    private Fixtures() {}

    static final Ipv4Address PEER4 = Ipv4Address.of(198, 18, 0, 1);
    static final Ipv4Address SELF4 = Ipv4Address.of(198, 18, 0, 2);
    static final Ipv6Address PEER6 = Ipv6Address.of("fd00:5a::1");
    static final Ipv6Address SELF6 = Ipv6Address.of("fd00:5a::2");
    static final PseudoHeader PH4 = new PseudoHeader(PEER4, SELF4);
    static final PseudoHeader PH6 = new PseudoHeader(PEER6, SELF6);

    /** The input without its first (control) byte. */
    static byte[] body(byte[] input) {
        return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    }

    /** The control byte, 0 for an empty input. */
    static int control(byte[] input) {
        return input.length == 0 ? 0 : input[0] & 0xFF;
    }

    /** {@code b} copied into a larger array at offset 3, to catch parsers that confuse slice and array offsets. */
    static byte[] shifted(byte[] b) {
        byte[] s = new byte[b.length + 7];
        Arrays.fill(s, (byte) 0xA5);
        System.arraycopy(b, 0, s, 3, b.length);
        return s;
    }

    /**
     * Writes the Internet checksum of {@code b[0, len)} (plus {@code pseudo}, an unfolded pseudo-header sum) into the
     * 16-bit field at {@code at}, so the fuzzer's other bytes reach the parser behind the checksum check.
     */
    static void writeChecksum(byte[] b, int len, int at, long pseudo, boolean zeroMeansNone) {
        if (at + 2 > len) {
            return;
        }
        b[at] = 0;
        b[at + 1] = 0;
        int c = Checksum.finish(Checksum.add(pseudo, b, 0, len));
        if (c == 0 && zeroMeansNone) {
            c = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        }
        b[at] = (byte) (c >>> 8);
        b[at + 1] = (byte) c;
    }

    /** {@code b} with the two bytes at {@code at} set to zero (to compare encodings whose checksums may differ). */
    static byte[] withoutField(byte[] b, int at) {
        byte[] c = b.clone();
        if (at + 2 <= c.length) {
            c[at] = 0;
            c[at + 1] = 0;
        }
        return c;
    }
}
