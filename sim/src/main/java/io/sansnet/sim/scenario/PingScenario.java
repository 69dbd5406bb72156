package io.sansnet.sim.scenario;

import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.app.App;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppHost;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ping}: the client pings the server's IPv4 and IPv6 addresses alternately, one request every
 * {@link #INTERVAL_NANOS} like {@code ping -i 0.01}, and retries a request that times out. The server's stack answers
 * on its own (no application).
 *
 * <p>Invariants: every ping is answered within {@link #MAX_ATTEMPTS} tries, and no round trip is shorter than twice the
 * link latency (nothing travels faster than the link).
 */
public final class PingScenario implements Scenario {

    public static final long INTERVAL_NANOS = 10_000_000L;
    /** Wait for a reply this long before retrying (ping's default deadline per probe is much longer; runs stay short). */
    public static final long TIMEOUT_NANOS = 1_000_000_000L;

    public static final int MAX_ATTEMPTS = 40;
    public static final int MAX_PAYLOAD = 1000;

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public String description() {
        return "ICMP and ICMPv6 echo from client to server, retried until every ping is answered";
    }

    @Override
    public Run setUp(Simulation sim, FaultPlan plan, ScenarioOptions options) {
        Topology t = Topology.twoHosts(sim, plan);
        Pinger p = new Pinger(
                sim.rng("scenario:ping:client"),
                options.messages(),
                new IpAddress[] {t.server().address(4), t.server().address(6)},
                2 * plan.latencyNanos());
        t.client().install(p);
        return p;
    }

    static final class Pinger implements App, Run {
        private final byte[][] payloads;
        private final int[] attempts;
        private final boolean[] answered;
        private final IpAddress[] targets;
        private final long minRtt;
        private final List<String> violations = new ArrayList<>();
        private int answeredCount;
        private int gaveUp;
        private long shortestRtt = Long.MAX_VALUE;
        private AppHost host;

        Pinger(SplitMix64 rng, int n, IpAddress[] server, long minRtt) {
            payloads = new byte[n][];
            attempts = new int[n];
            answered = new boolean[n];
            targets = server.clone();
            this.minRtt = minRtt;
            for (int i = 0; i < n; i++) {
                payloads[i] = new byte[rng.nextInt(MAX_PAYLOAD + 1)];
                rng.nextBytes(payloads[i]);
            }
        }

        @Override
        public void start(AppHost h) {
            host = h;
            for (int i = 0; i < payloads.length; i++) {
                if (!answered[i]) {
                    int k = i;
                    h.schedule(INTERVAL_NANOS * i, () -> ping(k));
                }
            }
        }

        private void ping(int i) {
            if (answered[i]) {
                return;
            }
            if (attempts[i] == MAX_ATTEMPTS) {
                attempts[i]++;
                gaveUp++;
                violations.add("ping " + i + " unanswered after " + MAX_ATTEMPTS + " attempts");
                return;
            }
            attempts[i]++;
            host.ping(targets[i % 2], payloads[i], TIMEOUT_NANOS).onComplete(r -> onResult(i, r));
        }

        private void onResult(int i, AppResult<Long> r) {
            if (r instanceof AppResult.Ok<Long> ok) {
                if (!answered[i]) {
                    answered[i] = true;
                    answeredCount++;
                    shortestRtt = Math.min(shortestRtt, ok.value());
                    if (ok.value() < minRtt) {
                        violations.add("ping " + i + " came back in " + ok.value() + " ns, below twice the latency");
                    }
                }
            } else if (r.error().kind() == AppError.Kind.TIMED_OUT) {
                ping(i);
            } else {
                violations.add("ping " + i + " failed: " + r.error());
            }
        }

        @Override
        public boolean finished() {
            return answeredCount + gaveUp == payloads.length || !violations.isEmpty();
        }

        @Override
        public List<String> violations() {
            List<String> v = new ArrayList<>(violations);
            if (v.isEmpty() && answeredCount < payloads.length) {
                v.add((payloads.length - answeredCount) + " of " + payloads.length + " pings never answered");
            }
            return v;
        }

        @Override
        public List<String[]> facts() {
            return List.of(
                    new String[] {"messages", Integer.toString(payloads.length)},
                    new String[] {"answered", Integer.toString(answeredCount)},
                    new String[] {"shortest-rtt", shortestRtt == Long.MAX_VALUE ? "-" : shortestRtt + "ns"});
        }
    }
}
