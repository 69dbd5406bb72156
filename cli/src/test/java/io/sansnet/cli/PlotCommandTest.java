package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpSegment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code sansnet plot} on the trace corpus and {@code sansnet sim --plot}, in process. */
class PlotCommandTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        String context() {
            return "stdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path trace(String name) {
        return ReplayCorpusTest.corpus().resolve(name);
    }

    /** {@code <TAG class="CLS"} elements in the SVG text (the renderer writes the class first). */
    static int count(String svg, String tag, String cls) {
        Matcher m = Pattern.compile("<" + tag + " class=\"" + cls + "\"").matcher(svg);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static void assertStandaloneSvg(String svg) {
        assertThat(svg)
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(svg.trim()).endsWith("</svg>");
        assertThat(svg).doesNotContain("<script").doesNotContain("href=").doesNotContain("@import");
    }

    @ParameterizedTest
    @ValueSource(strings = {"socat-clean.pcap", "socat-impaired.pcap", "http-any.pcap", "http-tun.pcapng"})
    void everyCorpusTraceIsDrawn(String name) throws IOException {
        Path out = tmp.resolve(name + ".svg");
        Run r = run("plot", trace(name).toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.context()).isZero();
        String svg = Files.readString(out, StandardCharsets.UTF_8);
        assertStandaloneSvg(svg);
        Matcher m = Pattern.compile("(\\d+) data segments, (\\d+) retransmissions, (\\d+) SACK blocks")
                .matcher(r.out());
        assertThat(m.find()).as(r.context()).isTrue();
        assertThat(count(svg, "line", "data") + count(svg, "line", "retx"))
                .isEqualTo(Integer.parseInt(m.group(1)))
                .isPositive();
        assertThat(count(svg, "line", "retx")).isEqualTo(Integer.parseInt(m.group(2)));
        assertThat(count(svg, "line", "sack")).isEqualTo(Integer.parseInt(m.group(3)));
        assertThat(svg).contains("bytes in flight");
        assertThat(r.out()).contains(name.startsWith("http") ? "server to client" : "client to server");
    }

    @Test
    void theImpairedTraceShowsRetransmissionsAndSackBlocks() throws IOException {
        Path out = tmp.resolve("impaired.svg");
        Run r = run(
                "plot",
                trace("socat-impaired.pcap").toString(),
                "--connection",
                "1",
                "--direction",
                "client",
                "-o",
                out.toString());
        assertThat(r.exit()).as(r.context()).isZero();
        String svg = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(count(svg, "line", "retx")).isPositive();
        assertThat(count(svg, "line", "sack")).isPositive();
        Run clean = run(
                "plot",
                trace("socat-clean.pcap").toString(),
                "-o",
                tmp.resolve("clean.svg").toString());
        assertThat(clean.exit()).as(clean.context()).isZero();
        assertThat(count(Files.readString(tmp.resolve("clean.svg")), "line", "retx"))
                .isZero();
    }

    @Test
    void theSameCaptureGivesTheSameBytes() throws IOException {
        Path a = tmp.resolve("a.svg");
        Path b = tmp.resolve("b.svg");
        assertThat(run("plot", trace("http-any.pcap").toString(), "-o", a.toString())
                        .exit())
                .isZero();
        assertThat(run("plot", trace("http-any.pcap").toString(), "-o", b.toString())
                        .exit())
                .isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void theDefaultOutputIsNamedAfterTheCaptureAndConnectionInTheCurrentDirectory() {
        assertThat(PlotCommand.defaultOutput(Path.of("/some/dir/socat-impaired.pcap"), 1))
                .isEqualTo(Path.of("socat-impaired-1.svg"));
        assertThat(PlotCommand.defaultOutput(Path.of("x.PCAPNG"), 3)).isEqualTo(Path.of("x-3.svg"));
        assertThat(PlotCommand.defaultOutput(Path.of("capture"), 2)).isEqualTo(Path.of("capture-2.svg"));
    }

    @Test
    void badConnectionsAndDirectionsAreUsageErrors() {
        String file = trace("socat-clean.pcap").toString();
        Path out = tmp.resolve("never.svg");
        Run zero = run("plot", file, "--connection", "0", "-o", out.toString());
        assertThat(zero.exit()).as(zero.context()).isEqualTo(Main.EXIT_USAGE);
        assertThat(zero.err()).contains("--connection");
        Run missing = run("plot", file, "--connection", "2", "-o", out.toString());
        assertThat(missing.exit()).as(missing.context()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).contains("--connection=2").contains("1 TCP connection");
        Run notNumber = run("plot", file, "--connection", "one", "-o", out.toString());
        assertThat(notNumber.exit()).isEqualTo(Main.EXIT_USAGE);
        Run direction = run("plot", file, "--direction", "sideways", "-o", out.toString());
        assertThat(direction.exit()).as(direction.context()).isEqualTo(Main.EXIT_USAGE);
        assertThat(direction.err()).contains("--direction");
        assertThat(run("plot").exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(out).doesNotExist();
    }

    @Test
    void unreadableAndDamagedFiles() throws IOException {
        Path out = tmp.resolve("never.svg");
        Run absent = run("plot", tmp.resolve("absent.pcap").toString(), "-o", out.toString());
        assertThat(absent.exit()).as(absent.context()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(absent.err()).contains("no such file");
        Path text = tmp.resolve("notes.pcap");
        Files.writeString(text, "this is not a capture, just some text\n");
        Run notCapture = run("plot", text.toString(), "-o", out.toString());
        assertThat(notCapture.exit()).as(notCapture.context()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(notCapture.err()).contains("damaged");
        assertThat(out).doesNotExist();
        // a capture cut in the middle: the part before the damage is drawn, and the exit says it was damaged
        byte[] whole = Files.readAllBytes(trace("socat-clean.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2 + 7));
        Run truncated = run("plot", cut.toString(), "-o", out.toString());
        assertThat(truncated.exit()).as(truncated.context()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(out).exists();
        Run unwritable = run(
                "plot",
                trace("socat-clean.pcap").toString(),
                "-o",
                tmp.resolve("no/such/dir/x.svg").toString());
        assertThat(unwritable.exit()).as(unwritable.context()).isEqualTo(Main.EXIT_ENVIRONMENT);
    }

    // ---- sim --plot

    /** Data segments the client sent and data segments of the client the network dropped, from a --trace file. */
    static long[] clientDataFromTrace(Path trace) throws IOException {
        long sent = 0;
        long dropped = 0;
        for (String line : Files.readAllLines(trace)) {
            String[] f = line.split(" ");
            boolean send = f[1].equals("client") && f[2].equals("send");
            boolean drop = f[1].equals("client->server")
                    && List.of("loss", "queue-drop", "partition-drop", "mtu-drop")
                            .contains(f[2]);
            boolean downDrop = f[1].equals("server") && f[2].equals("host-down-drop");
            if (!(send || drop || downDrop) || f[3].equals("-")) {
                continue;
            }
            byte[] p = HexFormat.of().parseHex(f[3]);
            if (IpPacket.parse(p, 0, p.length) instanceof Parsed.Ok<IpPacket> ip
                    && ip.value().protocol() == 6) {
                byte[] tcp = ip.value().payload().toArray();
                if (TcpSegment.parseUnverified(tcp, 0, tcp.length) instanceof Parsed.Ok<TcpSegment> seg
                        && seg.value().payload().length() > 0) {
                    if (send) {
                        sent++;
                    } else {
                        dropped++;
                    }
                }
            }
        }
        return new long[] {sent, dropped};
    }

    @Test
    void simPlotDrawsEverySegmentTheClientSentAndEveryDrop() throws IOException {
        Path svgFile = tmp.resolve("bulk.svg");
        Path trace = tmp.resolve("bulk.trace");
        Run r = run(
                "sim",
                "--scenario",
                "bulk",
                "--bytes",
                "150000",
                "--seed",
                "11",
                "--loss",
                "0.03",
                "--schedule",
                "none",
                "--plot",
                svgFile.toString(),
                "--trace",
                trace.toString());
        assertThat(r.exit()).as(r.context()).isZero();
        assertThat(r.out()).contains("plot: " + svgFile);
        String svg = Files.readString(svgFile, StandardCharsets.UTF_8);
        assertStandaloneSvg(svg);
        long[] expected = clientDataFromTrace(trace);
        assertThat(expected[0]).isGreaterThan(100); // 150000 octets need more than 100 segments
        assertThat(count(svg, "line", "data") + count(svg, "line", "retx")).isEqualTo(expected[0]);
        assertThat(count(svg, "path", "loss")).isEqualTo(expected[1]).isPositive();
        assertThat(count(svg, "line", "retx")).isPositive(); // the drops were retransmitted
        assertThat(svg).contains(">cwnd (right axis)<").contains("receive window (SND.WND)");
        assertThat(count(svg, "polyline", "primary")).isEqualTo(1);
    }

    @Test
    void plottingDoesNotChangeTheRunAndGivesTheSameBytes() throws IOException {
        String[] args = {"sim", "--scenario", "bulk", "--bytes", "40000", "--seed", "3", "--loss", "0.02"};
        Run plain = run(args);
        Path a = tmp.resolve("a.svg");
        Path b = tmp.resolve("b.svg");
        Run first = run(concat(args, "--plot", a.toString()));
        Run second = run(concat(args, "--plot", b.toString()));
        assertThat(first.exit()).as(first.context()).isEqualTo(plain.exit());
        assertThat(fingerprint(first)).isEqualTo(fingerprint(plain)).isNotEmpty();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void plotIsForTheBulkScenarioOnly() {
        Path out = tmp.resolve("x.svg");
        Run r = run("sim", "--scenario", "udp-echo", "--plot", out.toString());
        assertThat(r.exit()).as(r.context()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("--plot");
        assertThat(out).doesNotExist();
    }

    private static String fingerprint(Run r) {
        Matcher m = Pattern.compile("(?m)^fingerprint: (\\S+)$").matcher(r.out());
        return m.find() ? m.group(1) : "";
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
