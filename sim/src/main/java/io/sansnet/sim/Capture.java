package io.sansnet.sim;

import io.sansnet.trace.pcap.LinkType;
import io.sansnet.trace.pcap.PcapWriter;
import io.sansnet.trace.pcap.PcapngWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records every packet as each node saw it, with virtual timestamps (nanoseconds since the start of the run, shown as
 * 1970 by Wireshark): as pcapng with one interface per node (named after it, raw IP, its direction in the packet
 * flags), or as classic pcap with all nodes in one stream. The output depends on the run only, so one seed gives one
 * byte-identical file. The caller owns the stream (a file in the CLI, a byte array in tests); {@link #close()} flushes
 * and closes it.
 */
public final class Capture implements PacketObserver, Closeable {

    /** The file format. */
    public enum Format {
        /** pcapng, one interface per node. */
        PCAPNG,
        /** Classic libpcap (LINKTYPE_RAW, microsecond timestamps): every node's packets in one stream. */
        PCAP;

        /** {@link #PCAP} for a {@code .pcap} file name, otherwise {@link #PCAPNG}. */
        public static Format forFileName(String name) {
            return name.endsWith(".pcap") ? PCAP : PCAPNG;
        }
    }

    private final PcapngWriter pcapng;
    private final PcapWriter pcap;
    private final Map<String, Integer> interfaces = new LinkedHashMap<>();
    private long packets;

    private Capture(PcapngWriter pcapng, PcapWriter pcap) {
        this.pcapng = pcapng;
        this.pcap = pcap;
    }

    /** Starts capturing every packet of {@code sim} into {@code out}. */
    public static Capture attach(Simulation sim, OutputStream out, Format format) {
        try {
            Capture c = format == Format.PCAPNG
                    ? new Capture(PcapngWriter.open(out), null)
                    : new Capture(null, PcapWriter.open(out));
            if (format == Format.PCAPNG) {
                for (Node n : sim.nodes()) {
                    c.interfaceOf(n);
                }
            }
            sim.addObserver(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int interfaceOf(Node n) throws IOException {
        Integer id = interfaces.get(n.name());
        if (id == null) {
            id = pcapng.addInterface(n.name(), LinkType.RAW);
            interfaces.put(n.name(), id);
        }
        return id;
    }

    @Override
    public void onPacket(long timeNanos, Node node, PacketObserver.Direction direction, byte[] bytes) {
        try {
            if (pcapng != null) {
                pcapng.write(
                        interfaceOf(node),
                        timeNanos,
                        bytes,
                        direction == PacketObserver.Direction.OUT
                                ? io.sansnet.trace.pcap.Direction.OUTBOUND
                                : io.sansnet.trace.pcap.Direction.INBOUND);
            } else {
                pcap.write(timeNanos, bytes);
            }
            packets++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Packets recorded so far. */
    public long packets() {
        return packets;
    }

    @Override
    public void close() throws IOException {
        if (pcapng != null) {
            pcapng.close();
        } else {
            pcap.close();
        }
    }
}
