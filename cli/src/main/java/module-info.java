/** The sansnet command line. */
module io.sansnet.cli {
    requires transitive io.sansnet.stack;
    requires transitive io.sansnet.http;
    requires transitive io.sansnet.trace;
    requires transitive io.sansnet.sim;
    requires transitive io.sansnet.driver;
    requires transitive info.picocli;
    requires jdk.unsupported;

    exports io.sansnet.cli;

    opens io.sansnet.cli to
            info.picocli;
}
