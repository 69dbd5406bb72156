/**
 * Scenarios the {@code sim} and {@code explore} commands run by name, their runner and their results. A scenario builds
 * its hosts and link from a {@link io.sansnet.sim.FaultPlan}, runs application code written against the application
 * interface only ({@link io.sansnet.stack.app.AppHost}), and judges the run with its invariants.
 */
package io.sansnet.sim.scenario;
