/** JMH and load benchmarks. */
package io.sansnet.bench;
