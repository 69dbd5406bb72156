package io.sansnet.cli;

import io.sansnet.driver.PacketRecorder;
import io.sansnet.driver.TunHttpServer;
import io.sansnet.driver.socket.DirectoryFileSource;
import io.sansnet.driver.socket.SocketHttpServer;
import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.FileSource;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.server.StandardRoutes;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.fault.ImpairSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Parsed;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sansnet serve}: the HTTP/1.1 server with the standard endpoints, on kernel sockets or on sansnet TCP. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves HTTP/1.1: GET /plaintext, GET /json, GET /bytes/N, POST /echo, and static files from --root.",
            "Either on sansnet's own TCP through an existing TUN device (--tun, e.g. made by scripts/tun-lab.sh up) or"
                    + " on kernel sockets"
                    + " (--listen). Writes an access log in Common Log Format to stdout; runs until SIGINT/SIGTERM,"
                    + " then prints its counters and exits 0."
        })
final class ServeCommand implements Callable<Integer> {

    /** ENODEV: opening a TUN device by name would create it, but {@code serve} only attaches to an existing one. */
    private static final int NO_DEVICE = 19;

    /** The largest value of a {@code --*-timeout-ms} flag: 30 days (in nanoseconds far from overflowing a long). */
    static final long MAX_TIMEOUT_MS = 30L * 24 * 3600 * 1000;

    @Option(names = "--tun", paramLabel = "DEV", description = "Serve on sansnet's TCP through this TUN device.")
    String tun;

    @Option(names = "--addr", paramLabel = "A/LEN", description = "With --tun: the host's IPv4 address.")
    String addr;

    @Option(names = "--addr6", paramLabel = "A/LEN", description = "With --tun: the host's IPv6 address.")
    String addr6;

    @Option(
            names = "--pcap",
            paramLabel = "FILE",
            description = "With --tun: record every packet the host receives and sends (pcap, LINKTYPE_RAW).")
    Path pcap;

    @Option(names = "--port", paramLabel = "PORT", description = "With --tun: the TCP port (default ${DEFAULT-VALUE}).")
    int port = 80;

    @Option(
            names = "--impair",
            paramLabel = "SPEC",
            converter = Converters.Impair.class,
            description = "With --tun: impairment at the device, as for 'sansnet host'.")
    ImpairSpec impair;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            description = "Serve on kernel TCP at HOST:PORT (port 0: any free port, printed at start).")
    String listen;

    @Option(names = "--root", paramLabel = "DIR", description = "Serve static files from DIR.")
    Path root;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Selector loop threads of the socket driver (default ${DEFAULT-VALUE}).")
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    @Option(
            names = "--max-generated-bytes",
            paramLabel = "N",
            description = "The largest N of GET /bytes/N (default ${DEFAULT-VALUE}); above it: 400.")
    long maxGeneratedBytes = StandardRoutes.DEFAULT_MAX_GENERATED_BYTES;

    @Option(
            names = "--header-timeout-ms",
            paramLabel = "MS",
            description = "Deadline for a whole request head from its first byte (default: 20000).")
    Long headerTimeoutMs;

    @Option(
            names = "--send-stall-timeout-ms",
            paramLabel = "MS",
            description = "Longest wait without any response byte taken by a client that stopped reading, before the"
                    + " connection is closed (default: 60000).")
    Long sendStallTimeoutMs;

    @Option(names = "--quiet", description = "No access log.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ((tun == null) == (listen == null)) throw usage("--listen", "", "give exactly one of --tun and --listen");
        if (tun != null) {
            if (addr == null) throw usage("--addr", "", "--tun needs --addr A/LEN");
            if (port < 1 || port > 65535) throw usage("--port", String.valueOf(port), "a port is 1..65535");
        } else {
            if (addr != null || addr6 != null || impair != null || pcap != null)
                throw usage("--addr", "", "--addr, --addr6, --impair and --pcap go with --tun");
        }
        if (threads < 1 || threads > 64) throw usage("--threads", String.valueOf(threads), "1..64");
        if (maxGeneratedBytes < 0) throw usage("--max-generated-bytes", String.valueOf(maxGeneratedBytes), ">= 0");
        HostConfig hostConfig = tun == null ? null : hostConfig();
        InetSocketAddress address = tun == null ? parseListen(listen) : null;
        FileSource files = null;
        if (root != null) {
            try {
                files = new DirectoryFileSource(root);
            } catch (IOException e) {
                throw new EnvironmentException("cannot serve --root " + root + ": " + e.getMessage(), e);
            }
        }
        HttpServerConfig.Builder cb = HttpServerConfig.builder();
        if (headerTimeoutMs != null) {
            if (headerTimeoutMs < 1 || headerTimeoutMs > MAX_TIMEOUT_MS)
                throw usage("--header-timeout-ms", String.valueOf(headerTimeoutMs), "1.." + MAX_TIMEOUT_MS);
            cb.headerTimeoutNanos(headerTimeoutMs * 1_000_000L);
        }
        if (sendStallTimeoutMs != null) {
            if (sendStallTimeoutMs < 1 || sendStallTimeoutMs > MAX_TIMEOUT_MS)
                throw usage("--send-stall-timeout-ms", String.valueOf(sendStallTimeoutMs), "1.." + MAX_TIMEOUT_MS);
            cb.sendStallTimeoutNanos(sendStallTimeoutMs * 1_000_000L);
        }
        AccessLog log = quiet
                ? AccessLog.NONE
                : e -> {
                    synchronized (out) {
                        out.println(e.clf());
                        out.flush();
                    }
                };
        HttpServer server = new HttpServer(
                StandardRoutes.router(files, maxGeneratedBytes), cb.build(), System::currentTimeMillis, log);
        if (tun != null) return serveOnTun(server, hostConfig, out);
        SocketHttpServer sockets;
        try {
            sockets = SocketHttpServer.start(server, address, threads);
        } catch (IOException e) {
            throw new EnvironmentException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onInterrupt(stop::countDown);
        InetSocketAddress bound = sockets.localAddress();
        synchronized (out) {
            out.println("serve: listening on http://" + hostText(bound) + ":" + bound.getPort()
                    + (root == null ? "" : " root " + root));
            out.flush();
        }
        stop.await();
        sockets.close();
        synchronized (out) {
            out.print(server.counters().format());
            out.println("accepted " + sockets.acceptedConnections());
            out.flush();
        }
        return Failures.exitCode(sockets.failure(), spec.commandLine().getErr());
    }

    /** {@code --tun}: sansnet's own host and TCP on the device, until SIGINT/SIGTERM. */
    private int serveOnTun(HttpServer server, HostConfig hostConfig, PrintWriter out) throws Exception {
        FaultSpec faults = impair == null ? FaultSpec.NONE : impair.spec();
        long faultSeed = Seeds.chooseOrGiven(impair);
        long hostSeed = SplitMix64.derive(faultSeed, "host");
        if (impair != null) {
            synchronized (out) {
                out.println("impair: " + new ImpairSpec(faults, OptionalLong.of(faultSeed)).format());
                out.flush();
            }
        }
        Host host = new Host(hostConfig, new SplitMix64(hostSeed));
        TcpLayer tcp = TcpHostServices.attach(host, hostSeed, List.of(), List.of(), this::usage);
        PacketRecorder recorder = pcap == null ? null : Recorders.pcap(pcap);
        TunDevice device;
        try {
            if (!Files.isDirectory(Path.of(HostCommand.SYS_CLASS_NET, tun))) {
                throw new NativeException("no such network interface " + tun, NO_DEVICE);
            }
            device = TunDevice.open(tun);
        } catch (NativeException e) {
            if (recorder != null) recorder.close();
            throw new EnvironmentException(
                    "cannot open TUN device " + tun + ": " + e.getMessage()
                            + " (create it first, e.g. scripts/tun-lab.sh up; root or CAP_NET_ADMIN is needed)",
                    e);
        }
        TunHttpServer tunServer = TunHttpServer.start(server, device, host, tcp, port, faults, faultSeed, recorder);
        Signals.onInterrupt(tunServer::close);
        synchronized (out) {
            out.println("serve: listening on http://" + hostConfig.ipv4Address() + ":" + port
                    + (hostConfig.ipv6Address() == null ? "" : " http://[" + hostConfig.ipv6Address() + "]:" + port)
                    + " on " + device.name() + (root == null ? "" : " root " + root));
            out.flush();
        }
        tunServer.awaitTermination();
        tunServer.close();
        synchronized (out) {
            out.print(server.counters().format());
            out.println("accepted " + tunServer.acceptedConnections());
            out.println("callbackErrors " + tunServer.callbackErrors());
            out.print(tunServer.loop().counters().format());
            out.print(TcpHostServices.format(tcp));
            out.flush();
        }
        return Failures.exitCode(tunServer.loop().failure(), spec.commandLine().getErr());
    }

    /** The host's addresses from {@code --addr}/{@code --addr6} (as for {@code sansnet host}). */
    private HostConfig hostConfig() {
        HostConfig.Builder b = HostConfig.builder();
        String[] v4 = splitPrefix(addr, 32);
        Parsed<Ipv4Address> a4 = Ipv4Address.parse(v4[0]);
        if (!(a4 instanceof Parsed.Ok<Ipv4Address> ok4))
            throw usage("--addr", addr, "expected an IPv4 address with a prefix length, like 198.18.0.2/15");
        b.ipv4(ok4.value(), prefix("--addr", addr, v4[1], 32));
        if (addr6 != null) {
            String[] v6 = splitPrefix(addr6, 128);
            Parsed<Ipv6Address> a6 = Ipv6Address.parse(v6[0]);
            if (!(a6 instanceof Parsed.Ok<Ipv6Address> ok6))
                throw usage("--addr6", addr6, "expected an IPv6 address with a prefix length, like fd00:5a::2/64");
            b.ipv6(ok6.value(), prefix("--addr6", addr6, v6[1], 128));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage("--addr", "", String.valueOf(e.getMessage()));
        }
    }

    private static String[] splitPrefix(String text, int max) {
        int slash = text.indexOf('/');
        if (slash < 0) return new String[] {text, String.valueOf(max)};
        return new String[] {text.substring(0, slash), text.substring(slash + 1)};
    }

    private int prefix(String flag, String whole, String text, int max) {
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > max)
            throw usage(flag, whole, "the prefix length must be 0.." + max);
        return Integer.parseInt(text);
    }

    private static String hostText(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    private InetSocketAddress parseListen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) throw usage("--listen", text, "expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String p = text.substring(colon + 1);
        if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535)
            throw usage("--listen", text, "the port must be 0..65535");
        // Only literal addresses: no name resolution at start-up.
        if (!host.matches("[0-9.]+") && !host.contains(":"))
            throw usage("--listen", text, "HOST must be an IPv4 or IPv6 address literal");
        InetSocketAddress a = new InetSocketAddress(host, Integer.parseInt(p));
        if (a.isUnresolved()) throw usage("--listen", text, "not an address");
        return a;
    }

    private CommandLine.ParameterException usage(String flag, String value, String reason) {
        return new CommandLine.ParameterException(
                spec.commandLine(),
                "Invalid value for option '" + flag + "'" + (value.isEmpty() ? "" : ": '" + value + "'") + ": "
                        + reason);
    }
}
