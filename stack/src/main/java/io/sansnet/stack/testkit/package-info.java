/**
 * Test data for network stacks, for the tests of every module and for users' own tests: well-formed IPv4/IPv6 packets
 * with valid checksums ({@link io.sansnet.stack.testkit.TestPackets}). Plain data, no I/O, no clock, no randomness.
 */
package io.sansnet.stack.testkit;
