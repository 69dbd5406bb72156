package io.sansnet.stack.fault;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A parsed {@code --impair SPEC}: the fault settings and, when {@code seed=N} was given, the seed of the fault
 * stream. Without a seed the caller chooses one and prints it, so the run can be repeated.
 */
public record ImpairSpec(FaultSpec spec, OptionalLong seed) {
    public ImpairSpec {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(seed, "seed");
    }

    /** Parses {@code loss=P,duplicate=P,reorder=P,corrupt=P,delay=D,jitter=D,reorder-delay=D,seed=N}. */
    public static SpecParse<ImpairSpec> parse(String text) {
        return FaultSpec.parse(text);
    }

    /** The SPEC text that parses back to this value. */
    public String format() {
        String s = spec.format();
        if (seed.isEmpty()) {
            return s;
        }
        return (s.isEmpty() ? "" : s + ",") + "seed=" + seed.getAsLong();
    }
}
