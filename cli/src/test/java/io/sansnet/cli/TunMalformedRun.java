package io.sansnet.cli;

import io.sansnet.driver.TunHttpServer;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.http.server.AccessLog;
import io.sansnet.http.server.HttpServer;
import io.sansnet.http.server.HttpServerConfig;
import io.sansnet.http.testkit.MalformedRequests;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.tcp.TcpLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Run inside a network namespace by {@link ServeTunMalformedNetnsTest} ({@code ip netns exec NS java ...}): starts the
 * HTTP server on sansnet's TCP through the TUN device {@code DEV} (the same {@link TunHttpServer} that {@code serve
 * --tun} runs, with the routes {@link MalformedRequests#router()}), then, as a client on the kernel's TCP, sends every
 * case of {@link MalformedRequests#ALL} on a connection of its own and a normal request on a new connection after
 * each. Prints one line per case, {@code case NAME STATUS NEXT-STATUS NEXT-OK}, then the server's counters.
 *
 * <p>Arguments: {@code DEV HOST-ADDR/LEN PORT}.
 */
public final class TunMalformedRun {
    private TunMalformedRun() {}

    /** Longest wait for one reply. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    static final byte[] NORMAL =
            "GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        String dev = args[0];
        String addr = args[1];
        int port = Integer.parseInt(args[2]);
        HostConfig config = HostConfig.builder().ipv4(addr).build();
        long seed = 55;
        Host host = new Host(config, new SplitMix64(seed));
        TcpLayer tcp = TcpHostServices.attach(host, seed, List.of(), List.of(), null);
        HttpServer server = new HttpServer(
                MalformedRequests.router(), HttpServerConfig.DEFAULT, System::currentTimeMillis, AccessLog.NONE);
        TunDevice device = TunDevice.open(dev);
        String target = config.ipv4Address().toString();
        try (TunHttpServer tun = TunHttpServer.start(server, device, host, tcp, port, FaultSpec.NONE, seed, null)) {
            List<MalformedRequests.Malformed> cases = MalformedRequests.ALL;
            for (MalformedRequests.Malformed m : cases) {
                String reply = exchange(target, port, m.bytes());
                String next = exchange(target, port, NORMAL);
                System.out.println("case " + m.name() + " " + status(reply) + " " + status(next) + " "
                        + (reply.contains("Connection: close") && next.endsWith("Hello, World!")));
            }
            System.out.println("cases " + cases.size());
            System.out.println("accepted " + tun.acceptedConnections());
            System.out.println("callbackErrors " + tun.callbackErrors());
            System.out.print(server.counters().format());
            System.out.println("loop-failure " + tun.loop().failure());
        }
        System.out.flush();
        System.exit(0);
    }

    /** One connection: sends {@code request}, reads the reply until the server closes (or the read times out). */
    static String exchange(String host, int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) > 0; ) {
                    got.write(b, 0, n);
                }
            } catch (IOException e) {
                got.write(("\n[read failed: " + e + "]").getBytes(StandardCharsets.US_ASCII));
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "[connect failed: " + e + "]";
        }
    }

    /** The status of the reply's status line, or -1. */
    static int status(String reply) {
        if (!reply.startsWith("HTTP/1.1 ") || reply.length() < 12) return -1;
        try {
            return Integer.parseInt(reply.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
