package io.sansnet.bench.tun;

import io.sansnet.driver.TunAppHost;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.wire.IpAddress;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bulk TCP throughput through TUN against the kernel, beside the kernel's own TCP over a veth pair measured in the
 * same run (issue 4, "Measured"). Three paths, each moving the same byte count once per run:
 *
 * <ol>
 *   <li>kernel → sansnet: {@code socat} in namespace A sends N octets ({@code /dev/zero}, {@code readbytes=N}) to a
 *       discard service (RFC 863) on sansnet's TCP, reached through a TUN device; timed from starting socat to the
 *       service reading the end of the stream.
 *   <li>sansnet → kernel: sansnet connects to a {@code socat} listener in namespace A (writing to {@code /dev/null}),
 *       sends N octets (a 1 MiB pattern over and over) and closes, as {@code sansnet nc} does; timed from the connect
 *       to socat's exit (it read our FIN); the connection must end GRACEFUL (every octet acknowledged).
 *   <li>kernel → kernel: {@code socat} in namespace B sends N octets to a {@code socat} listener in namespace C over a
 *       veth pair; timed from starting the sender to the listener's exit.
 * </ol>
 *
 * sansnet runs in this JVM: {@link TunAppHost} on a TUN device opened inside namespace A, its {@code TcpTransport}
 * for both directions. Addresses: 198.18.0.1/15 (kernel) and 198.18.0.2 (sansnet) on the TUN link, 198.19.0.1/24 and
 * 198.19.0.2/24 on the veth pair. Before the measured runs, one unreported transfer each way through sansnet
 * ({@link #WARMUP_BYTES}) lets the JIT compile its hot paths. The namespaces are deleted at the end, also on failure or interrupt. Prints the
 * median Gbit/s (10^9 bits per second of payload) per path and the ratios to the veth path.
 *
 * <p>Run with {@code bench/run.sh tun [--bytes 256M] [--runs 3]} as root (needs ip, socat, /dev/net/tun).
 */
public final class TunBench {
    private TunBench() {}

    /** Default octets per transfer. */
    public static final long DEFAULT_BYTES = 256L << 20;

    /** Default transfers per path (the median is reported). */
    public static final int DEFAULT_RUNS = 3;

    /** Octets of the unreported warm-up transfer each way through sansnet (at most the measured byte count). */
    public static final long WARMUP_BYTES = 64L << 20;

    /** The longest one transfer may take before the run fails. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);

    static final String TUN_KERNEL = "198.18.0.1";
    static final String TUN_SANSNET = "198.18.0.2";
    static final String VETH_B = "198.19.0.1";
    static final String VETH_C = "198.19.0.2";
    static final int DISCARD_PORT = 9;
    static final int SINK_PORT = 5201;
    static final int CHUNK = 1 << 20;

    /** Where each started process's output goes (read when it fails). */
    private static final Map<Process, File> LOGS = new ConcurrentHashMap<>();

    /** One path's transfers. */
    public record Path(String name, long bytes, List<Double> gbps) {
        public double median() {
            double[] v = gbps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
    }

    /** The three paths of one run of the benchmark. */
    public record Report(Path kernelToSansnet, Path sansnetToKernel, Path kernelToKernel) {
        public double receiveRatio() {
            return kernelToSansnet.median() / kernelToKernel.median();
        }

        public double sendRatio() {
            return sansnetToKernel.median() / kernelToKernel.median();
        }

        /** A small table, one line per path, then the ratios. */
        public String format() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%-34s %12s %10s  %s%n", "path", "bytes", "Gbit/s", "runs (Gbit/s)"));
            for (Path p : List.of(kernelToSansnet, sansnetToKernel, kernelToKernel)) {
                b.append(String.format(
                        Locale.ROOT,
                        "%-34s %12d %10.3f  %s%n",
                        p.name,
                        p.bytes,
                        p.median(),
                        p.gbps.stream()
                                .map(g -> String.format(Locale.ROOT, "%.3f", g))
                                .toList()));
            }
            b.append(
                    String.format(Locale.ROOT, "ratio kernel->sansnet / kernel->kernel(veth): %.3f%n", receiveRatio()));
            b.append(String.format(Locale.ROOT, "ratio sansnet->kernel / kernel->kernel(veth): %.3f%n", sendRatio()));
            return b.toString();
        }
    }

    /** Thrown when the machine cannot run the benchmark (not root, a tool missing): exit code 3. */
    public static final class EnvironmentException extends Exception {
        public EnvironmentException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        long bytes = DEFAULT_BYTES;
        int runs = DEFAULT_RUNS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (a.equals("--bytes") && value != null) {
                bytes = parseBytes(value);
                i++;
            } else if (a.equals("--runs") && value != null) {
                runs = Integer.parseInt(value);
                i++;
            } else {
                System.err.println("usage: TunBench [--bytes N[K|M|G]] [--runs R]");
                System.exit(2);
            }
        }
        if (bytes < 1 || runs < 1) {
            System.err.println("--bytes and --runs must be positive");
            System.exit(2);
        }
        try {
            System.out.println(describeMachine());
            Report r = run(bytes, runs, System.out);
            System.out.print(r.format());
        } catch (EnvironmentException e) {
            System.err.println("bench/run.sh tun: " + e.getMessage());
            System.exit(3);
        }
        System.exit(0);
    }

    /** {@code 64K}, {@code 256M}, {@code 1G} or a plain number of octets. */
    static long parseBytes(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = switch (t.charAt(t.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }

    /** Runs the three paths {@code runs} times each with {@code bytes} octets; progress lines go to {@code log}. */
    public static Report run(long bytes, int runs, PrintStream log) throws Exception {
        requireEnvironment();
        String tag = "sbt" + ProcessHandle.current().pid();
        String nsA = tag + "a";
        String nsB = tag + "b";
        String nsC = tag + "c";
        Thread cleanup = new Thread(() -> deleteNamespaces(nsA, nsB, nsC));
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<Process> processes = new ArrayList<>();
        TunAppHost app = null;
        try {
            check("ip", "netns", "add", nsA);
            check("ip", "netns", "add", nsB);
            check("ip", "netns", "add", nsC);
            for (String ns : List.of(nsA, nsB, nsC)) {
                check("ip", "-n", ns, "link", "set", "lo", "up");
            }
            // the TUN link: the kernel in A, sansnet in this JVM
            TunDevice dev = TunDevice.open("sbt0", nsA);
            check("ip", "netns", "exec", nsA, "sysctl", "-q", "-w", "net.ipv6.conf.sbt0.disable_ipv6=1");
            check("ip", "-n", nsA, "addr", "add", TUN_KERNEL + "/15", "dev", "sbt0");
            check("ip", "-n", nsA, "link", "set", "sbt0", "up");
            Host host = new Host(HostConfig.builder().ipv4(TUN_SANSNET + "/15").build(), new SplitMix64(4));
            app = TunAppHost.start(dev, host, FaultSpec.NONE, 4, null);
            // the veth pair: kernel in B to kernel in C
            check("ip", "-n", nsB, "link", "add", "sbv0", "type", "veth", "peer", "name", "sbv1", "netns", nsC);
            check("ip", "-n", nsB, "addr", "add", VETH_B + "/24", "dev", "sbv0");
            check("ip", "-n", nsC, "addr", "add", VETH_C + "/24", "dev", "sbv1");
            check("ip", "-n", nsB, "link", "set", "sbv0", "up");
            check("ip", "-n", nsC, "link", "set", "sbv1", "up");

            AppResult<TunAppHost.Acceptor> discard = app.listen(DISCARD_PORT, 4);
            if (!discard.isOk()) {
                throw new IllegalStateException("cannot listen: " + discard.error());
            }
            // warm-up (not reported): one transfer each way, so the JIT has compiled sansnet's hot paths
            long warmup = Math.min(bytes, WARMUP_BYTES);
            kernelToSansnet(app, discard.value(), nsA, warmup, processes);
            sansnetToKernel(app, nsA, warmup, processes);
            List<Double> in = new ArrayList<>();
            List<Double> out = new ArrayList<>();
            List<Double> veth = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                in.add(kernelToSansnet(app, discard.value(), nsA, bytes, processes));
                log.printf(Locale.ROOT, "run %d: kernel->sansnet %.3f Gbit/s%n", r + 1, in.get(r));
                out.add(sansnetToKernel(app, nsA, bytes, processes));
                log.printf(Locale.ROOT, "run %d: sansnet->kernel %.3f Gbit/s%n", r + 1, out.get(r));
                veth.add(kernelToKernel(nsB, nsC, bytes, processes));
                log.printf(Locale.ROOT, "run %d: kernel->kernel (veth) %.3f Gbit/s%n", r + 1, veth.get(r));
            }
            if (app.loop().failure() != null) {
                throw new IllegalStateException(
                        "the sansnet loop failed", app.loop().failure());
            }
            return new Report(
                    new Path("kernel->sansnet (TUN, discard)", bytes, in),
                    new Path("sansnet->kernel (TUN, like nc)", bytes, out),
                    new Path("kernel->kernel (veth pair)", bytes, veth));
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            if (app != null) {
                app.close();
            }
            deleteNamespaces(nsA, nsB, nsC);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }
    }

    /** Path 1: the kernel sends, sansnet's discard reads until the end of the stream. */
    private static double kernelToSansnet(
            TunAppHost app, TunAppHost.Acceptor discard, String nsA, long bytes, List<Process> processes)
            throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>(); // {octets, System.nanoTime() at the end}
        var accepted = discard.accept();
        long t0 = System.nanoTime();
        Process sender = start(
                processes,
                "ip",
                "netns",
                "exec",
                nsA,
                "socat",
                "-u",
                "OPEN:/dev/zero,readbytes=" + bytes,
                "TCP:" + TUN_SANSNET + ":" + DISCARD_PORT);
        AppResult<TcpStream> s = app.await(accepted, TRANSFER_TIMEOUT);
        if (!s.isOk()) {
            throw new IllegalStateException("the kernel did not connect: " + s.error() + output(sender));
        }
        TcpStream stream = s.value();
        app.execute(() -> discardAll(stream, done));
        long[] end = done.get(TRANSFER_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        stream.close();
        awaitExit(sender, "socat (sender)");
        if (end[0] != bytes) {
            throw new IllegalStateException("discard read " + end[0] + " octets, not " + bytes);
        }
        return gbps(bytes, end[1] - t0);
    }

    /** On the loop: reads and forgets (RFC 863) until the end of the stream, then reports the count and the time. */
    private static void discardAll(TcpStream s, CompletableFuture<long[]> done) {
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long[] count = {0};
        Runnable drain = () -> {
            while (!done.isDone()) {
                sink.clear();
                int n = s.receive(sink);
                if (n < 0) {
                    done.complete(new long[] {count[0], System.nanoTime()});
                } else if (n == 0) {
                    return;
                } else {
                    count[0] += n;
                }
            }
        };
        s.onReadable(drain);
        drain.run();
    }

    /** Path 2: sansnet sends to a socat listener, then closes; the end is socat's exit. */
    private static double sansnetToKernel(TunAppHost app, String nsA, long bytes, List<Process> processes)
            throws Exception {
        Process sink = start(
                processes,
                "ip",
                "netns",
                "exec",
                nsA,
                "socat",
                "-u",
                "TCP-LISTEN:" + SINK_PORT + ",reuseaddr",
                "OPEN:/dev/null");
        awaitListening(nsA, sink);
        long t0 = System.nanoTime();
        AppResult<TcpStream> s = app.await(app.connect(IpAddress.of(TUN_KERNEL), SINK_PORT), TRANSFER_TIMEOUT);
        if (!s.isOk()) {
            throw new IllegalStateException("cannot connect to socat: " + s.error() + output(sink));
        }
        TcpStream stream = s.value();
        app.execute(() -> sendAll(stream, bytes));
        awaitExit(sink, "socat (listener)");
        long t1 = System.nanoTime();
        AppResult<CloseReason> closed = app.await(stream.closed(), Duration.ofSeconds(30));
        if (!closed.isOk() || closed.value() != CloseReason.GRACEFUL) {
            throw new IllegalStateException("the connection ended " + closed);
        }
        return gbps(bytes, t1 - t0);
    }

    /** On the loop: sends {@code bytes} octets of a 1 MiB pattern, then closes (FIN after the last). */
    private static void sendAll(TcpStream s, long bytes) {
        byte[] pattern = new byte[CHUNK];
        new SplitMix64(1).nextBytes(pattern);
        ByteBuffer cur = ByteBuffer.wrap(pattern).limit(0);
        long[] left = {bytes};
        boolean[] finished = {false};
        Runnable pump = () -> {
            while (!finished[0]) {
                if (!cur.hasRemaining()) {
                    if (left[0] == 0) {
                        finished[0] = true;
                        s.close();
                        return;
                    }
                    int n = (int) Math.min(CHUNK, left[0]);
                    cur.clear().limit(n);
                    left[0] -= n;
                }
                if (s.send(cur) == 0) {
                    return; // the send buffer is full: onWritable resumes
                }
            }
        };
        s.onWritable(pump);
        pump.run();
    }

    /** Path 3: the kernel on both ends of a veth pair. */
    private static double kernelToKernel(String nsB, String nsC, long bytes, List<Process> processes) throws Exception {
        Process sink = start(
                processes,
                "ip",
                "netns",
                "exec",
                nsC,
                "socat",
                "-u",
                "TCP-LISTEN:" + SINK_PORT + ",reuseaddr",
                "OPEN:/dev/null");
        awaitListening(nsC, sink);
        long t0 = System.nanoTime();
        Process sender = start(
                processes,
                "ip",
                "netns",
                "exec",
                nsB,
                "socat",
                "-u",
                "OPEN:/dev/zero,readbytes=" + bytes,
                "TCP:" + VETH_C + ":" + SINK_PORT);
        awaitExit(sink, "socat (listener)");
        long t1 = System.nanoTime();
        awaitExit(sender, "socat (sender)");
        return gbps(bytes, t1 - t0);
    }

    static double gbps(long bytes, long nanos) {
        return bytes * 8.0 / Math.max(1, nanos);
    }

    // ------------------------------------------------------------------------------------------ processes

    private static void requireEnvironment() throws EnvironmentException, IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (!capture("id", "-u").trim().equals("0")) {
            missing.add("root");
        }
        if (!new File(TunDevice.CLONE_DEVICE).exists()) {
            missing.add(TunDevice.CLONE_DEVICE);
        }
        for (String tool : List.of("ip", "socat", "ss")) {
            if (capture("sh", "-c", "command -v " + tool).isBlank()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new EnvironmentException("needs " + missing);
        }
    }

    static String describeMachine() {
        try {
            return "machine: " + capture("nproc").trim() + " CPUs, kernel "
                    + capture("uname", "-r").trim()
                    + ", kernel TCP congestion control "
                    + capture("sysctl", "-n", "net.ipv4.tcp_congestion_control").trim() + ", Java "
                    + System.getProperty("java.version");
        } catch (IOException | InterruptedException e) {
            return "machine: unknown (" + e + ")";
        }
    }

    private static Process start(List<Process> processes, String... command) throws IOException {
        File log = File.createTempFile("sansnet-tunbench", ".log");
        log.deleteOnExit();
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        processes.add(p);
        LOGS.put(p, log);
        return p;
    }

    private static String output(Process p) {
        File f = LOGS.get(p);
        try {
            return f == null ? "" : "\n" + new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitExit(Process p, String what) throws InterruptedException {
        if (!p.waitFor(TRANSFER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not finish within " + TRANSFER_TIMEOUT);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " exited with " + p.exitValue() + output(p));
        }
    }

    private static void awaitListening(String ns, Process listener) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            String out = capture("ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :" + SINK_PORT);
            if (out.contains(":" + SINK_PORT)) {
                return;
            }
            if (!listener.isAlive()) {
                throw new IllegalStateException("socat ended before listening" + output(listener));
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("socat does not listen on " + SINK_PORT + " in " + ns);
    }

    private static void deleteNamespaces(String... names) {
        for (String ns : names) {
            try {
                if (new File(TunDevice.NETNS_DIR + ns).exists()) {
                    capture("ip", "netns", "del", ns);
                }
            } catch (IOException | InterruptedException e) {
                // best effort: report nothing, the next run uses other names
            }
        }
    }

    private static void check(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String capture(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
