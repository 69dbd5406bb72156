package io.sansnet.http;

/**
 * The HTTP/1.x versions the codec speaks (RFC 9112 §2.3). A received {@code HTTP/1.2}..{@code HTTP/1.9} is treated as
 * 1.1 (RFC 9110 §6.2: "process the message as if it were in the highest minor version ... to which the recipient is
 * conformant"); other major versions are refused with 505.
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** The version as it appears on the wire, e.g. {@code HTTP/1.1}. */
    public String text() {
        return text;
    }

    /** "1.0" or "1.1". */
    public String number() {
        return text.substring(5);
    }
}
