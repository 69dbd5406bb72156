package io.sansnet.bench.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP benchmark (issue 5, acceptance 7): starts each peer ({@link PlaintextServer#PEERS}) in its own JVM, one
 * after the other, on {@code 127.0.0.1} at an ephemeral port, checks it serves the same {@code /plaintext} response,
 * warms it up, then drives it with wrk twice: one request per connection at a time, and pipelined ({@code --depth}
 * requests per write). Prints requests per second, latency percentiles (wrk's samples, recorded in an HdrHistogram),
 * errors, and the ratios sansnet/netty and sansnet/jdk of the same run.
 *
 * <p>Run with {@code bench/run.sh http [--duration 10s] [--connections 64] [--wrk-threads 2] [--threads 2]
 * [--depth 16] [--warmup 3s] [--peers sansnet,netty,jdk]}.
 */
public final class HttpBench {
    private HttpBench() {}

    /** The server JVM's options, the same for every peer. */
    static final List<String> SERVER_JVM_ARGS =
            List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC", "-Dsun.net.httpserver.nodelay=true");

    /** Settings of one benchmark run. */
    record Options(
            String duration,
            int connections,
            int wrkThreads,
            int threads,
            int depth,
            String warmup,
            List<String> peers) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("--duration", "10s");
            m.put("--connections", "64");
            m.put("--wrk-threads", "2");
            m.put("--threads", "2");
            m.put("--depth", "16");
            m.put("--warmup", "3s");
            m.put("--peers", String.join(",", PlaintextServer.PEERS));
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                if (!m.containsKey(a))
                    throw new IllegalArgumentException("unknown option " + a + " (known: " + m.keySet() + ")");
                m.put(a, value);
            }
            for (String d : List.of("--duration", "--warmup")) {
                if (!m.get(d).matches("[0-9]{1,4}[sm]")) throw new IllegalArgumentException(d + ": e.g. 10s or 1m");
            }
            return new Options(
                    m.get("--duration"),
                    positive("--connections", m),
                    positive("--wrk-threads", m),
                    positive("--threads", m),
                    positive("--depth", m),
                    m.get("--warmup"),
                    List.of(m.get("--peers").split(",")));
        }

        private static int positive(String name, Map<String, String> m) {
            String v = m.get(name);
            if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) < 1) {
                throw new IllegalArgumentException(name + " must be a positive integer: " + v);
            }
            return Integer.parseInt(v);
        }
    }

    /**
     * One row of the results: a peer under one load.
     *
     * @param serverCpuNanos CPU time the server process used during the measured run, or -1 when unknown
     */
    record Row(String peer, String load, WrkResult result, long serverCpuNanos, String failure) {
        /** Requests per second of the server's CPU time: less disturbed by other load on the machine. */
        double requestsPerCpuSecond() {
            return serverCpuNanos <= 0 ? 0 : result.requests() * 1e9 / serverCpuNanos;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("http bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("sansnet-bench-http");
        try {
            Path report = copy("report.lua", dir);
            Path pipeline = copy("pipeline.lua", dir);
            List<Row> rows = new ArrayList<>();
            System.out.printf(
                    Locale.ROOT,
                    "http bench: peers %s, wrk -t%d -c%d -d%s (warm-up %s), pipelined depth %d, %d server threads,"
                            + " %d cores, server JVM %s %s%n",
                    o.peers(),
                    o.wrkThreads(),
                    o.connections(),
                    o.duration(),
                    o.warmup(),
                    o.depth(),
                    o.threads(),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    SERVER_JVM_ARGS);
            for (String peer : o.peers()) {
                rows.addAll(runPeer(peer, o, report, pipeline));
            }
            printTable(rows, o);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        try (InputStream in = HttpBench.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing resource " + resource);
            Path p = dir.resolve(resource);
            Files.copy(in, p);
            return p;
        }
    }

    private static List<Row> runPeer(String peer, Options o, Path report, Path pipeline) throws Exception {
        String plain = "plain";
        String piped = "pipelined x" + o.depth();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SERVER_JVM_ARGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerServer.class.getName(), peer));
        cmd.add(Integer.toString(o.threads()));
        System.out.println();
        System.out.println("== " + peer);
        Process server = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.matches("listening [0-9]{1,5}")) {
                String why = "did not start (" + line + ")";
                System.out.println(peer + ": " + why);
                return List.of(new Row(peer, plain, null, -1, why), new Row(peer, piped, null, -1, why));
            }
            Thread drain = new Thread(() -> drain(out), "drain-" + peer);
            drain.setDaemon(true);
            drain.start();
            int port = Integer.parseInt(line.substring("listening ".length()));
            ResponseCheck.Response r;
            try {
                r = ResponseCheck.fetch(port);
            } catch (IOException e) {
                String why = "no response: " + e.getMessage();
                System.out.println(peer + ": " + why);
                return List.of(new Row(peer, plain, null, -1, why), new Row(peer, piped, null, -1, why));
            }
            for (String h : r.head()) System.out.println("  < " + h);
            String problem = r.problem();
            if (problem != null) {
                String why = "wrong response: " + problem;
                System.out.println(peer + ": " + why);
                return List.of(new Row(peer, plain, null, -1, why), new Row(peer, piped, null, -1, why));
            }
            String url = "http://127.0.0.1:" + port + PlaintextServer.PATH;
            wrk(o, o.warmup(), report, url, List.of(), "warm-up");
            List<Row> rows = new ArrayList<>();
            rows.add(measure(server, peer, plain, o, report, url, List.of()));
            rows.add(measure(server, peer, piped, o, pipeline, url, List.of("--", Integer.toString(o.depth()))));
            return rows;
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void drain(BufferedReader out) {
        try {
            String l;
            while ((l = out.readLine()) != null) System.out.println("  server: " + l);
        } catch (IOException ignored) {
            // the server ended
        }
    }

    private static Row measure(
            Process server, String peer, String load, Options o, Path script, String url, List<String> tail)
            throws Exception {
        try {
            long cpu0 = cpuNanos(server);
            WrkResult r = WrkResult.parse(wrk(o, o.duration(), script, url, tail, load));
            long cpu1 = cpuNanos(server);
            return new Row(peer, load, r, cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, null);
        } catch (IOException | IllegalArgumentException e) {
            System.out.println(peer + " " + load + ": " + e.getMessage());
            return new Row(peer, load, null, -1, e.getMessage());
        }
    }

    /** The process's CPU time so far (user and system), or -1 when the platform does not say. */
    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** Runs wrk, echoes its own report (not the latency lines), returns every line. */
    private static List<String> wrk(Options o, String duration, Path script, String url, List<String> tail, String what)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "wrk",
                "-t" + o.wrkThreads(),
                "-c" + o.connections(),
                "-d" + duration,
                "--timeout",
                "5s",
                "-s",
                script.toString(),
                url));
        cmd.addAll(tail);
        System.out.println("  " + what + ": " + String.join(" ", cmd).replace(script.getParent() + "/", ""));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = in.readLine()) != null) {
                lines.add(l);
                if (!l.startsWith("wrk-latency")) System.out.println("    " + l);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not end");
        }
        if (p.exitValue() != 0) throw new IOException("wrk exited " + p.exitValue());
        return lines;
    }

    private static void printTable(List<Row> rows, Options o) {
        System.out.println();
        System.out.println("| load | peer | requests/s | requests per server CPU-s | server CPU % | p50 ms | p90 ms"
                + " | p99 ms | p99.9 ms | max ms | errors |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            if (r.result() == null) {
                System.out.printf(
                        Locale.ROOT, "| %s | %s | n/a (%s) | | | | | | | | |%n", r.load(), r.peer(), r.failure());
                continue;
            }
            WrkResult w = r.result();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.0f | %.0f | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f | %d |%n",
                    r.load(),
                    r.peer(),
                    w.requestsPerSecond(),
                    r.requestsPerCpuSecond(),
                    r.serverCpuNanos() < 0 ? 0 : r.serverCpuNanos() / 10.0 / w.durationMicros(),
                    w.latencyMillis(50),
                    w.latencyMillis(90),
                    w.latencyMillis(99),
                    w.latencyMillis(99.9),
                    w.latencyMicros().getMaxValue() / 1000.0,
                    w.errorCount());
        }
        System.out.println();
        for (String load : new String[] {"plain", "pipelined x" + o.depth()}) {
            for (String peer : o.peers()) {
                if (peer.equals("sansnet")) continue;
                System.out.println(
                        "ratio sansnet/" + peer + ", " + load + ": requests/s " + ratio(rows, load, peer, false)
                                + ", requests per server CPU-s " + ratio(rows, load, peer, true));
            }
        }
    }

    private static String ratio(List<Row> rows, String load, String peer, boolean perCpu) {
        Row ours = find(rows, load, "sansnet");
        Row theirs = find(rows, load, peer);
        if (ours == null || theirs == null) return "n/a";
        double a = perCpu ? ours.requestsPerCpuSecond() : ours.result().requestsPerSecond();
        double b = perCpu ? theirs.requestsPerCpuSecond() : theirs.result().requestsPerSecond();
        return a == 0 || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static Row find(List<Row> rows, String load, String peer) {
        for (Row r : rows) {
            if (r.load().equals(load) && r.peer().equals(peer) && r.result() != null) return r;
        }
        return null;
    }
}
