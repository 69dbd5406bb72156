package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The exit codes and messages of the CLI contract, run in-process (no device is opened by these cases). */
class MainTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "host --tun t0 --addr 198.18.0.2/15 --impair loss=2 | --impair | loss=2",
                "host --tun t0 --addr 198.18.0.2/15 --impair bogus=1 | --impair | bogus",
                "host --tun t0 --addr 198.18.0.2/15 --impair delay=5 | --impair | delay=5",
                "host --tun t0 --addr 198.18.0.300/15 | --addr | 198.18.0.300",
                "host --tun t0 --addr 198.18.0.2/40 | --addr | prefix",
                "host --tun t0 --addr 198.18.0.2/15 --addr6 fd00::zz/64 | --addr6 | fd00::zz",
                "host --tun t0 --addr 198.18.0.2/15 --udp-echo 70000 | --udp-echo | 70000",
                "host --tun t0 --addr 198.18.0.2/15 --udp-echo x | --udp-echo | x",
                "host --tun t0 --addr 198.18.0.2/15 --mtu 10 | --mtu | mtu",
                "host --addr 198.18.0.2/15 | --tun | --tun",
                "host --tun t0 --addr 198.18.0.2/15 --bogus | --bogus | --bogus",
                "relay --tun a@x | --tun | exactly twice",
                "relay --tun a@x --tun a@x | --tun | twice",
                "relay --tun a@x --tun b@y --impair reorder=x | --impair | reorder=x",
                "relay --tun a@ --tun b@y | --tun | a@",
                "relay --tun waytoolonginterfacename --tun b@y | --tun | waytoolong",
                "nosuchcommand | nosuchcommand | nosuchcommand",
            })
    void usageErrorsExitTwoNamingTheFlagAndValue(String args, String flag, String value) {
        Run r = run(args.trim().split(" +"));
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains(flag.trim()).contains(value.trim());
    }

    @Test
    void missingDeviceIsAnEnvironmentError() {
        Run r = run("host", "--tun", "sansnet-nodev", "--addr", "198.18.0.2/15");
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(r.err()).contains("sansnet-nodev").contains("tun-lab.sh");
    }

    @Test
    void unwritablePcapIsAnEnvironmentError() {
        Run r = run("host", "--tun", "t0", "--addr", "198.18.0.2/15", "--pcap", "/nonexistent-dir/x.pcap");
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(r.err()).contains("--pcap").contains("/nonexistent-dir/x.pcap");
    }

    @Test
    void relayIntoMissingNamespaceIsAnEnvironmentError() {
        Run r = run("relay", "--tun", "ra@sansnet-no-such-ns", "--tun", "rb@sansnet-no-such-ns2");
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_ENVIRONMENT);
        assertThat(r.err()).contains("ra@sansnet-no-such-ns");
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("host", "relay");
    }

    @Test
    void noSubcommandIsAUsageError() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    }
}
