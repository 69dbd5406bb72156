package io.sansnet.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the llhttp Markdown fixtures ({@code shared/conformance/llhttp}, format in its README) into cases: an input
 * byte string and the framing the expected log describes.
 */
final class LlhttpFixtures {
    private LlhttpFixtures() {}

    /** One fixture case. {@code id} is "request/file.md: heading" (with " #2" for a repeated heading). */
    record Case(String id, String type, boolean skipBody, byte[] input, Outcome expected) {
        boolean isRequest() {
            return type.startsWith("request");
        }

        boolean finish() {
            return type.endsWith("-finish");
        }
    }

    /** One message as far as the log (or our events) describe it. */
    static final class Msg {
        String method, target, version, reason;
        int status;
        final List<String[]> headers = new ArrayList<>();
        final List<String[]> trailers = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        final List<Long> chunks = new ArrayList<>();
        boolean headComplete, complete;

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(method != null ? method + " " + target : status + " " + reason)
                    .append(" v")
                    .append(version);
            for (String[] h : headers)
                sb.append(" | ").append(h[0]).append(": ").append(h[1]);
            sb.append(" body=").append(body.toString().replace("\r", "\\r").replace("\n", "\\n"));
            if (!chunks.isEmpty()) sb.append(" chunks=").append(chunks);
            for (String[] h : trailers)
                sb.append(" | T ").append(h[0]).append(": ").append(h[1]);
            if (complete) sb.append(" [complete]");
            return sb.toString();
        }
    }

    /** The messages with complete heads, whether the input was rejected, and whether it ended in a protocol switch. */
    record Outcome(List<Msg> messages, boolean rejected, boolean switched) {
        @Override
        public String toString() {
            return messages + (rejected ? " REJECTED" : "") + (switched ? " SWITCHED" : "");
        }
    }

    /** The fixture folder: {@code sansnet.root}/../shared/conformance/llhttp, else found walking up from user.dir. */
    static Optional<Path> locate() {
        String root = System.getProperty("sansnet.root");
        if (root != null && !root.isEmpty()) {
            Path p = Path.of(root).resolve("../shared/conformance/llhttp").normalize();
            if (Files.isDirectory(p)) return Optional.of(p);
        }
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared/conformance/llhttp");
            if (Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    static List<Case> load(Path dir) throws IOException {
        List<Case> out = new ArrayList<>();
        for (String sub : List.of("request", "response")) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir.resolve(sub))) {
                files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
            }
            for (Path f : files) out.addAll(parseFile(sub + "/" + f.getFileName(), Files.readString(f)));
        }
        return out;
    }

    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SKIP_BODY = Pattern.compile("\"skipBody\"\\s*:\\s*true");

    static List<Case> parseFile(String name, String text) {
        List<Case> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\n", -1);
        String heading = "?", meta = null, input = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("## ") || l.startsWith("### "))
                heading = l.substring(l.indexOf(' ') + 1).trim();
            else if (l.startsWith("<!-- meta=")) meta = l;
            else if (l.startsWith("```http")) {
                List<String> block = new ArrayList<>();
                while (!lines[++i].equals("```")) block.add(lines[i]);
                input = String.join("\n", block);
            } else if (l.startsWith("```log")) {
                List<String> block = new ArrayList<>();
                while (!lines[++i].equals("```")) block.add(lines[i]);
                if (meta == null || input == null) continue;
                Matcher m = TYPE.matcher(meta);
                String type = m.find() ? m.group(1) : "request";
                if (type.equals("request") || type.startsWith("request-") || type.startsWith("response")) {
                    int n = seen.merge(heading, 1, Integer::sum);
                    String id = name + ": " + heading + (n > 1 ? " #" + n : "");
                    out.add(new Case(id, type, SKIP_BODY.matcher(meta).find(), decodeInput(input), parseLog(block)));
                }
                meta = null;
                input = null;
            }
        }
        return out;
    }

    /** README: joins backslash-newline, turns newlines into CRLF, then expands \r \n \t \f \xHH \NNN. */
    static byte[] decodeInput(String s) {
        s = s.replace("\\\n", "").replace("\n", "\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                int esc = switch (e) {
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'f' -> '\f';
                    default -> -1;
                };
                if (esc >= 0) {
                    out.write(esc);
                    i += 2;
                    continue;
                }
                if (e == 'x' && i + 3 < s.length() + 0 && isHex(s, i + 2, 2)) {
                    out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                    i += 4;
                    continue;
                }
                int j = i + 1;
                while (j < s.length() && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') j++;
                if (j > i + 1) {
                    out.write(Integer.parseInt(s.substring(i + 1, j), 8));
                    i = j;
                    continue;
                }
            }
            int cp = s.codePointAt(i);
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    private static boolean isHex(String s, int from, int n) {
        if (from + n > s.length()) return false;
        for (int k = from; k < from + n; k++) if (Character.digit(s.charAt(k), 16) < 0) return false;
        return true;
    }

    private static final Pattern SPAN = Pattern.compile("^off=\\d+ len=\\d+ span\\[(\\w+)\\]=(.*)$");
    private static final Pattern HEADERS =
            Pattern.compile("headers complete (?:method=\\d+|status=(\\d+)) v=(\\d+)/(\\d+)");

    static Outcome parseLog(List<String> log) {
        List<Msg> msgs = new ArrayList<>();
        Msg cur = null;
        boolean rejected = false, switched = false, inTrailers = false;
        String lastSpan = "";
        for (String raw : log) {
            if (raw.startsWith("/")) throw new IllegalStateException("regex log lines are not supported: " + raw);
            String l = raw.replaceFirst("^off=\\d+ ", "");
            Matcher sm = SPAN.matcher(raw);
            if (raw.contains("finish=2")) rejected = true;
            // HTTP_FINISH_SAFE_WITH_CB: llhttp_finish completes a body delimited by the end of the connection.
            if (raw.contains("finish=1") && cur != null) cur.complete = true;
            if (l.equals("message begin")) {
                cur = new Msg();
                msgs.add(cur);
                inTrailers = false;
                lastSpan = "";
            } else if (sm.matches() && cur != null) {
                String kind = sm.group(1);
                String v = spanValue(sm.group(2));
                List<String[]> hs = inTrailers ? cur.trailers : cur.headers;
                switch (kind) {
                    case "method" -> cur.method = v;
                    case "url" -> cur.target = v;
                    case "version" -> cur.version = v;
                    case "status" -> cur.reason = v;
                    case "header_field" -> {
                        if (lastSpan.equals("header_field")) hs.get(hs.size() - 1)[0] += v;
                        else hs.add(new String[] {v, ""});
                    }
                    case "header_value" -> hs.get(hs.size() - 1)[1] += v;
                    case "body" -> cur.body.append(v);
                    default -> {}
                }
                lastSpan = kind;
            } else if (l.startsWith("headers complete") && cur != null) {
                Matcher hm = HEADERS.matcher(l);
                if (!hm.find()) throw new IllegalStateException(l);
                if (hm.group(1) != null) cur.status = Integer.parseInt(hm.group(1));
                cur.headComplete = true;
                lastSpan = "";
            } else if (l.startsWith("chunk header len=") && cur != null) {
                long n = Long.parseLong(l.substring("chunk header len=".length()));
                if (n == 0) inTrailers = true;
                else cur.chunks.add(n);
                lastSpan = "";
            } else if (l.equals("message complete") && cur != null) {
                cur.complete = true;
            } else if (l.startsWith("error code=")) {
                if (l.contains("Pause on CONNECT/Upgrade")) switched = true;
                else rejected = true;
            }
        }
        for (Msg m : msgs) {
            // llhttp's spans keep trailing whitespace of a value; RFC 9112 §5 excludes it from the field value.
            for (String[] h : m.headers) h[1] = h[1].replaceAll("[ \t]+$", "");
            for (String[] h : m.trailers) h[1] = h[1].replaceAll("[ \t]+$", "");
        }
        msgs.removeIf(m -> !m.headComplete);
        return new Outcome(msgs, rejected, switched);
    }

    /**
     * Whether {@code ours} (octets as ISO-8859-1) matches the log's text: the log shows input octets either as the
     * characters of their ISO-8859-1 reading (\xff is "ÿ") or as the UTF-8 text they were written in ("Düsseldorf").
     */
    static boolean sameOctets(String ours, String expected) {
        if (ours.equals(expected)) return true;
        return ours.equals(new String(expected.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    /** {@code "text"} with \t \f \r \n \xHH escapes, or the words cr / lf. The log is UTF-8 text: compare with {@link #sameOctets}. */
    private static String spanValue(String s) {
        if (s.equals("cr")) return "\r";
        if (s.equals("lf")) return "\n";
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                if (e == 't' || e == 'f' || e == 'r' || e == 'n') {
                    sb.append(e == 't' ? '\t' : e == 'f' ? '\f' : e == 'r' ? '\r' : '\n');
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
