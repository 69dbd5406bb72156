package io.sansnet.stack.tcp;

import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.util.function.IntPredicate;

/**
 * Ephemeral port selection by RFC 6056 §3.3.3, "Algorithm 3: Simple Hash-Based Port Selection Algorithm": the search
 * for a free port starts at an offset that is a keyed hash of the local address and the remote endpoint, plus a global
 * counter, so an off-path attacker cannot guess a connection's port while connections to different peers still spread
 * over the range. The key comes from the injected generator (same seed, same ports).
 */
public final class EphemeralPorts {

    private final int first;
    private final int count;
    private final long secret;
    /** RFC 6056 §3.3.3 "next_ephemeral": advanced past each port tried. */
    private int nextEphemeral;

    /**
     * @param first the lowest port to choose (RFC 6056 §2.1 recommends 1024..65535; IANA's range starts at 49152)
     * @param last the highest port to choose
     * @param random the source of the hash key
     */
    public EphemeralPorts(int first, int last, SplitMix64 random) {
        if (first < 1 || last > 0xFFFF || first > last) {
            throw new IllegalArgumentException("bad ephemeral range " + first + ".." + last);
        }
        this.first = first;
        this.count = last - first + 1;
        this.secret = random.nextLong();
    }

    /**
     * Chooses a port for a connection from {@code local} to {@code remote}:{@code remotePort} that {@code free} accepts,
     * or -1 when every port in the range is taken ("check_suitable_port" of RFC 6056).
     */
    public int choose(IpAddress local, IpAddress remote, int remotePort, IntPredicate free) {
        // F(local_addr, remote_addr, remote_port, secret_key)
        long h = SplitMix64.mix(secret ^ local.hashCode());
        h = SplitMix64.mix(h ^ remote.hashCode());
        h = SplitMix64.mix(h ^ remotePort);
        int offset = (int) Long.remainderUnsigned(h, count);
        for (int i = 0; i < count; i++) {
            int port = first + (int) (((long) offset + Integer.toUnsignedLong(nextEphemeral) + i) % count);
            if (free.test(port)) {
                nextEphemeral += i + 1;
                return port;
            }
        }
        return -1;
    }
}
