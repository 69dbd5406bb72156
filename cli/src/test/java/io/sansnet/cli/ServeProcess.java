package io.sansnet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code sansnet serve} in a child JVM (its own heap limit, and SIGTERM to stop it), with its stdout as lines. */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("serve: listening on http://127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = new ArrayList<>();
    final int port;
    private final Thread reader;

    ServeProcess(List<String> jvmArgs, String... serveArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("serve");
        cmd.addAll(List.of(serveArgs));
        process = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (all) {
                        all.add(l);
                    }
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        String first = lines.poll(60, TimeUnit.SECONDS);
        if (first == null) throw new IllegalStateException("serve printed nothing within 60 s");
        Matcher m = LISTENING.matcher(first);
        if (!m.find()) throw new IllegalStateException("unexpected first line: " + first);
        port = Integer.parseInt(m.group(1));
    }

    /** The next stdout line, waiting up to 10 s (null if none). */
    String nextLine() throws InterruptedException {
        return lines.poll(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code (the serve contract: counters printed, exit 0). */
    int stop() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its stdout before we read the rest.
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        reader.join(10_000); // all of stdout has been read
        return process.exitValue();
    }

    List<String> output() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }
}
