/** Real drivers: Linux TUN through JNA and kernel sockets, with their event loop. */
module io.sansnet.driver {
    requires transitive io.sansnet.stack;
    requires transitive io.sansnet.http;
    requires transitive io.sansnet.trace;
    requires transitive com.sun.jna;

    exports io.sansnet.driver;
    exports io.sansnet.driver.tun;
    exports io.sansnet.driver.socket;
}
