package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimExploreCommandTest {

    @Test
    void exploresSeedsAndSummarises() {
        SimCommandTest.Result r = SimCommandTest.run(
                "explore", "--scenario", "udp-echo", "--seeds", "12", "--from", "100", "--threads", "2");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.fields())
                .containsEntry("seeds", "12")
                .containsEntry("failures", "0")
                .containsEntry("first-seed", "100")
                .containsKey("seeds-per-second");
        assertThat(r.err()).contains("explored 12/12 seeds");
    }

    @Test
    void aShardTakesTheSeedsWithTheRightRemainder() {
        SimCommandTest.Result r = SimCommandTest.run(
                "explore", "--scenario", "ping", "--seeds", "10", "--shard", "2/3", "--threads", "1");
        assertThat(r.exit()).isZero();
        assertThat(r.fields()).containsEntry("seeds", "3").containsEntry("shard", "2/3");
    }

    @Test
    void failuresAreListedWithTheirReplayCommands() {
        SimCommandTest.Result r = SimCommandTest.run(
                "explore",
                "--scenario",
                "udp-echo-broken",
                "--seeds",
                "3",
                "--loss",
                "0",
                "--messages",
                "7",
                "--threads",
                "2");
        assertThat(r.exit()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(r.fields()).containsEntry("failures", "3");
        assertThat(r.out())
                .contains("failure: seed 0: fail: message 6 unanswered")
                .contains("replay: ./sansnet sim --scenario udp-echo-broken --seed 2 --loss 0 --messages 7 --pcap"
                        + " udp-echo-broken-2.pcapng");
    }

    @Test
    void badShardsAndCountsAreUsageErrors() {
        assertThat(SimCommandTest.run("explore", "--scenario", "ping", "--seeds", "5", "--shard", "4/3")
                        .exit())
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(SimCommandTest.run("explore", "--scenario", "ping", "--seeds", "0")
                        .exit())
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(SimCommandTest.run("explore", "--scenario", "ping").exit()).isEqualTo(Main.EXIT_USAGE);
    }
}
