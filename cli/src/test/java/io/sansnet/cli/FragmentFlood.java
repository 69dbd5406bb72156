package io.sansnet.cli;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Crafts a flood of incomplete IPv4 fragments (first fragments of UDP datagrams, More Fragments set, each with a new
 * identification, never completed) from {@code src} to {@code dst}, and hands each packet as one UDP datagram to a
 * local {@code socat UDP-RECV:PORT IP4-SENDTO:DST:17,ip-hdrincl} that sends it as is through a raw socket. Run inside
 * the test's namespace. Prints {@code flooding} after the first packet and {@code sent N} at the end.
 *
 * <p>Usage: {@code FragmentFlood SRC DST RELAY_PORT COUNT FRAGMENT_DATA_BYTES PAUSE_MICROS}
 */
public final class FragmentFlood {
    private FragmentFlood() {}

    public static void main(String[] args) throws Exception {
        byte[] src = InetAddress.getByName(args[0]).getAddress();
        byte[] dst = InetAddress.getByName(args[1]).getAddress();
        int relayPort = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int dataBytes = Integer.parseInt(args[4]) & ~7; // a fragment's data is a multiple of 8 octets (RFC 791)
        long pauseNanos = Long.parseLong(args[5]) * 1_000L;
        InetAddress relay = InetAddress.getLoopbackAddress();
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < count; i++) {
                byte[] p = fragment(src, dst, 0x8000 + (i & 0x7fff), dataBytes);
                s.send(new DatagramPacket(p, p.length, relay, relayPort));
                if (i == 0) {
                    System.out.println("flooding");
                    System.out.flush();
                }
                if (pauseNanos > 0) {
                    long until = System.nanoTime() + pauseNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
        }
        System.out.println("sent " + count);
    }

    /** An IPv4 first fragment: MF set, offset 0, protocol UDP, a UDP header claiming more data than ever arrives. */
    static byte[] fragment(byte[] src, byte[] dst, int id, int dataBytes) {
        byte[] p = new byte[20 + dataBytes];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, id);
        put16(p, 6, 0x2000); // MF, offset 0
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        put16(p, 10, checksum(p, 20));
        put16(p, 20, 40000);
        put16(p, 22, 9);
        put16(p, 24, 8 + 4 * dataBytes); // the whole datagram would be longer than this fragment
        return p;
    }

    static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >>> 8);
        p[off + 1] = (byte) v;
    }

    static int checksum(byte[] p, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
