package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.http.testkit.MalformedRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, acceptance 3 over TUN: every malformed or smuggling request of {@link MalformedRequests} is sent by the
 * kernel's TCP, in a fresh network namespace, to the HTTP server on sansnet's own TCP through a TUN device ({@link
 * TunMalformedRun}, run there with {@code ip netns exec}); each gets its expected status and a close, and a normal
 * request on a new connection after each one is served.
 */
class ServeTunMalformedNetnsTest {
    private static final String DEV = "sn0";
    private static final String KERNEL4 = "198.18.0.1";
    private static final String HOST4 = "198.18.0.2";
    private static final int PORT = 8080;

    private Lab.Netns ns;

    @BeforeEach
    void setUp() {
        Lab.require("ip");
        ns = Lab.Netns.create("snM");
        ns.addTun(DEV, KERNEL4 + "/15", null);
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void everyCaseGetsItsStatusAndTheServerKeepsServing() {
        List<String> cmd = new ArrayList<>(Lab.sansnet());
        cmd.set(cmd.size() - 1, TunMalformedRun.class.getName()); // the same JVM command, another main class
        cmd.addAll(List.of(DEV, HOST4 + "/15", String.valueOf(PORT)));
        Lab.Result r = Lab.ok(Duration.ofSeconds(90), Lab.inNetns(ns.name, cmd));

        Map<String, String[]> seen = new LinkedHashMap<>();
        Map<String, String> counters = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            String[] f = line.split(" ");
            if (f[0].equals("case") && f.length == 5) {
                seen.put(f[1], f);
            } else if (f.length >= 2) {
                counters.put(f[0], line.substring(f[0].length() + 1));
            }
        }
        List<MalformedRequests.Malformed> cases = MalformedRequests.ALL;
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        assertThat(seen).as(r.describe()).hasSize(cases.size());
        for (MalformedRequests.Malformed m : cases) {
            String[] f = seen.get(m.name());
            assertThat(f).as(m.name() + "\n" + r.describe()).isNotNull();
            assertThat(Integer.parseInt(f[2])).as(m.name()).isEqualTo(m.status());
            assertThat(Integer.parseInt(f[3]))
                    .as("normal request after " + m.name())
                    .isEqualTo(200);
            assertThat(f[4])
                    .as(m.name() + ": Connection: close on the rejection, Hello, World! after it")
                    .isEqualTo("true");
        }
        assertThat(counters.get("protocol-errors")).as(r.describe()).isEqualTo(String.valueOf(cases.size()));
        assertThat(counters.get("accepted")).isEqualTo(String.valueOf(2 * cases.size()));
        assertThat(counters.get("callbackErrors")).isEqualTo("0");
        assertThat(counters.get("loop-failure")).isEqualTo("null");
    }
}
