package io.sansnet.cli;

import io.sansnet.driver.TcpServices;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpListener;
import java.util.List;

/** TCP for {@code sansnet host}: the layer attached to the host, and the {@code --tcp-echo}/{@code --tcp-discard} services. */
final class TcpHostServices {

    /** Builds the usage error of a bad flag value. */
    @FunctionalInterface
    interface Usage {
        RuntimeException error(String flag, String value, String reason);
    }

    private TcpHostServices() {}

    /** Attaches a {@link TcpLayer} (seeded from {@code hostSeed}) to {@code host} and starts the services on it. */
    static TcpLayer attach(Host host, long hostSeed, List<Integer> echo, List<Integer> discard, Usage usage) {
        TcpLayer tcp = new TcpLayer(host.config(), new SplitMix64(SplitMix64.derive(hostSeed, "tcp")));
        for (int port : echo) {
            check(usage, "--tcp-echo", port, TcpServices.echo(tcp, port));
        }
        for (int port : discard) {
            check(usage, "--tcp-discard", port, TcpServices.discard(tcp, port));
        }
        host.attachTcp(tcp);
        return tcp;
    }

    private static void check(Usage usage, String flag, int port, AppResult<TcpListener> r) {
        if (port < 1 || port > 65535) {
            throw usage.error(flag, String.valueOf(port), "a port is 1..65535");
        }
        if (!r.isOk()) {
            throw usage.error(flag, String.valueOf(port), String.valueOf(r.error()));
        }
    }

    static String describe(List<Integer> echo, List<Integer> discard) {
        return (echo.isEmpty() ? "" : " tcp-echo " + echo) + (discard.isEmpty() ? "" : " tcp-discard " + discard);
    }

    /** The layer's counters, one {@code name value} line each (read after the loop ended). */
    static String format(TcpLayer tcp) {
        TcpLayer.Counters c = tcp.counters();
        return "tcp.segmentsReceived " + c.segmentsReceived() + "\n"
                + "tcp.badSegments " + c.badSegments() + "\n"
                + "tcp.resetsSent " + c.resetsSent() + "\n"
                + "tcp.resetsDropped " + c.resetsDropped() + "\n"
                + "tcp.listenOverflows " + c.listenOverflows() + "\n"
                + "tcp.tableFullDrops " + c.tableFullDrops() + "\n"
                + "tcp.icmpErrors " + c.icmpErrors() + "\n"
                + "tcp.icmpIgnored " + c.icmpIgnored() + "\n"
                + "tcp.connections " + tcp.connectionCount() + "\n";
    }
}
