/**
 * The seeded property-test harness: {@link io.sansnet.check.Property @Property} tests drawing their inputs from a
 * {@link io.sansnet.check.Gen} (SplitMix64 seeded per try), with shrinking and a one-line replay command.
 *
 * <p>A try's seed is derived from the run seed and the try index; the run seed is derived from the class and method
 * name unless {@code -Dsansnet.runSeed} is given, so CI runs are deterministic. A failure is re-run from its seed
 * with its choices recorded, shrunk by replaying edited choices, and reported with the seed and the command
 * {@code mvn -pl MODULE -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='Class#method' -Dsansnet.seed=S}.
 * {@link io.sansnet.check.PropertyRunner} runs a property without JUnit; {@link io.sansnet.check.Gen#fromSeed(long)}
 * serves any other harness.
 */
package io.sansnet.check;
