package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code serve --send-stall-timeout-ms}: its bounds, and a client that stops reading is cut off after it. */
class ServeSendStallOptionTest {

    /** Far more than the kernel's socket buffers on both sides can hold, so the response must stall. */
    private static final long HUGE = 2_000_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "2592000001", "x"})
    void outOfRangeValuesAreUsageErrors(String value) {
        MainTest.Run r = MainTest.run("serve", "--listen", "127.0.0.1:0", "--send-stall-timeout-ms", value);
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("--send-stall-timeout-ms");
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheStallTimeout() throws Exception {
        try (ServeProcess p = new ServeProcess(
                List.of("-Xmx128m"),
                "--listen",
                "127.0.0.1:0",
                "--quiet",
                "--max-generated-bytes",
                String.valueOf(HUGE),
                "--send-stall-timeout-ms",
                "300")) {
            long received = 0;
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", p.port), 10_000);
                s.getOutputStream()
                        .write(("GET /bytes/" + HUGE + " HTTP/1.1\r\nHost: t\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(2_000); // not reading: the buffers fill, the server's writes make no progress
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] b = new byte[1 << 16];
                try {
                    for (int n; (n = in.read(b)) > 0; ) {
                        received += n;
                    }
                } catch (IOException reset) {
                    // a reset instead of a FIN also ends the connection
                }
            }
            assertThat(received)
                    .as("the server gave up before sending the whole body")
                    .isLessThan(HUGE);
            assertThat(p.stop()).isEqualTo(Main.EXIT_OK);
            assertThat(p.output()).contains("send-stall-timeouts 1");
        }
    }
}
