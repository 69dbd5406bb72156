package io.sansnet.cli;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Random;

/**
 * A kernel-side UDP peer for the real-peer tests, run inside the test's namespace: sends {@code count} datagrams of
 * random sizes 1..{@code maxBytes} to {@code host:port}, one at a time, and checks each echo is byte-identical. Prints
 * {@code ok N} and exits 0, or prints what went wrong and exits 1.
 *
 * <p>Usage: {@code UdpEchoClient HOST PORT COUNT MAX_BYTES SEED}
 */
public final class UdpEchoClient {
    private UdpEchoClient() {}

    /** Attempts per datagram: the path is not impaired, so one should do; two absorb a kernel hiccup. */
    static final int ATTEMPTS = 3;

    public static void main(String[] args) throws Exception {
        InetAddress host = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int maxBytes = Integer.parseInt(args[3]);
        Random random = new Random(Long.parseLong(args[4]));
        int retries = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(host, port);
            s.setSoTimeout(2_000);
            byte[] buf = new byte[65_536];
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[1 + random.nextInt(maxBytes)];
                random.nextBytes(payload);
                boolean echoed = false;
                for (int attempt = 0; attempt < ATTEMPTS && !echoed; attempt++) {
                    if (attempt > 0) {
                        retries++;
                    }
                    s.send(new DatagramPacket(payload, payload.length));
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    try {
                        while (true) {
                            s.receive(reply);
                            byte[] got = Arrays.copyOf(reply.getData(), reply.getLength());
                            if (Arrays.equals(got, payload)) {
                                echoed = true;
                                break;
                            }
                            // a late echo of an earlier attempt: keep waiting for this one
                            if (got.length == payload.length) {
                                System.out.println("datagram " + i + ": echo differs from what was sent ("
                                        + payload.length + " bytes)");
                                System.exit(1);
                            }
                        }
                    } catch (SocketTimeoutException e) {
                        // try again
                    }
                }
                if (!echoed) {
                    System.out.println("datagram " + i + " (" + payload.length + " bytes): no echo after " + ATTEMPTS
                            + " attempts");
                    System.exit(1);
                }
            }
        }
        System.out.println("ok " + count + " retries " + retries);
    }
}
