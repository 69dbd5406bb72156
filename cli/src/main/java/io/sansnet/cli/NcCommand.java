package io.sansnet.cli;

import io.sansnet.driver.PacketRecorder;
import io.sansnet.driver.TunAppHost;
import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.fault.ImpairSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.CloseReason;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Parsed;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sansnet nc}: netcat over sansnet's own TCP on a TUN device. Standard input goes to the connection, the
 * connection to standard output; at the end of input our side half-closes (FIN) and the command keeps reading until the
 * peer finishes.
 *
 * <p>Threads: the driver loop ({@link TunAppHost}) owns the host and the TCP layer, and the command is an application on
 * its {@code TcpTransport}: connect and accept are futures, the stream's callbacks and {@code closed()} run on the loop.
 * A stdin thread hands chunks to the loop (one at a time, so the TCP send buffer bounds what is read ahead), and a
 * stdout thread writes what the loop received (a bounded queue: while it is full, the loop stops reading from TCP and
 * the receive window closes).
 */
@Command(
        name = "nc",
        mixinStandardHelpOptions = true,
        description = {
            "netcat over sansnet's TCP on an existing TUN device: connect to HOST PORT, or with -l accept one"
                    + " connection on PORT. stdin to the connection, the connection to stdout, half-close at end of"
                    + " input.",
            "Exit codes: 0 both sides finished gracefully, 1 reset (or aborted), 2 usage, 3 environment, 4 refused,"
                    + " 5 timed out."
        })
final class NcCommand implements java.util.concurrent.Callable<Integer> {

    static final int EXIT_RESET = 1;
    static final int EXIT_REFUSED = 4;
    static final int EXIT_TIMED_OUT = 5;

    /** Octets per stdin read and per chunk handed to stdout. */
    static final int CHUNK_BYTES = 64 * 1024;

    /** Chunks waiting for stdout before the loop stops reading from TCP. */
    static final int OUTPUT_QUEUE_CHUNKS = 64;

    private static final int NO_DEVICE = 19;
    private static final byte[] END = new byte[0];

    @Option(names = "--tun", required = true, paramLabel = "DEV", description = "The TUN device, e.g. tun0.")
    String tun;

    @Option(names = "--addr", required = true, paramLabel = "A/LEN", description = "IPv4 address, e.g. 198.18.0.2/15.")
    String addr;

    @Option(names = "--addr6", paramLabel = "A/LEN", description = "IPv6 address, e.g. fd00:5a::2/64.")
    String addr6;

    @Option(names = "-l", paramLabel = "PORT", description = "Listen on PORT and accept one connection.")
    Integer listenPort;

    @Option(names = "--mtu", paramLabel = "BYTES", description = "The link MTU (default ${DEFAULT-VALUE}).")
    int mtu = HostConfig.DEFAULT_MTU;

    @Option(
            names = "--impair",
            paramLabel = "SPEC",
            converter = Converters.Impair.class,
            description = "Impairment at the device, as for 'host'.")
    ImpairSpec impair;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Record every packet (pcap, LINKTYPE_RAW).")
    Path pcap;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the host's and TCP's random choices.")
    Long seed;

    @Parameters(arity = "0..2", paramLabel = "HOST PORT", description = "Where to connect (without -l).")
    java.util.List<String> target = new java.util.ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // --- state owned by the loop thread ---
    private TcpStream socket;
    private ByteBuffer pendingOut;
    private boolean inputEnded;
    private boolean peerEnded;
    private volatile boolean outputBlocked;
    private ByteBuffer stalledIn;

    // --- shared ---
    private final Semaphore chunkTaken = new Semaphore(0);
    private final BlockingQueue<byte[]> output = new ArrayBlockingQueue<>(OUTPUT_QUEUE_CHUNKS);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile CloseReason reason;
    private volatile String failure;
    private TunAppHost app;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        IpAddress remote = null;
        int remotePort = 0;
        if (listenPort == null) {
            if (target.size() != 2) {
                throw usage("HOST PORT", String.join(" ", target), "give HOST and PORT, or -l PORT");
            }
            try {
                remote = IpAddress.of(target.get(0));
            } catch (IllegalArgumentException e) {
                throw usage("HOST", target.get(0), "an IPv4 or IPv6 address");
            }
            remotePort = port("PORT", target.get(1));
        } else {
            if (!target.isEmpty()) {
                throw usage("HOST PORT", String.join(" ", target), "not with -l");
            }
            port("-l", String.valueOf(listenPort));
        }
        HostConfig config = config();
        FaultSpec faults = impair == null ? FaultSpec.NONE : impair.spec();
        long faultSeed = Seeds.chooseOrGiven(impair);
        long hostSeed = seed != null ? seed : SplitMix64.derive(faultSeed, "host");
        Host host = new Host(config, new SplitMix64(hostSeed));
        TcpLayer tcp = new TcpLayer(config, new SplitMix64(SplitMix64.derive(hostSeed, "tcp")));
        PacketRecorder recorder = pcap == null ? null : Recorders.pcap(pcap);
        TunDevice device;
        try {
            if (!Files.isDirectory(Path.of(HostCommand.SYS_CLASS_NET, tun))) {
                throw new NativeException("no such network interface " + tun, NO_DEVICE);
            }
            device = TunDevice.open(tun);
        } catch (NativeException e) {
            if (recorder != null) {
                recorder.close();
            }
            throw new EnvironmentException("cannot open TUN device " + tun + ": " + e.getMessage(), e);
        }
        app = TunAppHost.start(device, host, tcp, faults, faultSeed, recorder);
        Signals.onInterrupt(() -> {
            app.close(); // aborts the connection: its RST leaves in the loop's last turn
            if (reason == null) {
                reason = CloseReason.ABORTED;
            }
            closed.countDown();
        });
        if (listenPort != null) {
            int p = listenPort;
            app.execute(() -> listen(p));
        } else {
            IpAddress r = remote;
            int rp = remotePort;
            app.execute(() -> connect(r, rp));
        }
        Thread writer = new Thread(this::writeOutput, "nc stdout");
        writer.setDaemon(true);
        writer.start();
        Thread reader = new Thread(this::readInput, "nc stdin");
        reader.setDaemon(true);
        reader.start();

        closed.await();
        if (reason == CloseReason.GRACEFUL || peerEnded) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        app.close();
        if (app.loop().failure() != null) {
            return Failures.exitCode(app.loop().failure(), err);
        }
        if (failure != null) {
            err.println("nc: " + failure);
        }
        err.flush();
        return exitCode(reason);
    }

    static int exitCode(CloseReason reason) {
        if (reason == null) {
            return EXIT_RESET;
        }
        return switch (reason) {
            case GRACEFUL -> Main.EXIT_OK;
            case REFUSED -> EXIT_REFUSED;
            case TIMED_OUT -> EXIT_TIMED_OUT;
            case RESET, ABORTED -> EXIT_RESET;
        };
    }

    // ------------------------------------------------------------------------------------------- loop thread

    private void listen(int port) {
        AppResult<TunAppHost.Acceptor> r = app.listen(port, 1);
        if (!r.isOk()) {
            finish(CloseReason.ABORTED, "cannot listen: " + r.error());
            return;
        }
        TunAppHost.Acceptor acceptor = r.value();
        acceptor.accept().onComplete(a -> {
            acceptor.close(); // only one connection: later ones are refused, any waiting one is aborted
            if (a.isOk()) {
                attach(a.value());
            } else {
                finish(CloseReason.ABORTED, "cannot accept: " + a.error());
            }
        });
    }

    private void connect(IpAddress remote, int port) {
        app.connect(remote, port).onComplete(r -> {
            if (r.isOk()) {
                attach(r.value());
            } else {
                finish(connectFailure(r.error()), "cannot connect: " + r.error());
            }
        });
    }

    /** How a failed connect ends the command: refused (exit 4), timed out (5), anything else as aborted (1). */
    static CloseReason connectFailure(AppError e) {
        return switch (e.kind()) {
            case REFUSED -> CloseReason.REFUSED;
            case TIMED_OUT -> CloseReason.TIMED_OUT;
            case RESET -> CloseReason.RESET;
            default -> CloseReason.ABORTED;
        };
    }

    /** The connection is established: the reader may hand its first chunk; data flows both ways. */
    private void attach(TcpStream s) {
        socket = s;
        s.onReadable(() -> {
            pumpOut();
            pumpIn();
        });
        s.onWritable(this::pumpOut);
        s.closed().onComplete(c -> onClosed(c.isOk() ? c.value() : CloseReason.ABORTED));
        chunkTaken.release();
        pumpOut();
        pumpIn();
    }

    private void onClosed(CloseReason r) {
        if (r == CloseReason.GRACEFUL) {
            pumpIn(); // what is still unread, then the end (finish waits for it)
        } else if (!peerEnded) {
            output.offer(END);
        }
        finish(r, null);
    }

    /** Hands the reader's chunk to TCP; releases the reader when TCP took it all; FIN after the last. */
    private void pumpOut() {
        if (socket == null || reason != null) {
            return;
        }
        if (pendingOut != null) {
            socket.send(pendingOut);
            if (pendingOut.hasRemaining()) {
                return; // Writable resumes
            }
            pendingOut = null;
            chunkTaken.release();
        }
        if (inputEnded && pendingOut == null) {
            inputEnded = false;
            socket.close(); // half-close: our FIN after the queued data
        }
    }

    /** Moves received octets to the output queue until it is full. */
    private void pumpIn() {
        if (socket == null || peerEnded || (reason != null && reason != CloseReason.GRACEFUL)) {
            return;
        }
        outputBlocked = false;
        while (true) {
            if (stalledIn != null) {
                byte[] b = new byte[stalledIn.remaining()];
                stalledIn.get(b);
                if (!output.offer(b)) {
                    stalledIn = ByteBuffer.wrap(b);
                    outputBlocked = true;
                    return;
                }
                stalledIn = null;
            }
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
            int n = socket.receive(buf);
            if (n < 0) {
                peerEnded = true;
                offerBlocking(END);
                if (reason != null) {
                    app.execute(closed::countDown);
                }
                return;
            }
            if (n == 0) {
                return;
            }
            buf.flip();
            stalledIn = buf;
        }
    }

    private void offerBlocking(byte[] b) {
        try {
            output.put(b); // the writer drains continuously; END is the last item
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The connection ended: done now, or for a graceful end once everything received went to the output queue. */
    private void finish(CloseReason r, String why) {
        if (reason == null) {
            reason = r;
            failure = why;
            chunkTaken.release(Integer.MAX_VALUE / 2);
            if (r != CloseReason.GRACEFUL || peerEnded) {
                app.execute(closed::countDown); // after this turn's transmissions (the last ACK) went out
            }
        }
    }

    // ------------------------------------------------------------------------------------------- stdin/stdout

    private void readInput() {
        InputStream in = new FileInputStream(FileDescriptor.in);
        try {
            chunkTaken.acquire(); // wait for Connected
            while (reason == null) {
                byte[] b = new byte[CHUNK_BYTES];
                int n = in.read(b);
                if (n < 0) {
                    app.execute(() -> {
                        inputEnded = true;
                        pumpOut();
                    });
                    return;
                }
                ByteBuffer chunk = ByteBuffer.wrap(b, 0, n);
                app.execute(() -> {
                    pendingOut = chunk;
                    pumpOut();
                });
                chunkTaken.acquire();
            }
        } catch (IOException | InterruptedException e) {
            app.execute(() -> {
                inputEnded = true;
                pumpOut();
            });
        }
    }

    private void writeOutput() {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        try {
            while (true) {
                byte[] b = output.take();
                if (b == END) {
                    out.flush();
                    return;
                }
                out.write(b);
                if (outputBlocked) {
                    app.execute(this::pumpIn);
                }
            }
        } catch (IOException e) {
            app.execute(() -> {
                if (socket != null) {
                    socket.abort(); // nobody reads our output any more
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------- options

    private HostConfig config() {
        HostConfig.Builder b = HostConfig.builder();
        String[] v4 = addr.split("/", 2);
        if (!(Ipv4Address.parse(v4[0]) instanceof Parsed.Ok<Ipv4Address> a4)) {
            throw usage("--addr", addr, "expected an IPv4 address with a prefix length, like 198.18.0.2/15");
        }
        b.ipv4(a4.value(), prefix("--addr", addr, v4, 32));
        if (addr6 != null) {
            String[] v6 = addr6.split("/", 2);
            if (!(Ipv6Address.parse(v6[0]) instanceof Parsed.Ok<Ipv6Address> a6)) {
                throw usage("--addr6", addr6, "expected an IPv6 address with a prefix length, like fd00:5a::2/64");
            }
            b.ipv6(a6.value(), prefix("--addr6", addr6, v6, 128));
        }
        b.mtu(mtu);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(
                    e.getMessage() != null && e.getMessage().startsWith("mtu") ? "--mtu" : "--addr",
                    "",
                    e.getMessage());
        }
    }

    private int prefix(String flag, String whole, String[] parts, int max) {
        if (parts.length < 2) {
            return max;
        }
        if (!parts[1].matches("[0-9]{1,3}") || Integer.parseInt(parts[1]) > max) {
            throw usage(flag, whole, "the prefix length must be 0.." + max);
        }
        return Integer.parseInt(parts[1]);
    }

    private int port(String what, String text) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw usage(what, text, "a port is 1..65535");
        }
        return Integer.parseInt(text);
    }

    private CommandLine.ParameterException usage(String flag, String value, String reason) {
        return new CommandLine.ParameterException(
                spec.commandLine(),
                "Invalid value for '" + flag + "'" + (value.isEmpty() ? "" : ": '" + value + "'") + ": " + reason);
    }
}
