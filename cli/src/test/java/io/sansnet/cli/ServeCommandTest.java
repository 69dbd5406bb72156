package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sansnet serve}: its usage errors, --tun without its device, and a real run with the access log. */
class ServeCommandTest {

    @Test
    void tunWithoutTheDeviceIsAnEnvironmentError() {
        MainTest.Run r = MainTest.run("serve", "--tun", "snnodev0", "--addr", "198.18.0.2/15", "--port", "80");
        assertThat(r.exit()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(r.err()).contains("cannot open TUN device snnodev0");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "serve | --listen",
                "serve --tun t0 --addr 198.18.0.2/15 --listen 127.0.0.1:0 | --listen",
                "serve --tun t0 | --addr",
                "serve --listen 127.0.0.1 | 127.0.0.1",
                "serve --listen 127.0.0.1:70000 | 70000",
                "serve --listen localhost:80 | localhost",
                "serve --listen 127.0.0.1:0 --threads 0 | --threads",
                "serve --listen 127.0.0.1:0 --header-timeout-ms 0 | --header-timeout-ms",
            })
    void usageErrorsExitTwo(String args, String named) {
        MainTest.Run r = MainTest.run(args.trim().split(" +"));
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains(named.trim());
    }

    @Test
    void missingRootIsAnEnvironmentError(@TempDir Path dir) {
        MainTest.Run r = MainTest.run(
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--root",
                dir.resolve("none").toString());
        assertThat(r.exit()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(r.err()).contains("--root");
    }

    @Test
    void servesAndLogsInCommonLogFormatThenStopsOnSigterm(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hi there\n");
        try (ServeProcess p =
                new ServeProcess(List.of("-Xmx128m"), "--listen", "127.0.0.1:0", "--root", dir.toString())) {
            assertThat(get(p.port, "/plaintext")).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
            assertThat(p.nextLine())
                    .matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w\\w\\w/\\d{4}:\\d\\d:\\d\\d:\\d\\d"
                            + " \\+0000\\] \"GET /plaintext HTTP/1\\.1\" 200 13");
            assertThat(get(p.port, "/hello.txt"))
                    .contains("Content-Type: text/plain")
                    .endsWith("hi there\n");
            assertThat(p.nextLine()).endsWith("\"GET /hello.txt HTTP/1.1\" 200 9");
            assertThat(get(p.port, "/missing")).startsWith("HTTP/1.1 404 ");
            assertThat(p.nextLine()).endsWith("\"GET /missing HTTP/1.1\" 404 10");
            assertThat(p.stop()).isEqualTo(Main.EXIT_OK);
            assertThat(p.output()).contains("requests 3", "accepted 3");
        }
    }

    static String get(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
