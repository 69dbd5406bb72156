/**
 * Time-sequence graphs (W. Richard Stevens' graphs, as tcptrace and Wireshark draw them) of one direction of one TCP
 * connection, as standalone SVG: {@link io.sansnet.trace.plot.SequenceGraphBuilder} turns segments (from a capture
 * or a simulation) into a {@link io.sansnet.trace.plot.SequenceGraph}, {@link io.sansnet.trace.plot.SvgTimeSequence}
 * draws it, and {@link io.sansnet.trace.plot.CaptureSequenceGraphs} does both for a connection of a capture file.
 */
package io.sansnet.trace.plot;
