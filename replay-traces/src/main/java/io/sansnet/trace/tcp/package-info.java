/**
 * TCP stream reassembly from captures: {@link io.sansnet.trace.tcp.TcpStreamReassembler} rebuilds both byte streams
 * of every connection and lists retransmissions, overlaps, out-of-order and missing data.
 */
package io.sansnet.trace.tcp;
