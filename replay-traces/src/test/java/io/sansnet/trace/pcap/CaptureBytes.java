package io.sansnet.trace.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Crafts capture files byte by byte, in either byte order, independently of the writers under test: the reader is
 * checked against the format description, not against our own writer.
 */
final class CaptureBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    private CaptureBytes(ByteOrder order) {
        this.order = order;
    }

    /** A classic pcap file header (version 2.4). */
    static CaptureBytes pcap(ByteOrder order, boolean nanos, int linkType, long snapLength) {
        CaptureBytes c = new CaptureBytes(order);
        ByteBuffer b = c.buf(24);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4);
        b.putInt(0).putInt(0).putInt((int) snapLength).putInt(linkType);
        c.out.writeBytes(b.array());
        return c;
    }

    /** A classic pcap record. */
    CaptureBytes record(long seconds, long fraction, byte[] data, long originalLength) {
        ByteBuffer b = buf(16);
        b.putInt((int) seconds).putInt((int) fraction).putInt(data.length).putInt((int) originalLength);
        out.writeBytes(b.array());
        out.writeBytes(data);
        return this;
    }

    /** A pcapng file starting with a section header block in {@code order}. */
    static CaptureBytes pcapng(ByteOrder order) {
        return new CaptureBytes(order).shb(order);
    }

    /** A section header block (version 1.0, unspecified section length), switching to {@code newOrder}. */
    CaptureBytes shb(ByteOrder newOrder) {
        order = newOrder;
        ByteBuffer body = buf(16);
        body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(0x0A0D0D0A, body.array());
    }

    /** An interface description block; {@code tsresol} and {@code tsoffset} may be null (absent). */
    CaptureBytes idb(int linkType, long snapLength, String name, Integer tsresol, Long tsoffset) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer fixed = buf(8);
        fixed.putShort((short) linkType).putShort((short) 0).putInt((int) snapLength);
        body.writeBytes(fixed.array());
        if (name != null) {
            option(body, 2, name.getBytes(StandardCharsets.UTF_8));
        }
        if (tsresol != null) {
            option(body, 9, new byte[] {(byte) (int) tsresol});
        }
        if (tsoffset != null) {
            option(body, 14, buf(8).putLong(tsoffset).array());
        }
        option(body, 0, new byte[0]);
        return block(1, body.toByteArray());
    }

    /** An enhanced packet block; {@code flags} may be null (no epb_flags option). */
    CaptureBytes epb(int iface, long units, byte[] data, long originalLength, Integer flags) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer fixed = buf(20);
        fixed.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units);
        fixed.putInt(data.length).putInt((int) originalLength);
        body.writeBytes(fixed.array());
        body.writeBytes(data);
        body.writeBytes(new byte[pad(data.length)]);
        if (flags != null) {
            option(body, 2, buf(4).putInt(flags).array());
            option(body, 0, new byte[0]);
        }
        return block(6, body.toByteArray());
    }

    /** An obsolete packet block (16-bit interface id and drops count). */
    CaptureBytes opb(int iface, long units, byte[] data, long originalLength) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer fixed = buf(20);
        fixed.putShort((short) iface)
                .putShort((short) 0)
                .putInt((int) (units >>> 32))
                .putInt((int) units);
        fixed.putInt(data.length).putInt((int) originalLength);
        body.writeBytes(fixed.array());
        body.writeBytes(data);
        body.writeBytes(new byte[pad(data.length)]);
        return block(2, body.toByteArray());
    }

    /** A simple packet block. */
    CaptureBytes spb(long originalLength, byte[] data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(buf(4).putInt((int) originalLength).array());
        body.writeBytes(data);
        body.writeBytes(new byte[pad(data.length)]);
        return block(3, body.toByteArray());
    }

    /** Any block: type, total length, body (padded by the caller), total length. */
    CaptureBytes block(int type, byte[] body) {
        ByteBuffer b = buf(12 + body.length);
        b.putInt(type).putInt(12 + body.length).put(body).putInt(12 + body.length);
        out.writeBytes(b.array());
        return this;
    }

    /** Appends raw bytes. */
    CaptureBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    private void option(ByteArrayOutputStream body, int code, byte[] value) {
        body.writeBytes(
                buf(4).putShort((short) code).putShort((short) value.length).array());
        body.writeBytes(value);
        body.writeBytes(new byte[pad(value.length)]);
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private static int pad(int n) {
        return (4 - n % 4) % 4;
    }

    /** A minimal IPv4/UDP packet from 198.18.0.1 to 198.18.0.2 with {@code payload} bytes (checksums zero). */
    static byte[] ipv4Udp(int payload, int id) {
        int total = 28 + payload;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) id)
                .putShort((short) 0);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {(byte) 198, 18, 0, 1}).put(new byte[] {(byte) 198, 18, 0, 2});
        b.putShort((short) 7)
                .putShort((short) 7)
                .putShort((short) (8 + payload))
                .putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i * 7 + id));
        }
        return b.array();
    }

    /** A minimal IPv6/UDP packet from fd00:5a::1 to fd00:5a::2 with {@code payload} bytes. */
    static byte[] ipv6Udp(int payload) {
        ByteBuffer b = ByteBuffer.allocate(48 + payload);
        b.putInt(0x60000000).putShort((short) (8 + payload)).put((byte) 17).put((byte) 64);
        b.put(addr6(1)).put(addr6(2));
        b.putShort((short) 7)
                .putShort((short) 7)
                .putShort((short) (8 + payload))
                .putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    static byte[] addr6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[2] = 0;
        a[3] = 0x5a;
        a[15] = (byte) last;
        return a;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
