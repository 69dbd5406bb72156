package io.sansnet.check;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test that checks a property on many generated inputs: the method takes a {@link Gen} and is run
 * {@link #tries()} times, each try with a fresh {@code Gen} seeded from (run seed, try index). It is one JUnit test;
 * {@code @BeforeEach}/{@code @AfterEach} run once around all its tries.
 *
 * <pre>{@code
 * @Property(tries = 10_000)
 * void parsesAnyBytes(Gen g) {
 *     byte[] b = g.bytes(0, 1500);
 *     assertThat(Ipv4Packet.parse(b)).isNotNull();
 * }
 * }</pre>
 *
 * <p>System properties (or JUnit configuration parameters): {@code sansnet.seed=S} runs only the try with seed S (what
 * a failure report prints); {@code sansnet.tries=N} overrides the count; {@code sansnet.runSeed=R} changes the run
 * seed, which by default is derived from the class and method name so that every run (and CI) is deterministic;
 * {@code sansnet.shrinkSteps=N} overrides the shrink budget; {@code sansnet.explore=true} (what the {@code -Pexplore}
 * profile sets) runs {@link #exploreTries()} tries instead of {@link #tries()} where a property names it.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(PropertyExtension.class)
public @interface Property {
    /** How many tries (inputs) to check. */
    int tries() default PropertyRunner.DEFAULT_TRIES;

    /**
     * How many tries under {@code sansnet.explore=true} (the long, nightly exploration); 0, the default, means
     * {@link #tries()}. {@code sansnet.tries} still wins over both.
     */
    int exploreTries() default 0;

    /** At most this many replays of the property while shrinking a failure. */
    int shrinkSteps() default PropertyRunner.DEFAULT_SHRINK_STEPS;
}
