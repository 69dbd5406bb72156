package io.sansnet.cli;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sansnet replay FILE}: reads a pcap or pcapng capture, reassembles every TCP connection in it and prints a
 * summary; {@code --extract DIR} also writes each connection's two byte streams.
 *
 * <p>Exit codes: 0 the whole file was read; 1 the file is damaged (truncated, corrupt, not a capture): everything
 * before the damage is still summarised and the error names its byte offset; 3 the file cannot be opened or read, or
 * {@code --extract} cannot write. {@code --drive server|client} (driving the TCP engine from the trace) is not offered
 * yet.
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
            "Exit 0: the file was read to its end; 1: the file is truncated or corrupt (the packets before the damage"
                    + " are summarised, the error names its byte offset); 3: the file cannot be read or DIR written."
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
        out.flush();
        if (error != null) {
            err.println("sansnet: " + file + " is damaged: " + error.message() + "; the " + packets
                    + " packet(s) before it are summarised above");
            err.flush();
            return Main.EXIT_CHECK_FAILED;
        }
        return Main.EXIT_OK;
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
