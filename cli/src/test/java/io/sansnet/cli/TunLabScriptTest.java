package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code scripts/tun-lab.sh up|down}: the namespace, device and addresses the README's try-it steps rely on. */
class TunLabScriptTest {

    static Path script() {
        String root = System.getProperty("sansnet.root", System.getenv().getOrDefault("SANSNET_ROOT", "."));
        Path p = Path.of(root, "scripts", "tun-lab.sh");
        if (!Files.exists(p)) {
            p = Path.of("..", "scripts", "tun-lab.sh"); // run from the module directory
        }
        return p.toAbsolutePath().normalize();
    }

    @Test
    void upMakesTheLabAndDownRemovesIt() {
        Lab.require("ip", "bash");
        String ns = Lab.uniqueName("snL");
        try {
            Lab.Result up = Lab.run(Duration.ofSeconds(30), "bash", script().toString(), "up", ns, "lab0");
            assertThat(up.exit()).as(up.describe()).isZero();
            Lab.Result addr = Lab.run(Duration.ofSeconds(10), "ip", "-n", ns, "addr", "show", "dev", "lab0");
            assertThat(addr.out())
                    .as(addr.describe())
                    .contains("inet 198.18.0.1/15", "inet6 fd00:5a::1/64")
                    .contains("UP");
            Lab.Result again = Lab.run(Duration.ofSeconds(30), "bash", script().toString(), "up", ns, "lab0");
            assertThat(again.exit()).as(again.describe()).isEqualTo(3);
            Lab.Result down = Lab.run(Duration.ofSeconds(30), "bash", script().toString(), "down", ns);
            assertThat(down.exit()).as(down.describe()).isZero();
            Lab.Result list = Lab.run(Duration.ofSeconds(10), "ip", "netns", "list");
            assertThat(list.out()).doesNotContain(ns);
        } finally {
            Lab.run(Duration.ofSeconds(10), "ip", "netns", "del", ns);
        }
    }

    @Test
    void badUsageExitsTwo() {
        Lab.requireTools("bash");
        Lab.Result r = Lab.run(Duration.ofSeconds(10), "bash", script().toString(), "sideways");
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.err()).contains("usage");
    }
}
