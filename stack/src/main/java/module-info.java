/** The sans-io core: IP, ICMP, UDP, TCP, the seeded fault model and the application interface. No I/O, threads or clocks. */
module io.sansnet.stack {
    exports io.sansnet.stack.fault;
    exports io.sansnet.stack.rand;
    exports io.sansnet.stack.wire;
    exports io.sansnet.stack.app;
    exports io.sansnet.stack.host;
    exports io.sansnet.stack.tcp;
    exports io.sansnet.stack.testkit;
}
