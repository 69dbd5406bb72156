package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sansnet serve --tun} with {@code --addr6} and {@code --pcap}, in a fresh network namespace: curl (the kernel's
 * TCP) fetches {@code /bytes/N} over IPv6, and a second client (Python) holds an idle keep-alive connection. Stopping
 * the server (SIGTERM) resets that connection on the wire before the TUN device closes: the client's {@code recv}
 * fails with ECONNRESET rather than waiting on a connection that silently vanished (RFC 9293 §3.10.7.1, ABORT: a RST is sent).
 * The capture holds the IPv6 TCP conversation (handshake, the body, the RST).
 */
class ServeTunIpv6NetnsTest {
    private static final String DEV = "sn0";
    private static final String KERNEL4 = "198.18.0.1";
    private static final String HOST4 = "198.18.0.2";
    private static final String KERNEL6 = "fd00:5a::1";
    private static final String HOST6 = "fd00:5a::2";
    private static final int PORT = 80;
    private static final int BYTES = 100_000;
    /** TCP flag bits (RFC 9293 §3.1). */
    private static final int FIN = 0x01;

    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    /**
     * A kernel-TCP client (Python): connects to argv[1]:argv[2], sends one keep-alive request, prints RESPONSE once the
     * body arrived, then waits on the idle connection and prints what ended it: RESET, EOF, or TIMEOUT (15 s).
     */
    private static final String IDLE_CLIENT = String.join(
            "\n",
            "import socket, sys",
            "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=15)",
            "s.sendall(b'GET /plaintext HTTP/1.1\\r\\nHost: sansnet\\r\\n\\r\\n')",
            "got = b''",
            "while b'Hello, World!' not in got:",
            "    d = s.recv(4096)",
            "    if not d:",
            "        print('EOF before the response', flush=True)",
            "        sys.exit(3)",
            "    got += d",
            "print('RESPONSE', flush=True)",
            "try:",
            "    print('EOF' if not s.recv(4096) else 'DATA', flush=True)",
            "except ConnectionResetError:",
            "    print('RESET', flush=True)",
            "except socket.timeout:",
            "    print('TIMEOUT', flush=True)",
            "");

    private Lab.Netns ns;
    private Lab.Background serve;
    private Lab.Background idle;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        Lab.require("ip", "curl", "python3", "tshark");
        ns = Lab.Netns.create("snS6");
        ns.addTun(DEV, KERNEL4 + "/15", KERNEL6 + "/64");
    }

    @AfterEach
    void tearDown() {
        Lab.closeAll(idle, serve, ns);
    }

    @Test
    void curlFetchesOverIpv6AndStopResetsTheIdleConnectionOnTheWire() throws Exception {
        Path pcap = tmp.resolve("serve6.pcap");
        serve = Lab.Background.start(Lab.inNetns(
                ns.name,
                Lab.sansnet(
                        "serve",
                        "--tun",
                        DEV,
                        "--addr",
                        HOST4 + "/15",
                        "--addr6",
                        HOST6 + "/64",
                        "--port",
                        String.valueOf(PORT),
                        "--pcap",
                        pcap.toString())));
        serve.awaitOutput("serve: listening on http://" + HOST4 + ":" + PORT, Duration.ofSeconds(30));
        assertThat(serve.out()).contains("http://[" + HOST6 + "]:" + PORT);

        // 1. curl over IPv6: the body is the /bytes pattern
        Path got = tmp.resolve("bytes.out");
        Lab.ok(
                Duration.ofSeconds(40),
                Lab.inNetns(
                        ns.name,
                        "curl",
                        "-sS",
                        "--fail",
                        "-g",
                        "-m",
                        "30",
                        "-o",
                        got.toString(),
                        "http://[" + HOST6 + "]:" + PORT + "/bytes/" + BYTES));
        byte[] body = Files.readAllBytes(got);
        assertThat(body).hasSize(BYTES);
        for (int i = 0; i < BYTES; i++) {
            if (body[i] != (byte) (i % 251)) {
                throw new AssertionError("byte " + i + " is " + body[i] + ", expected " + (i % 251));
            }
        }

        // 2. a keep-alive connection left idle after one response, by a client that tells a reset from a FIN
        idle = Lab.Background.start(Lab.inNetns(ns.name, "python3", "-c", IDLE_CLIENT, HOST6, String.valueOf(PORT)));
        idle.awaitOutput("RESPONSE", Duration.ofSeconds(20));

        // 3. stop the server: the idle connection gets its RST before the device closes
        Lab.Result s = serve.stopOk(Duration.ofSeconds(20));
        assertThat(s.out())
                .as(s.describe())
                .contains("accepted 2", KERNEL6 + " - - [")
                .contains("\"GET /bytes/" + BYTES + " HTTP/1.1\" 200 " + BYTES)
                .contains("\"GET /plaintext HTTP/1.1\" 200 13");
        Lab.Result client = idle.waitFor(Duration.ofSeconds(10));
        assertThat(client.out())
                .as("the idle client saw the reset (not a FIN, not silence)\n" + client.describe())
                .contains("RESET");

        // 4. the capture: both IPv6 conversations, the body, and the RST on the idle one
        Map<Integer, Conversation> byClientPort = conversations(pcap);
        assertThat(byClientPort).as("two IPv6 TCP connections to port %d", PORT).hasSize(2);
        List<Conversation> c = new ArrayList<>(byClientPort.values());
        Conversation fetch = c.get(0);
        Conversation kept = c.get(1);
        for (Conversation x : c) {
            assertThat(x.clientSyn)
                    .as("SYN from the kernel, port %d", x.clientPort)
                    .isTrue();
            assertThat(x.serverSynAck)
                    .as("SYN-ACK from sansnet, port %d", x.clientPort)
                    .isTrue();
        }
        assertThat(fetch.serverPayload).as("response octets to curl").isGreaterThan(BYTES);
        assertThat(fetch.serverReset)
                .as("curl's connection ended before the stop")
                .isFalse();
        assertThat(kept.serverPayload).as("the /plaintext response").isPositive();
        assertThat(kept.serverReset)
                .as("RST from sansnet on the idle connection")
                .isTrue();
        assertThat(kept.serverFin)
                .as("no FIN before the reset: the connection was idle")
                .isFalse();
    }

    /** One TCP connection in the capture, from the kernel's port {@code clientPort} to the server's port. */
    private static final class Conversation {
        final int clientPort;
        boolean clientSyn;
        boolean serverSynAck;
        boolean serverFin;
        boolean serverReset;
        long serverPayload;

        Conversation(int clientPort) {
            this.clientPort = clientPort;
        }
    }

    /** The IPv6 TCP connections to {@link #PORT} in the capture, in the order their first packet appears. */
    private static Map<Integer, Conversation> conversations(Path pcap) {
        Lab.Result r = Lab.ok(
                Duration.ofSeconds(30),
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "ipv6 && tcp",
                "-T",
                "fields",
                "-E",
                "separator=,",
                "-e",
                "ipv6.src",
                "-e",
                "tcp.srcport",
                "-e",
                "tcp.dstport",
                "-e",
                "tcp.flags",
                "-e",
                "tcp.len");
        Map<Integer, Conversation> byPort = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            String[] f = line.split(",", -1);
            if (f.length < 5 || f[4].isEmpty()) {
                continue;
            }
            boolean fromServer = f[0].equals(HOST6) && Integer.parseInt(f[1]) == PORT;
            boolean toServer = f[0].equals(KERNEL6) && Integer.parseInt(f[2]) == PORT;
            if (!fromServer && !toServer) {
                continue;
            }
            int clientPort = Integer.parseInt(fromServer ? f[2] : f[1]);
            int flags = Integer.decode(f[3]);
            Conversation c = byPort.computeIfAbsent(clientPort, Conversation::new);
            if (toServer) {
                c.clientSyn |= (flags & (SYN | ACK)) == SYN;
            } else {
                c.serverSynAck |= (flags & (SYN | ACK)) == (SYN | ACK);
                c.serverFin |= (flags & FIN) != 0;
                c.serverReset |= (flags & RST) != 0;
                c.serverPayload += Integer.parseInt(f[4]);
            }
        }
        return byPort;
    }
}
