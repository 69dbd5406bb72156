package io.sansnet.cli;

import io.sansnet.driver.PacketRecorder;
import io.sansnet.driver.TunHost;
import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.fault.ImpairSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.host.UdpSocket;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import io.sansnet.stack.wire.Parsed;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sansnet host}: the sans-io host on a TUN device, answering the kernel's pings and UDP. */
@Command(
        name = "host",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a sansnet IPv4/IPv6 host on an existing TUN device (make one with scripts/tun-lab.sh up): it answers"
                    + " ICMP/ICMPv6 echo, UDP (optionally echoing one port), reassembles fragments.",
            "Runs until SIGINT/SIGTERM, then prints its counters and exits 0."
        })
final class HostCommand implements Callable<Integer> {

    /** Where Linux lists the interfaces of the caller's network namespace ({@code ip netns exec} remounts it). */
    static final String SYS_CLASS_NET = "/sys/class/net";

    /** ENODEV: opening a TUN device by name would create it, but {@code host} only attaches to an existing one. */
    private static final int NO_DEVICE = 19;

    @Option(names = "--tun", required = true, paramLabel = "DEV", description = "The TUN device, e.g. tun0.")
    String tun;

    @Option(names = "--addr", required = true, paramLabel = "A/LEN", description = "IPv4 address, e.g. 198.18.0.2/15.")
    String addr;

    @Option(names = "--addr6", paramLabel = "A/LEN", description = "IPv6 address, e.g. fd00:5a::2/64.")
    String addr6;

    @Option(
            names = "--udp-echo",
            paramLabel = "PORT",
            description = "Echo every UDP datagram arriving on PORT back to its sender (repeatable).")
    List<Integer> udpEcho = new ArrayList<>();

    @Option(
            names = "--tcp-echo",
            paramLabel = "PORT",
            description = "TCP Echo (RFC 862) on PORT: every octet received is sent back (repeatable).")
    List<Integer> tcpEcho = new ArrayList<>();

    @Option(
            names = "--tcp-discard",
            paramLabel = "PORT",
            description = "TCP Discard (RFC 863) on PORT: every octet received is thrown away (repeatable).")
    List<Integer> tcpDiscard = new ArrayList<>();

    @Option(
            names = "--impair",
            paramLabel = "SPEC",
            converter = Converters.Impair.class,
            description = "loss=P,duplicate=P,reorder=P,corrupt=P,delay=D,jitter=D,reorder-delay=D,seed=N (any subset),"
                    + " applied to both directions at the device; without seed= one is chosen and printed.")
    ImpairSpec impair;

    @Option(
            names = "--pcap",
            paramLabel = "FILE",
            description = "Record every packet the host receives and sends (pcap, LINKTYPE_RAW).")
    Path pcap;

    @Option(
            names = "--mtu",
            paramLabel = "BYTES",
            description = "The link MTU (default ${DEFAULT-VALUE}); set the device's to match.")
    int mtu = HostConfig.DEFAULT_MTU;

    @Option(
            names = "--reassembly-budget",
            paramLabel = "BYTES",
            description =
                    "Memory for fragments awaiting reassembly, IPv4 and IPv6 together (default ${DEFAULT-VALUE}).")
    long reassemblyBudget = HostConfig.DEFAULT_REASSEMBLY_BUDGET_BYTES;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the host's own random choices (IP identifications, ports); default: chosen.")
    Long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HostConfig config = config();
        for (int port : udpEcho) {
            if (port < 1 || port > 65535) {
                throw usage("--udp-echo", String.valueOf(port), "a port is 1..65535");
            }
        }
        FaultSpec faults = impair == null ? FaultSpec.NONE : impair.spec();
        long faultSeed = Seeds.chooseOrGiven(impair);
        long hostSeed = seed != null ? seed : SplitMix64.derive(faultSeed, "host");
        if (impair != null) {
            out.println("impair: " + new ImpairSpec(faults, OptionalLong.of(faultSeed)).format());
        }
        Host host = new Host(config, new SplitMix64(hostSeed));
        for (int port : udpEcho) {
            AppResult<UdpSocket> r = host.bind(port, (socket, d) -> {
                byte[] payload = d.payload().toArray();
                socket.send(d.source(), d.sourcePort(), payload);
            });
            if (!r.isOk()) {
                throw usage("--udp-echo", String.valueOf(port), String.valueOf(r));
            }
        }
        TcpLayer tcp = TcpHostServices.attach(host, hostSeed, tcpEcho, tcpDiscard, this::usage);
        PacketRecorder recorder = pcap == null ? null : Recorders.pcap(pcap);
        TunDevice device;
        try {
            if (!Files.isDirectory(Path.of(SYS_CLASS_NET, tun))) {
                throw new NativeException("no such network interface " + tun, NO_DEVICE);
            }
            device = TunDevice.open(tun);
        } catch (NativeException e) {
            if (recorder != null) {
                recorder.close();
            }
            throw new EnvironmentException(
                    "cannot open TUN device " + tun + ": " + e.getMessage()
                            + " (create it first, e.g. scripts/tun-lab.sh up; root or CAP_NET_ADMIN is needed)",
                    e);
        }
        TunHost loop = new TunHost(device, host, faults, faultSeed, recorder);
        Signals.onInterrupt(() -> {
            loop.execute(tcp::abortAll); // runs (and its RSTs leave) in the loop's last turn
            loop.close();
        });
        loop.start();
        out.println("host: " + device.name() + " " + addr + (addr6 == null ? "" : " " + addr6)
                + (udpEcho.isEmpty() ? "" : " udp-echo " + udpEcho)
                + TcpHostServices.describe(tcpEcho, tcpDiscard) + " ready");
        out.flush();
        loop.awaitTermination();
        loop.close();
        out.print(loop.counters().format());
        out.print(TcpHostServices.format(tcp));
        out.flush();
        return Failures.exitCode(loop.failure(), spec.commandLine().getErr());
    }

    private HostConfig config() {
        HostConfig.Builder b = HostConfig.builder();
        String[] v4 = split("--addr", addr, 32);
        Parsed<Ipv4Address> a4 = Ipv4Address.parse(v4[0]);
        if (!(a4 instanceof Parsed.Ok<Ipv4Address> ok4)) {
            throw usage("--addr", addr, "expected an IPv4 address with a prefix length, like 198.18.0.2/15");
        }
        b.ipv4(ok4.value(), prefix("--addr", addr, v4[1], 32));
        if (addr6 != null) {
            String[] v6 = split("--addr6", addr6, 128);
            Parsed<Ipv6Address> a6 = Ipv6Address.parse(v6[0]);
            if (!(a6 instanceof Parsed.Ok<Ipv6Address> ok6)) {
                throw usage("--addr6", addr6, "expected an IPv6 address with a prefix length, like fd00:5a::2/64");
            }
            b.ipv6(ok6.value(), prefix("--addr6", addr6, v6[1], 128));
        }
        b.mtu(mtu).reassemblyBudgetBytes(reassemblyBudget);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String flag = e.getMessage() != null && e.getMessage().startsWith("mtu")
                    ? "--mtu"
                    : e.getMessage() != null && e.getMessage().startsWith("reassembly")
                            ? "--reassembly-budget"
                            : "--addr";
            throw usage(flag, "", e.getMessage());
        }
    }

    private String[] split(String flag, String text, int max) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new String[] {text, String.valueOf(max)};
        }
        return new String[] {text.substring(0, slash), text.substring(slash + 1)};
    }

    private int prefix(String flag, String whole, String text, int max) {
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > max) {
            throw usage(flag, whole, "the prefix length must be 0.." + max);
        }
        return Integer.parseInt(text);
    }

    CommandLine.ParameterException usage(String flag, String value, String reason) {
        return new CommandLine.ParameterException(
                spec.commandLine(),
                "Invalid value for option '" + flag + "'" + (value.isEmpty() ? "" : ": '" + value + "'") + ": "
                        + reason);
    }
}
