/**
 * Driving sansnet's TCP from a captured connection ({@code sansnet replay --drive server|client}):
 * {@link io.sansnet.trace.drive.TraceDriver} replaces one endpoint of the capture with sansnet, replays the other
 * endpoint's packets on a virtual clock, checks every segment sansnet sends and the stream its application receives,
 * and reports the first {@link io.sansnet.trace.drive.Divergence} with its packet number. Sans-io: no clock, threads
 * or files.
 */
package io.sansnet.trace.drive;
