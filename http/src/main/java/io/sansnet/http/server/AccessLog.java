package io.sansnet.http.server;

/** Receives one record per finished response (or rejected request), on the connection's loop thread. */
@FunctionalInterface
public interface AccessLog {

    /** Logs nothing. */
    AccessLog NONE = r -> {};

    void log(Entry entry);

    /**
     * One exchange.
     *
     * @param requestLine the request line as received, or "-" when none could be parsed
     * @param bodyBytes response body bytes sent (0 when none; "-" in CLF)
     */
    record Entry(String peer, long epochMillis, String requestLine, int status, long bodyBytes) {
        /** The Common Log Format line: {@code host ident authuser [date] "request" status bytes}. */
        public String clf() {
            return peer + " - - " + HttpDate.formatClf(Math.floorDiv(epochMillis, 1000L)) + " \"" + requestLine + "\" "
                    + status + " " + (bodyBytes == 0 ? "-" : Long.toString(bodyBytes));
        }
    }
}
