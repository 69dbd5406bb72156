package io.sansnet.sim.scenario;

import io.sansnet.sim.Disruption;
import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.Link;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;

/**
 * The two-host network every scenario uses so far: {@code client} (198.18.0.1, fd00:5a::1) and {@code server}
 * (198.18.0.2, fd00:5a::2) joined by one link with the plan's settings in both directions, and the plan's schedule
 * (forward is client to server): partitions, crashes, and MTU changes that return to the plan's MTU at their end.
 *
 * @param client the host that makes requests
 * @param server the host that answers
 * @param link the link between them
 */
public record Topology(SimHost client, SimHost server, Link link) {

    public static final String CLIENT_V4 = "198.18.0.1";
    public static final String CLIENT_V6 = "fd00:5a::1";
    public static final String SERVER_V4 = "198.18.0.2";
    public static final String SERVER_V6 = "fd00:5a::2";

    /** Builds the network; a crash of a host other than client or server is an {@link IllegalArgumentException}. */
    public static Topology twoHosts(Simulation sim, FaultPlan plan) {
        SimHost client = sim.addHost("client", CLIENT_V4, CLIENT_V6);
        SimHost server = sim.addHost("server", SERVER_V4, SERVER_V6);
        Link link = sim.connect(client, server, plan.linkParams());
        for (Disruption d : plan.schedule()) {
            if (d instanceof Disruption.Partition p) {
                link.schedulePartition(p.direction(), p.fromNanos(), p.untilNanos());
            } else if (d instanceof Disruption.MtuChange m) {
                link.scheduleMtu(m.direction(), m.fromNanos(), m.mtu());
                link.scheduleMtu(m.direction(), m.untilNanos(), plan.mtu());
            } else if (d instanceof Disruption.Crash c) {
                SimHost h = c.host().equals("client") ? client : c.host().equals("server") ? server : null;
                if (h == null) {
                    throw new IllegalArgumentException("no host called " + c.host() + " (client or server)");
                }
                h.scheduleCrash(c.fromNanos(), c.untilNanos());
            }
        }
        return new Topology(client, server, link);
    }
}
