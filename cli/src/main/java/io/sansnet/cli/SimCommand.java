package io.sansnet.cli;

import io.sansnet.sim.Capture;
import io.sansnet.sim.Disruption;
import io.sansnet.sim.FaultPlan;
import io.sansnet.sim.LoggedEvent;
import io.sansnet.sim.scenario.BulkScenario;
import io.sansnet.sim.scenario.RstAttackScenario;
import io.sansnet.sim.scenario.Scenario;
import io.sansnet.sim.scenario.ScenarioOptions;
import io.sansnet.sim.scenario.ScenarioResult;
import io.sansnet.sim.scenario.ScenarioRunner;
import io.sansnet.sim.scenario.Scenarios;
import io.sansnet.sim.scenario.SynFloodScenario;
import io.sansnet.stack.fault.SpecParse;
import io.sansnet.stack.fault.Units;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sansnet sim}: runs one seeded scenario in the deterministic simulator and prints one {@code key: value} line
 * per field (or one JSON object with {@code --json}). Exit 0 when every invariant held, 1 when one failed (with the
 * failed invariant and the replay command), 2 for a bad flag, 3 when a file cannot be written.
 */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one seeded scenario on simulated hosts and links with a virtual clock: the same seed and flags give"
                    + " the same run, byte for byte, and the same fingerprint.",
            "Fault settings that are not given are drawn from the seed and printed; give them back as flags to pin"
                    + " them."
        })
final class SimCommand implements Callable<Integer> {

    /** The default seed: {@code sansnet sim} alone is one fixed, faulty, reproducible run. */
    static final long DEFAULT_SEED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    FaultFlags faults = new FaultFlags();

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "The run's seed (default " + DEFAULT_SEED + "); a signed or unsigned 64-bit integer.")
    String seed;

    @Option(
            names = "--pcap",
            paramLabel = "FILE",
            description = "Capture every packet as each host saw it: pcapng"
                    + " with one interface per host, or classic pcap when FILE ends in .pcap.")
    Path pcap;

    @Option(
            names = "--trace",
            paramLabel = "FILE",
            description = "Write the event log the fingerprint is computed"
                    + " over: one line per event, <virtual ns> <host> <kind> <bytes in hex>.")
    Path trace;

    @Option(names = "--json", description = "Print one JSON object with the same keys instead of key: value lines.")
    boolean json;

    @Option(
            names = "--plot",
            paramLabel = "FILE.svg",
            description = "bulk only: draw the time-sequence graph of the client's data to the server (cwnd and"
                    + " SND.WND sampled on every segment it sends, the network's drops as X) as SVG.")
    Path plot;

    @Override
    public Integer call() {
        ScenarioRunner.Request request = faults.request(spec, seed == null ? DEFAULT_SEED : parseSeed(spec, seed));
        if (plot != null && !"bulk".equals(faults.scenario)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--plot: only the bulk scenario takes it");
        }
        PlotCommand.SimRecorder recorder = plot == null ? null : new PlotCommand.SimRecorder();
        long start = System.nanoTime();
        ScenarioResult result;
        try (Outputs outputs = new Outputs(pcap, trace)) {
            result = ScenarioRunner.run(request, sim -> {
                outputs.attach(sim);
                if (recorder != null) {
                    recorder.attach(sim);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new EnvironmentException("cannot write " + describe(pcap, trace) + ": " + e.getMessage(), e);
        }
        long wallNanos = System.nanoTime() - start;
        PrintWriter out = spec.commandLine().getOut();
        List<String[]> fields = withWallTime(result.fields(), wallNanos);
        if (recorder != null) {
            PlotCommand.write(plot, recorder.svg("sim --scenario bulk --seed " + request.seed()));
            fields.add(new String[] {"plot", plot.toString()});
        }
        if (!result.passed()) {
            for (String v : result.violations()) {
                fields.add(new String[] {"violation", v});
            }
            fields.add(new String[] {
                "replay", result.replayCommand(pcap != null ? pcap.toString() : result.defaultPcapName())
            });
        }
        if (json) {
            out.println(toJson(fields));
        } else {
            for (String[] f : fields) {
                out.println(f[0] + ": " + f[1]);
            }
        }
        out.flush();
        return result.passed() ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }

    private static String describe(Path pcap, Path trace) {
        return pcap != null && trace != null ? pcap + " or " + trace : String.valueOf(pcap != null ? pcap : trace);
    }

    /** The result's fields with {@code wall-time} after {@code events}. */
    static List<String[]> withWallTime(List<String[]> fields, long wallNanos) {
        List<String[]> out = new ArrayList<>();
        for (String[] f : fields) {
            out.add(f);
            if (f[0].equals("events")) {
                out.add(new String[] {"wall-time", String.format(Locale.ROOT, "%.3fs", wallNanos / 1e9)});
            }
        }
        return out;
    }

    /** One JSON object; numbers stay numbers, repeated keys (violation) become an array. */
    static String toJson(List<String[]> fields) {
        StringBuilder sb = new StringBuilder("{");
        List<String> violations = new ArrayList<>();
        boolean first = true;
        for (String[] f : fields) {
            if (f[0].equals("violation")) {
                violations.add(f[1]);
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(quote(f[0])).append(": ");
            sb.append(f[1].matches("-?[0-9]{1,18}(\\.[0-9]{1,18})?") ? f[1] : quote(f[1]));
        }
        if (!violations.isEmpty()) {
            sb.append(", \"violations\": [");
            for (int i = 0; i < violations.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(quote(violations.get(i)));
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static long parseSeed(CommandLine.Model.CommandSpec spec, String text) {
        return FaultFlags.value(spec, Units.seed("--seed", text));
    }

    /** The capture and trace files of one run. */
    private static final class Outputs implements AutoCloseable {
        private final Path pcapPath;
        private final Path tracePath;
        private OutputStream pcapOut;
        private Capture capture;
        private Writer traceOut;

        Outputs(Path pcap, Path trace) throws IOException {
            this.pcapPath = pcap;
            this.tracePath = trace;
            if (pcap != null) {
                pcapOut = new BufferedOutputStream(Files.newOutputStream(pcap), 1 << 16);
            }
            if (trace != null) {
                traceOut = new BufferedWriter(Files.newBufferedWriter(trace, StandardCharsets.UTF_8), 1 << 16);
            }
        }

        void attach(io.sansnet.sim.Simulation sim) {
            if (pcapPath != null) {
                capture = Capture.attach(sim, pcapOut, Capture.Format.forFileName(pcapPath.toString()));
            }
            if (tracePath != null) {
                sim.log().addListener(this::traceLine);
            }
        }

        private void traceLine(LoggedEvent e) {
            try {
                traceOut.write(e.toTraceLine());
                traceOut.write('\n');
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (capture != null) {
                    capture.close();
                } else if (pcapOut != null) {
                    pcapOut.close();
                }
            } finally {
                if (traceOut != null) {
                    traceOut.close();
                }
            }
        }
    }

    /** The scenario and fault flags shared by {@code sim} and {@code explore}: given values win, the rest are drawn. */
    static final class FaultFlags {
        @Option(
                names = "--scenario",
                paramLabel = "NAME",
                description = "udp-echo (default), ping, bulk, handshake-storm, http, syn-flood or rst-attack.")
        String scenario = "udp-echo";

        @Option(names = "--loss", paramLabel = "P", description = "Per-packet loss probability, 0..1.")
        String loss;

        @Option(names = "--duplicate", paramLabel = "P", description = "Per-packet duplication probability, 0..1.")
        String duplicate;

        @Option(names = "--reorder", paramLabel = "P", description = "Per-packet reordering probability, 0..1.")
        String reorder;

        @Option(names = "--corrupt", paramLabel = "P", description = "Per-packet corruption probability, 0..1.")
        String corrupt;

        @Option(names = "--latency", paramLabel = "D", description = "One-way latency, e.g. 20ms.")
        String latency;

        @Option(names = "--jitter", paramLabel = "D", description = "Per-packet extra delay up to D, e.g. 2ms.")
        String jitter;

        @Option(names = "--bandwidth", paramLabel = "RATE", description = "Link rate, e.g. 10mbit.")
        String bandwidth;

        @Option(names = "--mtu", paramLabel = "N", description = "Link MTU in bytes, 1280..65535.")
        String mtu;

        @Option(
                names = "--schedule",
                paramLabel = "LIST",
                description = "Partitions, crashes and path MTU changes: none, or e.g."
                        + " partition@forward:1s-2s,crash@server:3s-3500ms,mtu@both=1280:1s-3s (forward is client to"
                        + " server).")
        String schedule;

        @Option(names = "--messages", paramLabel = "N", description = "Requests the client makes (default 20).")
        String messages;

        @Option(
                names = "--bytes",
                paramLabel = "N",
                description = "bulk, syn-flood, rst-attack: octets each way (bulk: default 1048576, at most "
                        + BulkScenario.MAX_BYTES
                        + ").")
        String bytes;

        Scenario scenario(CommandLine.Model.CommandSpec spec) {
            if (bytes != null) {
                long max = switch (scenario) {
                    case "bulk" -> BulkScenario.MAX_BYTES;
                    case "syn-flood" -> SynFloodScenario.MAX_BYTES;
                    case "rst-attack" -> RstAttackScenario.MAX_BYTES;
                    default ->
                        throw new CommandLine.ParameterException(
                                spec.commandLine(),
                                "--bytes: only the bulk, syn-flood and rst-attack scenarios take it");
                };
                if (!bytes.matches("[0-9]{1,12}") || Long.parseLong(bytes) < 1 || Long.parseLong(bytes) > max) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--bytes=" + bytes + ": must be an integer 1.." + max);
                }
                long n = Long.parseLong(bytes);
                return switch (scenario) {
                    case "syn-flood" -> new SynFloodScenario(n);
                    case "rst-attack" -> new RstAttackScenario(n);
                    default -> new BulkScenario(n);
                };
            }
            return Scenarios.byName(scenario)
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--scenario: unknown scenario '" + scenario + "' (known: "
                                    + String.join(", ", Scenarios.NAMES) + ")"));
        }

        FaultPlan.Overrides overrides(CommandLine.Model.CommandSpec spec) {
            Integer m = null;
            if (mtu != null) {
                if (!mtu.matches("[0-9]{1,5}") || Integer.parseInt(mtu) < 1280 || Integer.parseInt(mtu) > 65535) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--mtu=" + mtu + ": must be an integer 1280..65535");
                }
                m = Integer.parseInt(mtu);
            }
            List<Disruption> sched =
                    schedule == null ? null : value(spec, Disruption.parseList("--schedule", schedule));
            if (sched != null) {
                for (Disruption d : sched) {
                    if (d instanceof Disruption.Crash c
                            && !c.host().equals("client")
                            && !c.host().equals("server")) {
                        throw new CommandLine.ParameterException(
                                spec.commandLine(), "--schedule=" + schedule + ": hosts are client and server");
                    }
                }
            }
            return new FaultPlan.Overrides(
                    loss == null ? null : value(spec, Units.probability("--loss", loss)),
                    duplicate == null ? null : value(spec, Units.probability("--duplicate", duplicate)),
                    reorder == null ? null : value(spec, Units.probability("--reorder", reorder)),
                    corrupt == null ? null : value(spec, Units.probability("--corrupt", corrupt)),
                    latency == null ? null : value(spec, Units.durationNanos("--latency", latency)),
                    jitter == null ? null : value(spec, Units.durationNanos("--jitter", jitter)),
                    bandwidth == null ? null : value(spec, Units.rateBitsPerSecond("--bandwidth", bandwidth)),
                    m,
                    sched);
        }

        ScenarioOptions options(CommandLine.Model.CommandSpec spec) {
            if (messages == null) {
                return ScenarioOptions.DEFAULT;
            }
            if (!messages.matches("[0-9]{1,6}")
                    || Integer.parseInt(messages) < 1
                    || Integer.parseInt(messages) > ScenarioOptions.MAX_MESSAGES) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--messages=" + messages + ": must be an integer 1.." + ScenarioOptions.MAX_MESSAGES);
            }
            return new ScenarioOptions(Integer.parseInt(messages));
        }

        ScenarioRunner.Request request(CommandLine.Model.CommandSpec spec, long seed) {
            return new ScenarioRunner.Request(scenario(spec), seed, overrides(spec), options(spec));
        }

        static <T> T value(CommandLine.Model.CommandSpec spec, SpecParse<T> r) {
            if (r instanceof SpecParse.Err<T> e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), e.error().message());
            }
            return ((SpecParse.Ok<T>) r).value();
        }
    }
}
