/**
 * TCP as a sans-io state machine (RFC 9293): {@link io.sansnet.stack.tcp.TcpConnection} takes segments and time and
 * gives segments, deadlines and {@link io.sansnet.stack.tcp.TcpEvent}s; it never reads a clock, draws unseeded
 * randomness or touches I/O.
 *
 * <p>The parts, each with its RFC: {@link io.sansnet.stack.tcp.SeqNum} (RFC 9293 §3.4 modular arithmetic),
 * {@link io.sansnet.stack.tcp.RttEstimator} (RFC 6298), {@link io.sansnet.stack.tcp.CongestionControl} with
 * {@link io.sansnet.stack.tcp.NewReno} (RFC 5681, RFC 6582) and {@link io.sansnet.stack.tcp.Cubic} (RFC 9438), the
 * bounded send queue and receive reassembly with SACK blocks (RFC 2018), the RFC 6675 scoreboard, and
 * {@link io.sansnet.stack.tcp.Rfc6528Isn} (RFC 6528 initial sequence numbers).
 */
package io.sansnet.stack.tcp;
