package io.sansnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
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
    static final class Background implements AutoCloseable {
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

        /** Like {@link #stop}, but fails the test unless the process exits 0. */
        Result stopOk(Duration timeout) {
            Result r = stop(timeout);
            if (r.exit() != 0) {
                fail("exit code " + r.exit() + "\n" + r.describe());
            }
            return r;
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

        /** {@link #kill}, so a test can hand its processes to {@link Lab#closeAll}. */
        @Override
        public void close() {
            kill();
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

    /** Writes {@code bytes} pseudo-random bytes from {@code new Random(seed)} to {@code p}, 1 MiB at a time. */
    static Path randomFile(Path p, int bytes, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] b = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (int left = bytes; left > 0; left -= b.length) {
                r.nextBytes(b);
                out.write(b, 0, Math.min(left, b.length));
            }
        }
        return p;
    }

    /** The SHA-256 of a file's contents, in hex. */
    static String sha256(Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
        byte[] b = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            for (int n; (n = in.read(b)) > 0; ) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Closes every resource that is not null, in order (for {@code @AfterEach}): processes first, then the namespaces
     * they ran in. A failure to close one does not keep the others open; the first is thrown at the end.
     */
    static void closeAll(AutoCloseable... resources) {
        AssertionError first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = new AssertionError("cannot close " + r + ": " + e, e);
                }
            }
        }
        if (first != null) {
            throw first;
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

    /**
     * The files of a two-way transfer between a peer and sansnet: {@code toPeer} and {@code fromPeer} hold different
     * pseudo-random bytes; the peer writes what it receives to {@code gotPeer}, sansnet to {@code gotUs}.
     */
    record Exchange(Path toPeer, Path fromPeer, Path gotPeer, Path gotUs) {
        /** Writes {@code bytes} random bytes each way (seeds {@code seed} and {@code seed + 1}) into {@code dir}. */
        static Exchange create(Path dir, String peer, int bytes, long seed) throws IOException {
            return new Exchange(
                    randomFile(dir.resolve("to" + peer), bytes, seed),
                    randomFile(dir.resolve("from" + peer), bytes, seed + 1),
                    dir.resolve("got" + peer),
                    dir.resolve("gotNc"));
        }

        /** Both directions arrived intact: the same SHA-256 as what was sent. */
        void assertArrivedIntact() throws IOException {
            assertThat(sha256(gotPeer)).isEqualTo(sha256(toPeer));
            assertThat(sha256(gotUs)).isEqualTo(sha256(fromPeer));
        }
    }

    /** How long the two transfers of {@link Netns#echoThenDiscard} took. */
    record EchoDiscard(long echoMs, long discardMs) {}

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

        /**
         * {@code sh -c "COMMAND < stdin > stdout"} in this namespace: the words of {@code command} joined by spaces
         * (so none may need quoting), either redirection left out when its path is null.
         */
        Result shell(Duration timeout, List<String> command, Path stdin, Path stdout) {
            return exec(timeout, "sh", "-c", redirected(command, stdin, stdout));
        }

        /** Like {@link #shell} but in the background. */
        Background startShell(List<String> command, Path stdin, Path stdout) {
            return Background.start(inNetns(name, "sh", "-c", redirected(command, stdin, stdout)));
        }

        private static String redirected(List<String> command, Path stdin, Path stdout) {
            return String.join(" ", command)
                    + (stdin == null ? "" : " < " + stdin)
                    + (stdout == null ? "" : " > " + stdout);
        }

        /**
         * The kernel's TCP as a client: {@code socat -t IDLE - ADDRESS < in > out}, which sends {@code in} and writes
         * what comes back to {@code out}; with {@code out} null, {@code socat -u} only sends.
         */
        Result socat(Duration timeout, int idleSeconds, String address, Path in, Path out) {
            List<String> c = new ArrayList<>(List.of("socat"));
            if (out == null) {
                c.add("-u");
            }
            c.addAll(List.of("-t", String.valueOf(idleSeconds), "-", address));
            return shell(timeout, c, in, out);
        }

        /**
         * Issue 4's test 1 from this namespace's kernel: socat sends {@code in} to {@code echoAddress} and what comes
         * back (into {@code echoed}) must be the same bytes, then socat sends {@code in} to {@code discardAddress}; each
         * socat must exit 0 within {@code timeout}. Returns how long each transfer took.
         */
        EchoDiscard echoThenDiscard(
                Duration timeout, int idleSeconds, String echoAddress, String discardAddress, Path in, Path echoed)
                throws IOException {
            long t0 = System.nanoTime();
            Result echo = socat(timeout, idleSeconds, echoAddress, in, echoed);
            long echoMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(echo.exit()).as(echo.describe()).isZero();
            assertThat(Files.size(echoed)).isEqualTo(Files.size(in));
            assertThat(sha256(echoed)).isEqualTo(sha256(in));

            long t1 = System.nanoTime();
            Result discard = socat(timeout, idleSeconds, discardAddress, in, null);
            long discardMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(discard.exit()).as(discard.describe()).isZero();
            return new EchoDiscard(echoMs, discardMs);
        }

        /**
         * The kernel's TCP as the peer of an {@link Exchange}, a server for one connection, started and listening on
         * {@code port}: {@code socat -t 60 LISTEN OPEN:fromPeer!!OPEN:gotPeer,creat,trunc}. {@code listen} is a socat
         * address such as {@code TCP-LISTEN:5000,bind=198.18.0.1,reuseaddr}.
         */
        Background startFileExchange(String listen, int port, Exchange x) {
            Background b = Background.start(inNetns(
                    name,
                    "socat",
                    "-t",
                    "60",
                    listen,
                    "OPEN:" + x.fromPeer() + "!!OPEN:" + x.gotPeer() + ",creat,trunc"));
            try {
                awaitTcpListening(port, 100);
            } catch (RuntimeException | Error e) {
                b.kill();
                throw e;
            }
            return b;
        }

        /** Waits until something listens on TCP {@code port} ({@code ss}): at most 100 looks, {@code pollMillis} apart. */
        void awaitTcpListening(int port, long pollMillis) {
            awaitListening("-Hltn", "TCP", port, pollMillis);
        }

        /** Waits until something listens on UDP {@code port} ({@code ss}): at most 100 looks, {@code pollMillis} apart. */
        void awaitUdpListening(int port, long pollMillis) {
            awaitListening("-Hlun", "UDP", port, pollMillis);
        }

        private void awaitListening(String ssOptions, String protocol, int port, long pollMillis) {
            for (int i = 0; i < 100; i++) {
                Result r = exec(Duration.ofSeconds(10), "ss", ssOptions, "sport = :" + port);
                if (r.exit() == 0 && !r.out().isBlank()) {
                    return;
                }
                sleep(pollMillis);
            }
            throw new AssertionError("nothing listens on " + protocol + " port " + port + " in " + name);
        }

        /**
         * Starts the sansnet CLI with {@code args} in this namespace and waits until it prints {@code ready} (killing
         * it if it does not).
         */
        Background startSansnet(Duration readyWithin, List<String> args) {
            Background b = Background.start(inNetns(name, sansnet(args.toArray(String[]::new))));
            try {
                b.awaitOutput("ready", readyWithin);
            } catch (RuntimeException | Error e) {
                b.kill();
                throw e;
            }
            return b;
        }

        @Override
        public void close() {
            run(Duration.ofSeconds(10), "ip", "netns", "del", name);
        }
    }
}
