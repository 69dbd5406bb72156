package io.sansnet.trace.drive;

/** Sequence-number arithmetic of the replay. */
final class DriveMath {
    private DriveMath() {}

    /**
     * How far {@code seq} lies past {@code isn} (RFC 9293 §3.4: sequence numbers compare modulo 2^32): the SYN is at
     * offset 0, stream byte {@code i} at {@code i + 1}. Numbers up to 2^31 before the ISN come out negative, so a
     * connection's streams can be replayed up to 2 GiB.
     */
    static long offset(int seq, int isn) {
        return seq - isn;
    }
}
