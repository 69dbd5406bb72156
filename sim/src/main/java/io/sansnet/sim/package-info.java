/**
 * The deterministic network simulator: virtual clock, seeded links and faults, capture, fingerprints.
 *
 * <pre>{@code
 * Simulation sim = Simulation.create(seed);
 * SimHost client = sim.addHost("client", "198.18.0.1", "fd00:5a::1");
 * SimHost server = sim.addHost("server", "198.18.0.2", "fd00:5a::2");
 * Link link = sim.connect(client, server, LinkParams.DEFAULT.withLoss(0.1).withLatencyNanos(20_000_000));
 * server.install(host -> host.bindUdp(7, (s, d) -> s.send(d.source(), d.sourcePort(), d.payload().toArray())));
 * link.schedulePartition(Link.Direction.FORWARD, 1_000_000_000L, 2_000_000_000L);
 * Capture.attach(sim, out, Capture.Format.PCAPNG);      // one interface per host, virtual timestamps
 * AppFuture<Long> rtt = client.ping(server.address(4), new byte[56], 1_000_000_000L);
 * long nanos = sim.await(rtt);                            // runs the simulation until the future completes
 * String fp = sim.fingerprint();                          // 16 hex digits over the ordered event log
 * }</pre>
 *
 * <p>Everything runs on the caller's thread: no I/O (captures and traces go to a stream or listener the caller owns),
 * no threads, no wall clock, and randomness only from per-component streams of the seed. {@link
 * io.sansnet.sim.SimCheck} puts simulations into the {@code check} harness's property tests; {@link
 * io.sansnet.sim.scenario} holds the named scenarios of {@code sansnet sim} and {@code sansnet explore}.
 */
package io.sansnet.sim;
