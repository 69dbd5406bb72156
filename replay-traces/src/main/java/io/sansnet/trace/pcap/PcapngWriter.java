package io.sansnet.trace.pcap;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a pcapng file (draft-ietf-opsawg-pcapng), little-endian, one section: a section header block at {@link
 * #open}, an interface description block per {@link #addInterface} (with {@code if_name} and {@code if_tsresol = 9},
 * so timestamps are exact nanoseconds), and an enhanced packet block per {@link #write}.
 *
 * <p>The simulator adds one interface per host and records each packet as that host saw it, with its {@link
 * Direction} in {@code epb_flags}. The output depends only on the calls made (no host name, OS or clock), so the
 * same run gives the same bytes.
 *
 * <p>Pure: it only writes to the {@link OutputStream} it is given, one {@code write} call per block, and does not
 * buffer. {@link #close()} closes the stream. Threading: every method is {@code synchronized}; drivers and the
 * simulator call it from their single loop thread.
 */
public final class PcapngWriter implements Closeable, Flushable {
    /** libpcap's MAXIMUM_SNAPLEN: room for TSO/GRO and BIG TCP segments. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;
    /** The {@code shb_userappl} written by {@link #open(OutputStream)}. */
    public static final String DEFAULT_APPLICATION = "sansnet";

    static final int SHB_USERAPPL = 4;

    private final OutputStream out;
    private final List<Integer> snapLengths = new ArrayList<>();
    private long packetsWritten;
    private boolean closed;

    private PcapngWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the section header block naming {@code application} in {@code shb_userappl}. */
    public static PcapngWriter open(OutputStream out, String application) throws IOException {
        Objects.requireNonNull(out, "out");
        PcapngWriter w = new PcapngWriter(out);
        byte[] appl = application.getBytes(StandardCharsets.UTF_8);
        int optionsLength = application.isEmpty() ? 0 : optionLength(appl.length) + 4;
        ByteBuffer b = block(PcapngDecoder.SHB, 28 + optionsLength);
        b.putInt(PcapngDecoder.BYTE_ORDER_MAGIC);
        b.putShort((short) 1).putShort((short) 0); // version 1.0
        b.putLong(-1); // section length not specified (§4.1)
        if (!application.isEmpty()) {
            putOption(b, SHB_USERAPPL, appl);
            b.putInt(0); // opt_endofopt
        }
        w.emit(b);
        return w;
    }

    public static PcapngWriter open(OutputStream out) throws IOException {
        return open(out, DEFAULT_APPLICATION);
    }

    /** Describes an interface with the default snap length; returns its id for {@link #write}. */
    public synchronized int addInterface(String name, int linkType) throws IOException {
        return addInterface(name, linkType, DEFAULT_SNAP_LENGTH);
    }

    /**
     * Describes an interface; returns its id (0, 1, ... in call order) for {@link #write}.
     *
     * @param name {@code if_name}, e.g. the simulated host's name
     * @param linkType {@link LinkType} of its packets
     * @param snapLength packets longer than this are truncated; 0 means no limit
     */
    public synchronized int addInterface(String name, int linkType, int snapLength) throws IOException {
        ensureOpen();
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("linkType must fit in 16 bits: " + linkType);
        }
        if (snapLength < 0) {
            throw new IllegalArgumentException("snapLength must not be negative: " + snapLength);
        }
        byte[] ifName = name.getBytes(StandardCharsets.UTF_8);
        if (ifName.length > 0xFFFF) {
            throw new IllegalArgumentException("interface name longer than 65535 bytes");
        }
        int optionsLength = (ifName.length > 0 ? optionLength(ifName.length) : 0) + optionLength(1) + 4;
        ByteBuffer b = block(PcapngDecoder.IDB, 20 + optionsLength);
        b.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
        if (ifName.length > 0) {
            putOption(b, PcapngDecoder.IF_NAME, ifName);
        }
        putOption(b, PcapngDecoder.IF_TSRESOL, new byte[] {(byte) TimestampResolution.NANOSECONDS.tsresol()});
        b.putInt(0); // opt_endofopt
        emit(b);
        snapLengths.add(snapLength);
        return snapLengths.size() - 1;
    }

    /** Records {@code packet} on interface {@code interfaceId} at {@code timestampNanos} since 1970. */
    public synchronized void write(int interfaceId, long timestampNanos, byte[] packet) throws IOException {
        write(interfaceId, timestampNanos, packet, 0, packet.length, packet.length, Direction.UNKNOWN);
    }

    /** Records {@code packet} with its direction as seen by the interface. */
    public synchronized void write(int interfaceId, long timestampNanos, byte[] packet, Direction direction)
            throws IOException {
        write(interfaceId, timestampNanos, packet, 0, packet.length, packet.length, direction);
    }

    /**
     * Records {@code packet[offset, offset+length)}, truncated to the interface's snap length, as a packet that had
     * {@code originalLength} bytes.
     *
     * @throws IllegalArgumentException for an unknown interface, a negative timestamp, or originalLength &lt; length
     */
    public synchronized void write(
            int interfaceId,
            long timestampNanos,
            byte[] packet,
            int offset,
            int length,
            long originalLength,
            Direction direction)
            throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(offset, length, packet.length);
        Objects.requireNonNull(direction, "direction");
        if (interfaceId < 0 || interfaceId >= snapLengths.size()) {
            throw new IllegalArgumentException("no interface " + interfaceId + " (" + snapLengths.size() + " added)");
        }
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("timestamp before 1970: " + timestampNanos);
        }
        if (originalLength < length || originalLength > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("originalLength " + originalLength + " for " + length + " bytes");
        }
        int snap = snapLengths.get(interfaceId);
        int captured = snap == 0 ? length : Math.min(length, snap);
        int optionsLength = direction == Direction.UNKNOWN ? 0 : optionLength(4) + 4;
        ByteBuffer b = block(PcapngDecoder.EPB, 32 + PcapngDecoder.pad4(captured) + optionsLength);
        b.putInt(interfaceId);
        b.putInt((int) (timestampNanos >>> 32)).putInt((int) timestampNanos); // if_tsresol = 9: nanoseconds
        b.putInt(captured).putInt((int) originalLength);
        b.put(packet, offset, captured);
        b.position(b.position() + PcapngDecoder.pad4(captured) - captured);
        if (direction != Direction.UNKNOWN) {
            b.putShort((short) PcapngDecoder.EPB_FLAGS).putShort((short) 4).putInt(direction.epbFlagBits());
            b.putInt(0); // opt_endofopt
        }
        emit(b);
        packetsWritten++;
    }

    /** Interfaces added so far. */
    public synchronized int interfaceCount() {
        return snapLengths.size();
    }

    public synchronized long packetsWritten() {
        return packetsWritten;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the stream; later calls throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            try (out) {
                out.flush();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
    }

    /** A block buffer with its type and leading length written; {@link #emit} adds the trailing length. */
    private static ByteBuffer block(int type, int totalLength) {
        ByteBuffer b = ByteBuffer.allocate(totalLength).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(totalLength);
        return b;
    }

    private void emit(ByteBuffer b) throws IOException {
        b.putInt(b.capacity()); // trailing block total length
        out.write(b.array());
    }

    /** Bytes of one option: code, length, value padded to 32 bits (§3.5). */
    private static int optionLength(int valueLength) {
        return 4 + PcapngDecoder.pad4(valueLength);
    }

    private static void putOption(ByteBuffer b, int code, byte[] value) {
        b.putShort((short) code).putShort((short) value.length).put(value);
        b.position(b.position() + PcapngDecoder.pad4(value.length) - value.length);
    }
}
