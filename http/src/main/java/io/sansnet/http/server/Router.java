package io.sansnet.http.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Routes by method and path pattern. Patterns are literal segments and parameters: {@code /files/{name}} matches
 * {@code /files/a.txt} with {@code name=a.txt}; a last parameter {@code {rest...}} takes the rest of the path. Routes
 * are tried in registration order. HEAD is answered by a GET route when no HEAD route matches (RFC 9110 §9.3.2).
 *
 * <pre>{@code
 * Router r = Router.builder()
 *         .get("/plaintext", req -> Reply.text(200, "Hello, World!"))
 *         .get("/files/{name}", req -> files.serve(req.param("name")))
 *         .post("/echo", req -> Reply.stream(200, Headers.EMPTY, req.body()))
 *         .build();
 * }</pre>
 */
public final class Router {

    /** The outcome of {@link #match}. */
    public sealed interface Match {
        record Found(Handler handler, Map<String, String> params) implements Match {}

        /** No route has this path. */
        record NotFound() implements Match {}

        /** Routes have this path, but not for this method (405 with Allow, RFC 9110 §15.5.6). */
        record MethodNotAllowed(List<String> allow) implements Match {}

        /** A parameter was not valid percent-encoded UTF-8. */
        record BadPath() implements Match {}
    }

    private record Route(String method, String[] segments, boolean tail, Handler handler) {}

    private final List<Route> routes;
    private final Handler fallback;

    private Router(List<Route> routes, Handler fallback) {
        this.routes = List.copyOf(routes);
        this.fallback = fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Finds the handler for {@code method} and the (still percent-encoded) {@code path}. */
    public Match match(String method, String path) {
        String[] parts = split(path);
        TreeSet<String> allow = new TreeSet<>();
        boolean badPath = false;
        for (String m : method.equals("HEAD") ? new String[] {"HEAD", "GET"} : new String[] {method}) {
            for (Route r : routes) {
                Map<String, String> params = new LinkedHashMap<>();
                int fit = fit(r, parts, params);
                if (fit < 0) continue;
                if (fit == 0) {
                    badPath = true;
                    continue;
                }
                if (r.method.equals(m)) return new Match.Found(r.handler, params);
                allow.add(r.method);
                if (r.method.equals("GET")) allow.add("HEAD");
            }
        }
        if (badPath) return new Match.BadPath();
        if (fallback != null) return new Match.Found(fallback, Map.of());
        if (!allow.isEmpty()) return new Match.MethodNotAllowed(List.copyOf(allow));
        return new Match.NotFound();
    }

    /** 1: matches; 0: matches but a parameter does not decode; -1: no match. */
    private static int fit(Route r, String[] parts, Map<String, String> params) {
        String[] s = r.segments;
        if (r.tail ? parts.length < s.length - 1 : parts.length != s.length) return -1;
        for (int i = 0; i < s.length; i++) {
            boolean last = i == s.length - 1;
            if (r.tail && last) {
                String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
                params.put(s[i].substring(1, s[i].length() - 4), rest); // the raw rest: the handler normalises it
                return 1;
            }
            if (s[i].startsWith("{")) {
                String v = Paths.percentDecode(parts[i]);
                if (v == null) return 0;
                params.put(s[i].substring(1, s[i].length() - 1), v);
            } else if (!s[i].equals(parts[i])) {
                return -1;
            }
        }
        return 1;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) return new String[0];
        return p.split("/", -1);
    }

    /** Registers routes; each method returns the builder. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private Handler fallback;

        private Builder() {}

        public Builder get(String pattern, Handler h) {
            return route("GET", pattern, h);
        }

        public Builder head(String pattern, Handler h) {
            return route("HEAD", pattern, h);
        }

        public Builder post(String pattern, Handler h) {
            return route("POST", pattern, h);
        }

        public Builder put(String pattern, Handler h) {
            return route("PUT", pattern, h);
        }

        public Builder delete(String pattern, Handler h) {
            return route("DELETE", pattern, h);
        }

        /**
         * @throws IllegalArgumentException if the pattern does not start with '/', has an empty or malformed
         *     parameter, or a {@code {x...}} parameter that is not last
         */
        public Builder route(String method, String pattern, Handler h) {
            if (h == null) throw new IllegalArgumentException("null handler");
            if (!pattern.startsWith("/")) throw new IllegalArgumentException("pattern must start with /: " + pattern);
            String[] segs = split(pattern);
            boolean tail = false;
            for (int i = 0; i < segs.length; i++) {
                String s = segs[i];
                if (s.startsWith("{") || s.endsWith("}")) {
                    if (!s.startsWith("{") || !s.endsWith("}") || s.length() < 3)
                        throw new IllegalArgumentException("malformed parameter " + s + " in " + pattern);
                    if (s.endsWith("...}")) {
                        if (i != segs.length - 1 || s.length() < 6)
                            throw new IllegalArgumentException("{x...} must be last and named: " + pattern);
                        tail = true;
                    }
                }
            }
            routes.add(new Route(method, segs, tail, h));
            return this;
        }

        /** The handler for requests no route matches (default: 404 or 405). */
        public Builder fallback(Handler h) {
            fallback = h;
            return this;
        }

        public Router build() {
            return new Router(routes, fallback);
        }
    }
}
