package io.sansnet.cli;

import io.sansnet.stack.fault.ImpairSpec;
import io.sansnet.stack.rand.SplitMix64;

/** Seeds for commands that take {@code seed=}: the given one, or a fresh one that the command prints. */
final class Seeds {
    private Seeds() {}

    static long chooseOrGiven(ImpairSpec impair) {
        if (impair != null && impair.seed().isPresent()) {
            return impair.seed().getAsLong();
        }
        // Outside the core, so the clock is allowed: a different seed per run, printed for replay.
        return SplitMix64.mix(System.nanoTime()
                ^ (System.currentTimeMillis() << 20)
                ^ ProcessHandle.current().pid());
    }
}
