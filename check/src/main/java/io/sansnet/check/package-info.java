/** The seeded property-test harness: @Property tests drawing from SplitMix64, with shrinking and one-line replay. */
package io.sansnet.check;
