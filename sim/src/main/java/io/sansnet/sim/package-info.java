/** The deterministic network simulator: virtual clock, seeded links and faults, capture, fingerprints. */
package io.sansnet.sim;
