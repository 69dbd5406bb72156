/** Sans-io HTTP/1.1: connection objects for client and server roles, bytes in, events out. */
module io.sansnet.http {
    requires transitive io.sansnet.stack;

    exports io.sansnet.http;
    exports io.sansnet.http.server;
    exports io.sansnet.http.server.tcp;
    exports io.sansnet.http.testkit;
}
