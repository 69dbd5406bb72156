package io.sansnet.trace.drive;

import io.sansnet.trace.tcp.Side;

/** Which endpoint of a captured connection sansnet's TCP replaces; the other one's packets are replayed. */
public enum DriveMode {
    /** sansnet takes the place of the endpoint that received the connection's first SYN: it listens and accepts. */
    SERVER,
    /** sansnet takes the place of the endpoint that sent the first SYN: it connects. */
    CLIENT;

    /** The captured side sansnet replaces. */
    public Side replaced() {
        return this == SERVER ? Side.SERVER : Side.CLIENT;
    }

    /** The captured side whose packets are replayed to sansnet. */
    public Side peer() {
        return replaced().other();
    }
}
