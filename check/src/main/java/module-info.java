/** The seeded property-test harness: @Property tests drawing from SplitMix64, with shrinking and one-line replay. */
module io.sansnet.check {
    requires transitive org.junit.jupiter.api;

    exports io.sansnet.check;
}
