package io.sansnet.http.server;

import io.sansnet.http.Headers;
import io.sansnet.http.HttpVersion;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a {@link Handler} sees it: the head, the path parameters of the matched route, and the body as a
 * stream ({@link #body()}) or, through {@link Reply#withBody}, whole.
 */
public final class ServerRequest {
    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final HttpVersion version;
    private final Headers headers;
    private final Map<String, String> params;
    private final String peer;
    private final long nowNanos;
    private final long epochMillis;
    private final RequestBody body;
    private boolean bodyWanted;

    ServerRequest(
            String method,
            String target,
            String path,
            String query,
            HttpVersion version,
            Headers headers,
            Map<String, String> params,
            String peer,
            long nowNanos,
            long epochMillis,
            RequestBody body) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.version = version;
        this.headers = headers;
        this.params = Map.copyOf(params);
        this.peer = peer;
        this.nowNanos = nowNanos;
        this.epochMillis = epochMillis;
        this.body = body;
    }

    public String method() {
        return method;
    }

    /** The request-target as received. */
    public String target() {
        return target;
    }

    /** The path of the target, still percent-encoded (RFC 3986 §3.3). */
    public String path() {
        return path;
    }

    /** The query without '?', or empty. */
    public Optional<String> query() {
        return Optional.ofNullable(query);
    }

    public HttpVersion version() {
        return version;
    }

    public Headers headers() {
        return headers;
    }

    /** The value of path parameter {@code name} of the matched route, percent-decoded; throws if the route has none. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalArgumentException("no path parameter " + name);
        return v;
    }

    public Map<String, String> params() {
        return params;
    }

    /** The peer's address as the transport names it (for logs). */
    public String peer() {
        return peer;
    }

    /** The loop time when the request head arrived. */
    public long nowNanos() {
        return nowNanos;
    }

    /** The wall-clock time when the request head arrived (from the injected clock). */
    public long epochMillis() {
        return epochMillis;
    }

    /** Whether the request declared a body (Content-Length above 0 or chunked). */
    public boolean hasBody() {
        return headers.contains("Transfer-Encoding")
                || headers.first("Content-Length")
                        .map(v -> !v.trim().equals("0"))
                        .orElse(false);
    }

    /**
     * The body as a stream. Asking for it tells the server the handler will read the body: a client waiting for
     * {@code 100 Continue} (RFC 9110 §10.1.1) is then told to send it.
     */
    public RequestBody body() {
        bodyWanted = true;
        return body;
    }

    boolean bodyWanted() {
        return bodyWanted;
    }

    void markBodyWanted() {
        bodyWanted = true;
    }

    RequestBody bodyInternal() {
        return body;
    }
}
