package io.sansnet.sim.scenario;

import java.util.List;
import java.util.Optional;

/** The scenarios known by name. TCP and HTTP scenarios join as those land. */
public final class Scenarios {
    private Scenarios() {}

    /** Listed in the help: what users run. */
    public static final List<String> NAMES =
            List.of("udp-echo", "ping", "bulk", "handshake-storm", "http", "syn-flood", "rst-attack");

    /** The scenario called {@code name}; {@code udp-echo-broken} (test-only bug switch) is known but not listed. */
    public static Optional<Scenario> byName(String name) {
        return Optional.ofNullable(
                switch (name) {
                    case "udp-echo" -> UdpEchoScenario.correct();
                    case "ping" -> new PingScenario();
                    case "bulk" -> new BulkScenario();
                    case "handshake-storm" -> new HandshakeStormScenario();
                    case "http" -> new HttpScenario();
                    case "syn-flood" -> new SynFloodScenario();
                    case "rst-attack" -> new RstAttackScenario();
                    case "udp-echo-broken" -> UdpEchoScenario.withDropEverySeventhBug();
                    default -> null;
                });
    }
}
