package io.sansnet.cli;

import io.sansnet.trace.drive.DriveConfig;
import io.sansnet.trace.drive.DriveMode;
import io.sansnet.trace.drive.DriveResult;
import io.sansnet.trace.drive.ExpectedStreams;
import io.sansnet.trace.drive.TraceDriver;
import io.sansnet.trace.pcap.CaptureReader;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkType;
import io.sansnet.trace.pcap.ReadResult;
import io.sansnet.trace.pcap.TraceError;
import io.sansnet.trace.tcp.ReassemblyLimits;
import io.sansnet.trace.tcp.Side;
import io.sansnet.trace.tcp.StreamAnomaly;
import io.sansnet.trace.tcp.TcpStreamReassembler;
import io.sansnet.trace.tcp.TraceConnection;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sansnet replay FILE}: reads a pcap or pcapng capture, reassembles every TCP connection in it and prints a
 * summary; {@code --extract DIR} also writes each connection's two byte streams; {@code --drive server|client}
 * replays each connection (or {@code --connection N}) through sansnet's TCP in place of that endpoint
 * ({@link TraceDriver}), optionally against the streams of {@code --expect DIR}; a capture altered after it was taken
 * without fixing the TCP checksum diverges at the altered packet even without them
 * ({@link io.sansnet.trace.drive.Divergence.Kind#CORRUPT_CAPTURE}).
 *
 * <p>Exit codes: 0 the whole file was read (and every driven connection matched); 1 the file is damaged (truncated,
 * corrupt, not a capture): everything before the damage is still summarised and the error names its byte offset, or
 * a driven connection diverged (the first divergence is printed with its packet number), or no connection could be
 * driven; 2 usage; 3 the file cannot be opened or read, {@code --extract} cannot write or {@code --expect} cannot be
 * read.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a pcap or pcapng capture (RAW, Ethernet with VLAN tags, Linux SLL/SLL2, BSD NULL/LOOP), reassembles"
                    + " every TCP connection and prints: packets, link types, connections, bytes per direction and"
                    + " anomalies (retransmissions, out-of-order, gaps, conflicting overlaps, bad checksums).",
            "Connections are numbered from 1 in the order of their first packet (their SYN when captured); the SYN's"
                    + " sender is the client.",
            "--drive server|client: sansnet's TCP takes the place of the server (the first SYN's receiver) or the"
                    + " client; the other endpoint's packets are fed to it at trace times on a virtual clock (addresses,"
                    + " ISN, SACK blocks and timestamps rewritten), its application writes what the replaced endpoint"
                    + " sent; every segment it sends is checked and the stream it receives compared with the capture."
                    + " A bad TCP checksum that neither checksum offload (most of the sender's checksums bad) nor a"
                    + " later retransmission (corrupted on the network: sansnet drops it too) explains diverges at its"
                    + " packet: the capture was altered.",
            "Exit 0: the file was read to its end (and every driven connection matched); 1: the file is truncated"
                    + " or corrupt (the packets before the damage are summarised, the error names its byte offset), or"
                    + " a driven connection diverged (the first divergence is printed with its packet number), or none"
                    + " could be driven; 3: the file cannot be read or DIR written."
        })
final class ReplayCommand implements Callable<Integer> {

    /** Anomalies listed one per line for each connection; the rest are only counted. */
    static final int LISTED_ANOMALIES_PER_CONNECTION = 10;

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture to read (pcap or pcapng).")
    Path file;

    @Option(
            names = "--extract",
            paramLabel = "DIR",
            description = "Write each connection's reassembled streams as DIR/N.client.bin and DIR/N.server.bin"
                    + " (up to the first gap in each direction).")
    Path extract;

    @Option(
            names = "--drive",
            paramLabel = "server|client",
            description = "Replay each connection through sansnet's TCP in place of this endpoint; exit 1 with the"
                    + " first divergence (packet number and what differed).")
    String drive;

    @Option(
            names = "--connection",
            paramLabel = "N",
            description = "With --drive: only connection N (numbered as in the summary); default all.")
    Integer connection;

    @Option(
            names = "--expect",
            paramLabel = "DIR",
            description = "With --drive: compare with the streams DIR/N.client.bin and DIR/N.server.bin (as --extract"
                    + " writes them, e.g. from an untouched capture) instead of the capture's own; then an altered"
                    + " payload diverges at its packet.")
    Path expect;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DriveMode mode = driveMode();
        List<CapturedPacket> kept = new ArrayList<>();
        TcpStreamReassembler reassembler = new TcpStreamReassembler(ReassemblyLimits.DEFAULT);
        Map<Integer, Long> linkTypes = new TreeMap<>();
        long packets = 0;
        long capturedBytes = 0;
        TraceError error = null;
        CaptureReader reader;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            reader = CaptureReader.open(in);
            while (true) {
                ReadResult r = reader.next();
                if (r instanceof ReadResult.Packet p) {
                    CapturedPacket packet = p.packet();
                    packets++;
                    capturedBytes += packet.capturedLength();
                    linkTypes.merge(packet.linkType(), 1L, Long::sum);
                    reassembler.accept(packet);
                    if (mode != null) {
                        kept.add(packet);
                    }
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
        reassembler.finish();

        out.println("file: " + file + " ("
                + reader.format()
                        .map(f -> f.name().toLowerCase(java.util.Locale.ROOT))
                        .orElse("unknown format")
                + ", " + reader.interfaces().size() + " interface(s))");
        out.println("packets: " + packets + " (" + capturedBytes + " captured bytes)");
        StringBuilder lt = new StringBuilder("link types:");
        if (linkTypes.isEmpty()) {
            lt.append(" none");
        }
        linkTypes.forEach((type, n) ->
                lt.append(' ').append(LinkType.describe(type)).append('=').append(n));
        out.println(lt);
        TcpStreamReassembler.Counters c = reassembler.counters();
        out.println("tcp segments: " + c.tcpSegments() + " (skipped: not IP " + c.notIp() + ", not TCP " + c.notTcp()
                + ", malformed " + c.malformed() + ", fragments " + c.fragments() + ", untracked " + c.untracked()
                + ")");
        List<TraceConnection> connections = reassembler.connections();
        out.println("connections: " + connections.size());
        AnomalyCounts total = new AnomalyCounts();
        for (TraceConnection conn : connections) {
            AnomalyCounts counts = AnomalyCounts.of(conn.anomalies());
            total.add(counts);
            out.println("connection " + conn.number() + ": " + conn.client() + " -> " + conn.server() + " frames "
                    + conn.firstFrame() + ".." + conn.lastFrame() + (conn.sawSyn() ? "" : " (no SYN captured)")
                    + (conn.reset() ? " (reset)" : ""));
            out.println("  client->server: " + conn.deliveredBytes(Side.CLIENT) + " bytes"
                    + (conn.finished(Side.CLIENT) ? " (FIN)" : ""));
            out.println("  server->client: " + conn.deliveredBytes(Side.SERVER) + " bytes"
                    + (conn.finished(Side.SERVER) ? " (FIN)" : ""));
            out.println("  anomalies: " + counts.format()
                    + (conn.anomalyCount() > conn.anomalies().size()
                            ? " (" + conn.anomalyCount() + " in all, "
                                    + conn.anomalies().size() + " counted)"
                            : ""));
            List<StreamAnomaly> listed = conn.anomalies();
            for (int i = 0; i < Math.min(LISTED_ANOMALIES_PER_CONNECTION, listed.size()); i++) {
                out.println("    " + describe(listed.get(i)));
            }
            if (listed.size() > LISTED_ANOMALIES_PER_CONNECTION) {
                out.println("    ... " + (listed.size() - LISTED_ANOMALIES_PER_CONNECTION) + " more");
            }
        }
        out.println("anomalies: " + total.format());
        if (extract != null) {
            try {
                reassembler.extractTo(extract);
            } catch (IOException e) {
                throw new EnvironmentException("cannot write --extract " + extract + ": " + e.getMessage(), e);
            }
            out.println("extracted: " + connections.size() + " connection(s) to " + extract);
        }
        boolean driveFailed = mode != null && !drive(mode, kept, connections, out);
        out.flush();
        if (error != null) {
            err.println("sansnet: " + file + " is damaged: " + error.message() + "; the " + packets
                    + " packet(s) before it are summarised above");
            err.flush();
            return Main.EXIT_CHECK_FAILED;
        }
        return driveFailed ? Main.EXIT_CHECK_FAILED : Main.EXIT_OK;
    }

    private DriveMode driveMode() {
        if (drive == null) {
            if (connection != null || expect != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--connection and --expect need --drive server|client");
            }
            return null;
        }
        if (connection != null && connection < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--connection: connections are numbered from 1, got " + connection);
        }
        return switch (drive.toLowerCase(Locale.ROOT)) {
            case "server" -> DriveMode.SERVER;
            case "client" -> DriveMode.CLIENT;
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--drive: expected server or client, got '" + drive + "'");
        };
    }

    /** Drives the chosen connections; prints one result each. False when one diverged or none could be driven. */
    private boolean drive(DriveMode mode, List<CapturedPacket> trace, List<TraceConnection> all, PrintWriter out) {
        String name = mode.name().toLowerCase(Locale.ROOT);
        if (connection != null && connection > all.size()) {
            out.println("drive " + name + ": no connection " + connection + " (the trace has " + all.size() + ")");
            return false;
        }
        int matched = 0;
        int diverged = 0;
        for (TraceConnection c : all) {
            if (connection != null && c.number() != connection) {
                continue;
            }
            Optional<ExpectedStreams> expected = Optional.empty();
            if (expect != null) {
                expected = Optional.of(readExpected(c.number()));
            }
            DriveResult r = TraceDriver.drive(trace, c, mode, DriveConfig.DEFAULT, expected);
            String head = "drive " + name + " connection " + c.number() + ": ";
            if (r instanceof DriveResult.Matched m) {
                matched++;
                out.println(head + "match (" + stats(m.stats()) + ")");
            } else if (r instanceof DriveResult.Diverged d) {
                diverged++;
                out.println(head + "DIVERGED at " + d.divergence().describe());
                out.println("  before it: " + stats(d.stats()));
            } else if (r instanceof DriveResult.NotDrivable n) {
                out.println(head + "skipped: " + n.reason());
            }
        }
        out.println("drive " + name + ": " + matched + " matched, " + diverged + " diverged");
        return diverged == 0 && matched > 0;
    }

    private ExpectedStreams readExpected(int n) {
        Path client = expect.resolve(n + ".client.bin");
        Path server = expect.resolve(n + ".server.bin");
        try {
            return new ExpectedStreams(Files.readAllBytes(client), Files.readAllBytes(server));
        } catch (IOException e) {
            throw new EnvironmentException("cannot read --expect " + client + " / " + server + ": " + e, e);
        }
    }

    private static String stats(DriveResult.DriveStats s) {
        return s.peerPacketsFed() + " packets fed, " + s.segmentsChecked() + " segments of sansnet checked, "
                + s.bytesDelivered() + " bytes received, " + s.bytesSent() + " bytes sent, " + s.waits() + " waits, "
                + s.clamped() + " clamped, " + s.deferredAcks() + " deferred ACKs, " + s.resetsSent() + " RSTs, "
                + s.corruptFed() + " corrupted on the network (fed, " + s.segmentsDropped() + " dropped), virtual time "
                + String.format(Locale.ROOT, "%.3f", s.virtualNanos() / 1e9) + " s";
    }

    private static String describe(StreamAnomaly a) {
        String from = "";
        String what;
        if (a instanceof StreamAnomaly.Retransmission r) {
            from = side(r.from());
            what = "retransmission of " + r.length() + " bytes at offset " + r.offset();
        } else if (a instanceof StreamAnomaly.ConflictingOverlap o) {
            from = side(o.from());
            what = "conflicting overlap of " + o.length() + " bytes at offset " + o.offset() + " (first copy kept)";
        } else if (a instanceof StreamAnomaly.OutOfOrder o) {
            from = side(o.from());
            what = "out of order: offset " + o.offset() + " while expecting " + o.expected();
        } else if (a instanceof StreamAnomaly.Gap g) {
            from = side(g.from());
            what = "gap: " + g.missingBytes() + " bytes missing at offset " + g.offset() + " (stream ends there)";
        } else if (a instanceof StreamAnomaly.DataAfterFin d) {
            from = side(d.from());
            what = "data after FIN: " + d.length() + " bytes at offset " + d.offset();
        } else if (a instanceof StreamAnomaly.BadChecksum b) {
            from = side(b.from());
            what = "bad TCP checksum";
        } else if (a instanceof StreamAnomaly.LimitReached l) {
            from = side(l.from());
            what = "limit " + l.limit() + " reached";
        } else {
            what = a.toString();
        }
        return "frame " + a.frameNumber() + " " + from + ": " + what;
    }

    private static String side(Side s) {
        return s == Side.CLIENT ? "client->server" : "server->client";
    }

    /** Anomalies of one connection (or all), by kind. */
    static final class AnomalyCounts {
        long retransmissions, outOfOrder, gaps, overlaps, badChecksums, dataAfterFin, limits;

        static AnomalyCounts of(List<StreamAnomaly> anomalies) {
            AnomalyCounts c = new AnomalyCounts();
            for (StreamAnomaly a : anomalies) {
                if (a instanceof StreamAnomaly.Retransmission) {
                    c.retransmissions++;
                } else if (a instanceof StreamAnomaly.OutOfOrder) {
                    c.outOfOrder++;
                } else if (a instanceof StreamAnomaly.Gap) {
                    c.gaps++;
                } else if (a instanceof StreamAnomaly.ConflictingOverlap) {
                    c.overlaps++;
                } else if (a instanceof StreamAnomaly.BadChecksum) {
                    c.badChecksums++;
                } else if (a instanceof StreamAnomaly.DataAfterFin) {
                    c.dataAfterFin++;
                } else if (a instanceof StreamAnomaly.LimitReached) {
                    c.limits++;
                }
            }
            return c;
        }

        void add(AnomalyCounts o) {
            retransmissions += o.retransmissions;
            outOfOrder += o.outOfOrder;
            gaps += o.gaps;
            overlaps += o.overlaps;
            badChecksums += o.badChecksums;
            dataAfterFin += o.dataAfterFin;
            limits += o.limits;
        }

        String format() {
            return "retransmissions " + retransmissions + ", out-of-order " + outOfOrder + ", gaps " + gaps
                    + ", overlaps " + overlaps + ", bad checksums " + badChecksums + ", data after FIN "
                    + dataAfterFin + ", limits reached " + limits;
        }
    }
}
