/** The sansnet command line. */
module io.sansnet.cli {
    requires transitive io.sansnet.stack;
    requires transitive io.sansnet.http;
    requires transitive io.sansnet.trace;
    requires transitive io.sansnet.sim;
    requires transitive io.sansnet.driver;
    requires transitive info.picocli;
// exports io.sansnet.cli; (added with its first class)

}
