package io.sansnet.cli;

import io.sansnet.driver.PacketRecorder;
import io.sansnet.driver.TunRelay;
import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.fault.ImpairSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sansnet relay}: a user-space netem joining two TUN devices in two network namespaces. */
@Command(
        name = "relay",
        mixinStandardHelpOptions = true,
        description = {
            "Forwards packets between two TUN devices, each opened (or created) in its network namespace, through the"
                    + " seeded fault model: two Linux kernels talk over an impaired path.",
            "Runs until SIGINT/SIGTERM, then prints its counters and exits 0.",
            "Example: ip netns add a; ip netns add b; ip -n a tuntap add dev ta mode tun; ip -n b tuntap add dev tb"
                    + " mode tun; (addresses, links up); sansnet relay --tun ta@a --tun tb@b --impair loss=0.1"
        })
final class RelayCommand implements Callable<Integer> {

    @Option(
            names = "--tun",
            required = true,
            paramLabel = "NAME[@NETNS]",
            converter = Converters.Tun.class,
            description = "A TUN device, optionally in a network namespace made by 'ip netns add'. Give it twice.")
    List<Converters.TunName> tuns;

    @Option(
            names = "--impair",
            paramLabel = "SPEC",
            converter = Converters.Impair.class,
            description = "loss=P,duplicate=P,reorder=P,corrupt=P,delay=D,jitter=D,reorder-delay=D,seed=N (any subset),"
                    + " applied to both directions; without seed= one is chosen and printed.")
    ImpairSpec impair;

    @Option(
            names = "--pcap",
            paramLabel = "FILE",
            description = "Record every forwarded packet as its destination kernel receives it (pcap, LINKTYPE_RAW).")
    Path pcap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (tuns.size() != 2) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--tun must be given exactly twice, got " + tuns.size());
        }
        if (tuns.get(0).equals(tuns.get(1))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--tun " + tuns.get(0).label() + " is given twice");
        }
        PrintWriter out = spec.commandLine().getOut();
        FaultSpec faults = impair == null ? FaultSpec.NONE : impair.spec();
        long seed = Seeds.chooseOrGiven(impair);
        if (impair != null) {
            out.println("impair: " + new ImpairSpec(faults, java.util.OptionalLong.of(seed)).format());
        }
        TunDevice a = open(tuns.get(0));
        TunDevice b;
        try {
            b = open(tuns.get(1));
        } catch (EnvironmentException e) {
            a.close();
            throw e;
        }
        PacketRecorder recorder;
        try {
            recorder = pcap == null ? null : Recorders.pcap(pcap);
        } catch (EnvironmentException e) {
            a.close();
            b.close();
            throw e;
        }
        TunRelay relay = new TunRelay(a, b, faults, seed, recorder);
        Signals.onInterrupt(relay::close);
        relay.start();
        out.println("relay: " + a.label() + " <-> " + b.label() + " ready");
        out.flush();
        relay.awaitTermination();
        relay.close();
        out.print(relay.counters().format());
        out.flush();
        return Failures.exitCode(relay.failure(), spec.commandLine().getErr());
    }

    private static TunDevice open(Converters.TunName t) {
        try {
            return TunDevice.open(t.name(), t.netns());
        } catch (NativeException e) {
            throw new EnvironmentException("cannot open TUN device " + t.label() + ": " + e.getMessage(), e);
        }
    }
}
