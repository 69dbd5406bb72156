/**
 * Test data for HTTP implementations, shared by the tests of every module and transport: the malformed and
 * request-smuggling suite ({@link io.sansnet.http.testkit.MalformedRequests}). Plain data, no I/O.
 */
package io.sansnet.http.testkit;
