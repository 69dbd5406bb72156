package io.sansnet.cli;

import io.sansnet.sim.EventKind;
import io.sansnet.sim.LoggedEvent;
import io.sansnet.sim.Node;
import io.sansnet.sim.PacketObserver;
import io.sansnet.sim.SimHost;
import io.sansnet.sim.Simulation;
import io.sansnet.stack.tcp.TcpLayer;
import io.sansnet.stack.tcp.TcpSocket;
import io.sansnet.stack.tcp.TcpStatus;
import io.sansnet.stack.wire.IpAddress;
import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.IpProtocol;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpHeader;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.ReadResult;
import io.sansnet.trace.pcap.TraceError;
import io.sansnet.trace.plot.CaptureSequenceGraphs;
import io.sansnet.trace.plot.PlotLimits;
import io.sansnet.trace.plot.SequenceGraphBuilder;
import io.sansnet.trace.plot.SvgTimeSequence;
import io.sansnet.trace.tcp.Side;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sansnet plot FILE}: draws the time-sequence (Stevens) graph of one TCP connection of a pcap or pcapng capture
 * as a standalone SVG ({@link SvgTimeSequence}). {@link SimRecorder} draws the same graph from a simulation for
 * {@code sansnet sim --plot}.
 *
 * <p>Exit codes: 0 the graph was written; 1 the file is damaged (truncated, corrupt, not a capture): the graph of what
 * was read before the damage is still written when connection N was in it; 2 a usage error (a bad flag value, or no
 * connection N in the capture); 3 FILE cannot be read or OUT cannot be written.
 */
@Command(
        name = "plot",
        mixinStandardHelpOptions = true,
        description = {
            "Draws the time-sequence (Stevens) graph of one TCP connection of a pcap or pcapng capture as SVG, as"
                    + " tcptrace and Wireshark do: data segments (retransmissions in red), the ACK line, the receive"
                    + " window's right edge, SACK blocks, and on a second axis the bytes in flight (SND.NXT - highest"
                    + " ACK: a capture does not know cwnd) and the advertised receive window.",
            "Connections are numbered from 1 in the order of their first SYN, as 'sansnet replay' numbers them.",
            "Exit 0: written; 1: FILE is damaged (the part before the damage is drawn when it holds connection N);"
                    + " 2: a bad flag, or no connection N; 3: FILE cannot be read or OUT written."
        })
final class PlotCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture to read (pcap or pcapng).")
    Path file;

    @Option(names = "--connection", paramLabel = "N", description = "The connection to draw, from 1 (default 1).")
    int connection = 1;

    @Option(
            names = "--direction",
            paramLabel = "client|server",
            description = "Whose data to draw: client (the SYN's sender) or server; default: the direction that"
                    + " carried more data.")
    String direction;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT.svg",
            description = "Where to write the SVG (default: FILE's name without .pcap/.pcapng, then -N.svg, in the"
                    + " current directory).")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (connection < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--connection=" + connection + ": connections are numbered from 1");
        }
        Side side = null;
        if (direction != null) {
            side = switch (direction) {
                case "client" -> Side.CLIENT;
                case "server" -> Side.SERVER;
                default ->
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--direction=" + direction + ": must be client or server");
            };
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CaptureSequenceGraphs graphs = new CaptureSequenceGraphs(connection, PlotLimits.DEFAULT);
        TraceError error = null;
        long packets = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CaptureReader reader = CaptureReader.open(in);
            while (true) {
                ReadResult r = reader.next();
                if (r instanceof ReadResult.Packet p) {
                    packets++;
                    graphs.accept(p.packet());
                } else {
                    if (r instanceof ReadResult.Failure f) {
                        error = f.error();
                    }
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            throw new EnvironmentException("cannot read " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new EnvironmentException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new EnvironmentException("cannot read " + file + ": " + e, e);
        }
        if (error instanceof TraceError.IoFailure io) {
            throw new EnvironmentException("cannot read " + file + ": " + io.message());
        }
        CaptureSequenceGraphs.Result result = graphs.result(side, String.valueOf(file.getFileName()));
        if (result instanceof CaptureSequenceGraphs.Result.NoSuchConnection none) {
            if (error != null) {
                err.println("sansnet: " + file + " is damaged: " + error.message() + "; the " + packets
                        + " packet(s) before it hold " + none.found() + " connection(s), not connection "
                        + connection);
                err.flush();
                return Main.EXIT_CHECK_FAILED;
            }
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--connection=" + connection + ": " + file + " has " + none.found() + " TCP connection(s)");
        }
        CaptureSequenceGraphs.Result.Found found = (CaptureSequenceGraphs.Result.Found) result;
        Path target = output != null ? output : defaultOutput(file, connection);
        write(target, SvgTimeSequence.render(found.graph()));
        out.println("plot: " + target + " (connection " + connection + ", "
                + (found.direction() == Side.CLIENT ? "client to server" : "server to client") + ", "
                + found.dataSegments() + " data segments, " + found.retransmissions() + " retransmissions, "
                + found.sackBlocks() + " SACK blocks)");
        out.flush();
        if (error != null) {
            err.println("sansnet: " + file + " is damaged: " + error.message() + "; the graph shows the " + packets
                    + " packet(s) before it");
            err.flush();
            return Main.EXIT_CHECK_FAILED;
        }
        return Main.EXIT_OK;
    }

    /** {@code FILE}'s name without a .pcap/.pcapng/.cap extension, then {@code -N.svg}, in the current directory. */
    static Path defaultOutput(Path file, int connection) {
        String name = String.valueOf(file.getFileName());
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".pcapng", ".pcap", ".cap"}) {
            if (lower.endsWith(ext) && lower.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
                break;
            }
        }
        return Path.of(name + "-" + connection + ".svg");
    }

    /** Writes {@code svg} to {@code target}; exit 3 when it cannot. */
    static void write(Path target, String svg) {
        try {
            Files.writeString(target, svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records the graph of a simulation's first TCP connection, the direction of the host that sent its SYN (in the
     * bulk scenario: the client's data to the server), for {@code sansnet sim --plot}. Attached before the run, it
     * sees:
     *
     * <ul>
     *   <li>the sender's segments as it sends them ({@link PacketObserver}, {@code OUT} at the sender), and right
     *       after each one the sender connection's {@link TcpStatus}: cwnd and SND.WND (the receive window the sender
     *       knows) are sampled on every segment it sends;
     *   <li>the receiver's segments as they arrive at the sender ({@code IN} at the sender: ACKs at the time the
     *       sender learns of them; corrupted copies, which the stack discards, are skipped);
     *   <li>the sender's data segments the network dropped, from the event log: loss, queue, partition, MTU and
     *       host-down drops (a corrupted copy is delivered, then discarded by its checksum: not marked).
     * </ul>
     *
     * It only reads: no sim hook and no state of the run changes, so the run's fingerprint is the same with or without
     * it.
     */
    static final class SimRecorder implements PacketObserver {
        private final SequenceGraphBuilder builder = new SequenceGraphBuilder(PlotLimits.DEFAULT);
        private SimHost sender;
        private IpAddress senderAddress, receiverAddress;
        private int senderPort, receiverPort;

        /** Starts recording {@code sim} (before its first event). */
        void attach(Simulation sim) {
            builder.lossesObserved();
            sim.addObserver(this);
            sim.log().addListener(this::logged);
        }

        @Override
        public void onPacket(long timeNanos, Node node, Direction direction, byte[] bytes) {
            Decoded d = decode(bytes, true);
            if (d == null) {
                return;
            }
            TcpHeader h = d.segment.header();
            if (sender == null) {
                if (direction == Direction.OUT
                        && node instanceof SimHost host
                        && h.flags().syn()
                        && !h.flags().ack()) {
                    sender = host;
                    senderAddress = d.packet.src();
                    senderPort = h.srcPort();
                    receiverAddress = d.packet.dst();
                    receiverPort = h.dstPort();
                } else {
                    return;
                }
            }
            if (node != sender) {
                return;
            }
            if (direction == Direction.OUT && forward(d)) {
                builder.fromSender(timeNanos, h, d.segment.payload().length());
                TcpStatus st = status();
                if (st != null) {
                    builder.congestionWindow(timeNanos, st.cwnd());
                    builder.receiveWindow(timeNanos, st.sndWnd());
                }
            } else if (direction == Direction.IN && backward(d)) {
                builder.fromReceiver(timeNanos, h, d.segment.payload().length());
            }
        }

        private void logged(LoggedEvent e) {
            EventKind k = e.kind();
            if (sender == null
                    || !(k == EventKind.LOSS
                            || k == EventKind.QUEUE_DROP
                            || k == EventKind.PARTITION_DROP
                            || k == EventKind.MTU_DROP
                            || k == EventKind.HOST_DOWN_DROP)) {
                return;
            }
            Decoded d = decode(e.bytes(), false);
            if (d != null && forward(d)) {
                builder.dropped(
                        e.timeNanos(), d.segment.header(), d.segment.payload().length());
            }
        }

        private boolean forward(Decoded d) {
            TcpHeader h = d.segment.header();
            return h.srcPort() == senderPort
                    && h.dstPort() == receiverPort
                    && d.packet.src().equals(senderAddress)
                    && d.packet.dst().equals(receiverAddress);
        }

        private boolean backward(Decoded d) {
            TcpHeader h = d.segment.header();
            return h.srcPort() == receiverPort
                    && h.dstPort() == senderPort
                    && d.packet.src().equals(receiverAddress)
                    && d.packet.dst().equals(senderAddress);
        }

        /** The sender connection's status now, or null (crashed host, connection gone). */
        private TcpStatus status() {
            TcpLayer tcp = sender.tcp();
            if (tcp == null) {
                return null;
            }
            for (TcpSocket s : tcp.connections()) {
                if (s.tuple().localPort() == senderPort
                        && s.tuple().remotePort() == receiverPort
                        && s.tuple().remoteAddress().equals(receiverAddress)) {
                    return s.status();
                }
            }
            return null;
        }

        /** Data segments the sender sent (retransmissions included). */
        long dataSegments() {
            return builder.dataSegments();
        }

        long retransmissions() {
            return builder.retransmissions();
        }

        long losses() {
            return builder.losses();
        }

        /** The SVG of what was recorded. */
        String svg(String title) {
            if (sender == null) {
                return SvgTimeSequence.render(builder.build(title + ": no TCP connection was opened"));
            }
            String from = senderAddress + ":" + senderPort;
            String to = receiverAddress + ":" + receiverPort;
            return SvgTimeSequence.render(
                    builder.build(title + ": data " + from + " -> " + to + " (" + sender.name() + "'s sending)"));
        }

        private record Decoded(IpPacket packet, TcpSegment segment) {}

        private static Decoded decode(byte[] bytes, boolean verify) {
            if (!(IpPacket.parse(bytes, 0, bytes.length) instanceof Parsed.Ok<IpPacket> ip)
                    || ip.value().protocol() != IpProtocol.TCP
                    || ip.value().isFragment()) {
                return null;
            }
            byte[] tcp = ip.value().payload().toArray();
            Parsed<TcpSegment> seg = verify
                    ? TcpSegment.parse(tcp, 0, tcp.length, ip.value().pseudoHeader())
                    : TcpSegment.parseUnverified(tcp, 0, tcp.length);
            return seg instanceof Parsed.Ok<TcpSegment> ok ? new Decoded(ip.value(), ok.value()) : null;
        }
    }
}
