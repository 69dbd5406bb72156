/**
 * Sans-io HTTP/1.1 (RFC 9110, RFC 9112): {@link io.sansnet.http.HttpConnection}, one per connection and role, turns
 * received bytes into {@link io.sansnet.http.HttpEvent}s and events to send into bytes, with no I/O, threads or clocks
 * (the design of Python's h11). Both parties' {@link io.sansnet.http.HttpState}s live in one transition table; peer
 * violations are {@link io.sansnet.http.RemoteProtocolError}s and API misuse {@link
 * io.sansnet.http.LocalProtocolError}s, each with the HTTP status to answer; every bound on untrusted input is a field
 * of {@link io.sansnet.http.HttpLimits}.
 *
 * <p>A server loop:
 *
 * <pre>{@code
 * HttpConnection conn = new HttpConnection(Role.SERVER);
 * conn.receiveData(bytesFromSocket);            // an empty buffer means EOF
 * for (HttpEvent ev; ; ) {
 *     ev = conn.nextEvent();                     // throws RemoteProtocolError: answer e.statusHint(), then close
 *     if (ev instanceof HttpEvent.NeedData) break;               // read more
 *     if (ev instanceof HttpEvent.Request r) { ... }
 *     else if (ev instanceof HttpEvent.Data d) { ... }           // a view of bytesFromSocket
 *     else if (ev instanceof HttpEvent.EndOfMessage) {
 *         write(conn.send(new HttpEvent.Response(200, Headers.of("Content-Length", "2"))));
 *         write(conn.send(new HttpEvent.Data(ok)));
 *         write(conn.send(new HttpEvent.EndOfMessage()));
 *         if (conn.ourState() == HttpState.MUST_CLOSE) { close(); break; }
 *         conn.startNextCycle();                 // both DONE: read the next (pipelined) request
 *     } else if (ev instanceof HttpEvent.Paused) { ... }         // finish the response, or take trailingData()
 *     else if (ev instanceof HttpEvent.ConnectionClosed) { close(); break; }
 * }
 * }</pre>
 *
 * <p>Unlike h11, a client may pipeline (RFC 9112 §9.3.2): once its request is complete it may send the next ones; each
 * becomes the current request at {@link io.sansnet.http.HttpConnection#startNextCycle()}, so responses are matched
 * to requests in order. Transfer codings other than chunked are refused in requests (501).
 */
package io.sansnet.http;
