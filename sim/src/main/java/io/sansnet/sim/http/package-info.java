/**
 * HTTP on simulated hosts: the server of {@code io.sansnet.http.server} on a {@link io.sansnet.sim.SimHost}'s TCP,
 * with the simulation's virtual clock, and the client of the {@code http} scenario.
 */
package io.sansnet.sim.http;
