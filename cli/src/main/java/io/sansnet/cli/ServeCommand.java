package io.sansnet.cli;

import io.sansnet.driver.socket.DirectoryFileSource;
import io.sansnet.driver.socket.SocketHttpServer;
import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.FileSource;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.server.StandardRoutes;
import io.sansnet.stack.fault.ImpairSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sansnet serve}: the HTTP/1.1 server with the standard endpoints, on kernel sockets (or, later, on TUN). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves HTTP/1.1: GET /plaintext, GET /json, GET /bytes/N, POST /echo, and static files from --root.",
            "Either on sansnet's own TCP through a TUN device (--tun, not available yet) or on kernel sockets"
                    + " (--listen). Writes an access log in Common Log Format to stdout; runs until SIGINT/SIGTERM,"
                    + " then prints its counters and exits 0."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--tun", paramLabel = "DEV", description = "Serve on sansnet's TCP through this TUN device.")
    String tun;

    @Option(names = "--addr", paramLabel = "A/LEN", description = "With --tun: the host's IPv4 address.")
    String addr;

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
            throw new EnvironmentException("TCP over TUN is not available yet: use --listen HOST:PORT");
        }
        if (threads < 1 || threads > 64) throw usage("--threads", String.valueOf(threads), "1..64");
        if (maxGeneratedBytes < 0) throw usage("--max-generated-bytes", String.valueOf(maxGeneratedBytes), ">= 0");
        InetSocketAddress address = parseListen(listen);
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
            if (headerTimeoutMs < 1) throw usage("--header-timeout-ms", String.valueOf(headerTimeoutMs), ">= 1");
            cb.headerTimeoutNanos(headerTimeoutMs * 1_000_000L);
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
