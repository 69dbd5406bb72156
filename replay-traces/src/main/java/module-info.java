/** pcap and pcapng reading and writing, TCP stream reassembly and trace replay. */
module io.sansnet.trace {
    requires transitive io.sansnet.stack;

    exports io.sansnet.trace.drive;
    exports io.sansnet.trace.pcap;
    exports io.sansnet.trace.plot;
    exports io.sansnet.trace.tcp;
}
