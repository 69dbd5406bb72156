package io.sansnet.http;

/**
 * Deviations from RFC 9112 that a connection can be told to tolerate, named as in Jetty's {@code HttpCompliance}. The
 * default is none: the codec is strict. There is deliberately no leniency for anything that affects message framing
 * (obs-fold, bare CR/LF, conflicting lengths): those are request-smuggling vectors (RFC 9112 §11.2).
 */
public enum HttpViolation {
    /**
     * Accept an HTTP/1.1 request without a Host field. RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request)
     * status code to any HTTP/1.1 request message that lacks a Host header field". Useful only to replay test corpora
     * (the llhttp fixtures) whose requests omit it; a repeated Host is still refused.
     */
    MISSING_HOST
}
