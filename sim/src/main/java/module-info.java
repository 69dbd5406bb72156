/** The deterministic network simulator: virtual clock, seeded links and faults, capture, fingerprints. */
module io.sansnet.sim {
    requires transitive io.sansnet.stack;
    requires transitive io.sansnet.http;
    requires transitive io.sansnet.trace;
    requires transitive io.sansnet.check;

    exports io.sansnet.sim;
    exports io.sansnet.sim.http;
    exports io.sansnet.sim.scenario;
}
