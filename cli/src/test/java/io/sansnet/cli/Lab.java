package io.sansnet.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The real-peer lab for tests: network namespaces, TUN devices, subprocesses with captured output. Tests that need
 * root, {@code /dev/net/tun} or a tool skip with a clear message, except under {@code CI=true}, where they fail.
 */
final class Lab {
    private Lab() {}

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Skips (or, with CI=true, fails) unless we are root, have /dev/net/tun, and every tool is on the PATH. */
    static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (network namespaces and TUN devices need CAP_NET_ADMIN/CAP_SYS_ADMIN)");
        }
        if (!new File("/dev/net/tun").exists()) {
            missing.add("/dev/net/tun");
        }
        for (String t : tools) {
            if (which(t) == null) {
                missing.add("the tool '" + t + "' on the PATH");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String msg = "real-peer test needs " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) {
            fail(msg + " (CI=true: these tests must run, not skip)");
        }
        Assumptions.abort(msg + "; skipped (set CI=true to make this a failure)");
    }

    /** Skips (or, with CI=true, fails) unless every tool is on the PATH; for tests that need no root. */
    static void requireTools(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            if (which(t) == null) {
                missing.add("the tool '" + t + "' on the PATH");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String msg = "test needs " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) {
            fail(msg + " (CI=true: these tests must run, not skip)");
        }
        Assumptions.abort(msg + "; skipped (set CI=true to make this a failure)");
    }

    static boolean isRoot() {
        try {
            Result r = run(Duration.ofSeconds(5), "id", "-u");
            return r.exit() == 0 && r.out().trim().equals("0");
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String which(String tool) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(Arrays.asList((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            File f = new File(d, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** A unique namespace name for this JVM. */
    static String uniqueName(String prefix) {
        return prefix + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** What a finished command did. */
    record Result(List<String> command, int exit, String out, String err) {
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit: " + exit + "\nstdout:\n" + tail(out)
                    + "\nstderr:\n" + tail(err);
        }

        private static String tail(String s) {
            return s.length() <= 6_000 ? s : "..." + s.substring(s.length() - 6_000);
        }
    }

    /** Runs a command to completion (killed after {@code timeout}) and returns its exit code and output. */
    static Result run(Duration timeout, String... command) {
        Background b = Background.start(command);
        return b.waitFor(timeout);
    }

    /** Like {@link #run} but fails the test when the exit code is not 0. */
    static Result ok(Duration timeout, String... command) {
        Result r = run(timeout, command);
        if (r.exit() != 0) {
            fail("command failed\n" + r.describe());
        }
        return r;
    }

    /** The command line that runs the sansnet CLI in a fresh JVM with the test's class path. */
    static List<String> sansnet(String... args) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isEmpty()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** {@code ip netns exec NS} followed by {@code command}. */
    static String[] inNetns(String ns, List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(command);
        return c.toArray(String[]::new);
    }

    static String[] inNetns(String ns, String... command) {
        return inNetns(ns, Arrays.asList(command));
    }

    /** A running subprocess whose output goes to temporary files (no pipe can fill up and block it). */
    static final class Background {
        final List<String> command;
        final Process process;
        final Path outFile;
        final Path errFile;

        private Background(List<String> command, Process process, Path outFile, Path errFile) {
            this.command = command;
            this.process = process;
            this.outFile = outFile;
            this.errFile = errFile;
        }

        static Background start(String... command) {
            return start(null, command);
        }

        /** Starts {@code command} with {@code stdin} as its standard input (null: none). */
        static Background start(Path stdin, String... command) {
            try {
                Path out = Files.createTempFile("sansnet-lab", ".out");
                Path err = Files.createTempFile("sansnet-lab", ".err");
                ProcessBuilder pb =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin != null) {
                    pb.redirectInput(stdin.toFile());
                } else {
                    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                return new Background(List.of(command), pb.start(), out, err);
            } catch (IOException e) {
                throw new AssertionError("cannot start " + String.join(" ", command) + ": " + e, e);
            }
        }

        String out() {
            return read(outFile);
        }

        String err() {
            return read(errFile);
        }

        /** Waits until stdout contains {@code text}; fails (with the output) if the process ends or time runs out. */
        void awaitOutput(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (out().contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    fail("process ended before printing '" + text + "'\n"
                            + result(process.exitValue()).describe());
                }
                sleep(50);
            }
            fail("no '" + text + "' within " + timeout + "\n" + result(-1).describe());
        }

        /** Waits for the process to end (killing it after {@code timeout}). */
        Result waitFor(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    Result r = result(-1);
                    return new Result(r.command(), -1, r.out(), r.err() + "\n[killed after " + timeout + "]");
                }
                return result(process.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } finally {
                cleanup();
            }
        }

        /** Sends SIGTERM, waits up to {@code timeout}, then SIGKILL; returns what the process did. */
        Result stop(Duration timeout) {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM
            }
            return waitFor(timeout);
        }

        /** Kills the process if it still runs (for finally blocks). */
        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            cleanup();
        }

        private Result result(int exit) {
            return new Result(command, exit, out(), err());
        }

        private void cleanup() {
            if (!process.isAlive()) {
                // keep the files readable until the end of waitFor/stop; they are small temp files
                outFile.toFile().deleteOnExit();
                errFile.toFile().deleteOnExit();
            }
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "[cannot read " + p + ": " + e + "]";
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A network namespace created for one test; {@link #close()} deletes it (and every device in it). */
    static final class Netns implements AutoCloseable {
        final String name;

        private Netns(String name) {
            this.name = name;
        }

        static Netns create(String prefix) {
            String name = uniqueName(prefix);
            ok(Duration.ofSeconds(10), "ip", "netns", "add", name);
            Netns ns = new Netns(name);
            ok(Duration.ofSeconds(10), "ip", "-n", name, "link", "set", "lo", "up");
            return ns;
        }

        /** A persistent TUN device {@code dev} with the given kernel-side addresses, up. */
        void addTun(String dev, String ipv4Cidr, String ipv6Cidr) {
            ok(Duration.ofSeconds(10), "ip", "-n", name, "tuntap", "add", "dev", dev, "mode", "tun");
            if (ipv6Cidr == null) {
                ok(
                        Duration.ofSeconds(10),
                        inNetns(name, "sysctl", "-q", "-w", "net.ipv6.conf." + dev + ".disable_ipv6=1"));
            }
            ok(Duration.ofSeconds(10), "ip", "-n", name, "addr", "add", ipv4Cidr, "dev", dev);
            if (ipv6Cidr != null) {
                ok(Duration.ofSeconds(10), "ip", "-n", name, "addr", "add", ipv6Cidr, "dev", dev, "nodad");
            }
            ok(Duration.ofSeconds(10), "ip", "-n", name, "link", "set", dev, "up");
        }

        Result exec(Duration timeout, String... command) {
            return run(timeout, inNetns(name, command));
        }

        @Override
        public void close() {
            run(Duration.ofSeconds(10), "ip", "netns", "del", name);
        }
    }
}
