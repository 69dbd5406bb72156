package io.sansnet.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one head (start line and header section, RFC 9112 §2.1) or one trailer section (§7.1.2) from whatever
 * fragments arrive. Each byte is looked at once: the current line is collected into a small buffer and parsed as soon
 * as its CRLF arrives, so there is no rescanning and at most one line plus the parsed fields is held (all bounded by
 * {@link HttpLimits}).
 *
 * <p>Line endings are strict: only CRLF ends a line. A bare LF or a CR not followed by LF is refused (RFC 9112 §2.2
 * allows recipients to accept a bare LF; llhttp refuses it too, and accepting it is a known smuggling vector when a
 * proxy disagrees).
 */
final class SectionReader {
    enum Kind {
        REQUEST_HEAD,
        RESPONSE_HEAD,
        TRAILERS
    }

    /** A parsed start line: either method/target or status/reason are set. */
    record StartLine(String method, String target, HttpVersion version, int status, String reason) {}

    private final Kind kind;
    private final HttpLimits limits;
    private byte[] line = new byte[128];
    private int lineLen;
    private boolean pendingCr;
    private int emptyLinesSkipped;
    private long sectionBytes;
    private StartLine startLine;
    /** Incremental check of the current line: which part of it we are in (see {@link #checkByte}). */
    private int linePart;
    /** Content-Length seen so far in this head (-1: none), to refuse a conflicting one at once. */
    private long contentLength = -1;

    private boolean sawTransferEncoding;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    SectionReader(Kind kind, HttpLimits limits) {
        this.kind = kind;
        this.limits = limits;
    }

    StartLine startLine() {
        return startLine;
    }

    Headers fields() {
        return new Headers(names.toArray(new String[0]), values.toArray(new String[0]));
    }

    /** Memory held for the section being read: the line buffer's capacity and the characters of parsed fields. */
    long heldBytes() {
        long n = line.length;
        for (int i = 0; i < names.size(); i++)
            n += names.get(i).length() + values.get(i).length();
        return n;
    }

    /** Whether part of a section was received (so that EOF now would cut a message short). */
    boolean hasPartial() {
        return lineLen > 0 || pendingCr || startLine != null || !names.isEmpty();
    }

    private boolean startLineDone() {
        return kind == Kind.TRAILERS || startLine != null;
    }

    /**
     * Consumes bytes until the section is complete (true; the bytes after it stay in {@code rb}) or {@code rb} is
     * empty (false).
     */
    boolean feed(ReceiveBuffer rb) throws RemoteProtocolError {
        while (!rb.isEmpty()) {
            int b = rb.next();
            if (startLineDone()) {
                sectionBytes++;
                long max = kind == Kind.TRAILERS ? limits.maxTrailerSectionBytes() : limits.maxHeaderSectionBytes();
                // +2: the final empty line's CRLF is part of the section but should not make an exact fit fail.
                if (sectionBytes > max + 2)
                    throw new RemoteProtocolError(
                            (kind == Kind.TRAILERS ? "trailer" : "header") + " section larger than " + max + " bytes",
                            431);
            }
            if (pendingCr) {
                // RFC 9112 §2.2: "a recipient of such a bare CR MUST consider that element to be invalid"
                if (b != Chars.LF) throw new RemoteProtocolError("bare CR (not followed by LF)");
                pendingCr = false;
                if (lineComplete()) return true;
                continue;
            }
            if (b == Chars.CR) {
                pendingCr = true;
                continue;
            }
            if (b == Chars.LF) throw new RemoteProtocolError("bare LF (line not terminated by CRLF)");
            if (!startLineDone() && lineLen >= limits.maxRequestLineBytes()) {
                throw kind == Kind.REQUEST_HEAD
                        ? new RemoteProtocolError(
                                "request-line longer than " + limits.maxRequestLineBytes() + " bytes", 414)
                        : new RemoteProtocolError("status-line longer than " + limits.maxRequestLineBytes() + " bytes");
            }
            checkByte(b);
            if (lineLen == line.length) line = Arrays.copyOf(line, line.length * 2);
            line[lineLen++] = (byte) b;
        }
        return false;
    }

    /**
     * Refuses a line as soon as a byte makes it invalid, instead of waiting for its CRLF (garbage, such as a TLS
     * handshake, is refused at its first byte). The full parse at the CRLF checks the same grammar again.
     */
    private void checkByte(int b) throws RemoteProtocolError {
        int pos = lineLen;
        if (!startLineDone()) {
            if (kind == Kind.REQUEST_HEAD) checkRequestLineByte(b, pos);
            else checkStatusLineByte(b, pos);
            return;
        }
        // field-line: linePart 0 = field-name, 1 = field-value
        if (pos == 0) linePart = 0;
        if (linePart == 0) {
            if (Chars.isTchar(b)) return;
            if (pos == 0 && Chars.isOws(b))
                throw new RemoteProtocolError("obs-fold or whitespace at the start of a field line");
            if (Chars.isOws(b)) throw new RemoteProtocolError("whitespace between field name and colon");
            if (b != ':' || pos == 0) throw new RemoteProtocolError("invalid field name");
            linePart = 1;
        } else if (!Chars.isFieldValueOctet(b)) {
            throw new RemoteProtocolError("invalid character in field value");
        }
    }

    /** request-line = method SP request-target SP HTTP-version; linePart 0/1/2 = method/target/version start. */
    private void checkRequestLineByte(int b, int pos) throws RemoteProtocolError {
        if (pos == 0) linePart = 0;
        switch (linePart) {
            case 0 -> {
                if (b == Chars.SP && pos > 0) linePart = 1;
                else if (!Chars.isTchar(b)) throw new RemoteProtocolError("invalid method in request-line");
            }
            case 1 -> {
                if (b == Chars.SP && line[pos - 1] != Chars.SP) linePart = pos + 1 + 2; // version starts at pos+1
                else if (!Chars.isVchar(b)) throw new RemoteProtocolError("invalid request-target");
            }
            default -> checkVersionByte(b, pos - (linePart - 2));
        }
    }

    /** status-line = HTTP-version SP 3DIGIT [ SP reason-phrase ]. */
    private void checkStatusLineByte(int b, int pos) throws RemoteProtocolError {
        if (pos < 8) checkVersionByte(b, pos);
        else if (pos == 8 || pos == 12) {
            if (b != Chars.SP) throw new RemoteProtocolError("invalid status-line");
        } else if (pos < 12) {
            if (b < '0' || b > '9') throw new RemoteProtocolError("invalid status-code");
        } else if (!Chars.isFieldValueOctet(b)) throw new RemoteProtocolError("invalid reason-phrase");
    }

    /** The {@code i}-th byte of "HTTP/" DIGIT "." DIGIT; a major version other than 1 is refused with 505. */
    private static void checkVersionByte(int b, int i) throws RemoteProtocolError {
        if (i >= 8) throw new RemoteProtocolError("junk after HTTP-version");
        if (i == 5 || i == 7) {
            if (b < '0' || b > '9') throw new RemoteProtocolError("invalid HTTP-version");
            if (i == 5 && b != '1') throw new RemoteProtocolError("unsupported HTTP major version", 505);
        } else if (b != "HTTP/.".charAt(i == 6 ? 5 : i)) throw new RemoteProtocolError("invalid HTTP-version");
    }

    /** A CRLF arrived: handles the line in {@code line[0..lineLen)}; true when it ended the section. */
    private boolean lineComplete() throws RemoteProtocolError {
        int n = lineLen;
        lineLen = 0;
        if (!startLineDone()) {
            if (n == 0) {
                // RFC 9112 §2.2: "SHOULD ignore at least one empty line (CRLF) received prior to the request-line"
                if (++emptyLinesSkipped > limits.maxEmptyLinesBeforeStartLine())
                    throw new RemoteProtocolError("too many empty lines before the start line");
                return false;
            }
            startLine = kind == Kind.REQUEST_HEAD ? parseRequestLine(line, n) : parseStatusLine(line, n);
            shrinkLineBuffer();
            return false;
        }
        if (n == 0) return true;
        parseFieldLine(line, n);
        if (names.size() > limits.maxHeaderCount())
            throw new RemoteProtocolError("more than " + limits.maxHeaderCount() + " field lines", 431);
        return false;
    }

    private void shrinkLineBuffer() {
        if (line.length > 1024) line = new byte[128];
    }

    /** RFC 9112 §3: request-line = method SP request-target SP HTTP-version. */
    static StartLine parseRequestLine(byte[] b, int n) throws RemoteProtocolError {
        int i = 0;
        while (i < n && Chars.isTchar(b[i])) i++;
        if (i == 0 || i >= n || b[i] != Chars.SP) throw new RemoteProtocolError("invalid method in request-line");
        String method = ascii(b, 0, i);
        int t = ++i;
        // RFC 9112 §3.2: request-target is visible ASCII; anything else (space, control, obs-text) is invalid.
        while (i < n && Chars.isVchar(b[i])) i++;
        if (i == t || i >= n || b[i] != Chars.SP) throw new RemoteProtocolError("invalid request-target");
        String target = ascii(b, t, i);
        i++;
        HttpVersion version = parseVersion(b, i, n);
        if (i + 8 != n) throw new RemoteProtocolError("junk after HTTP-version in request-line");
        return new StartLine(method, target, version, 0, null);
    }

    /** RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]; the second SP may be missing. */
    static StartLine parseStatusLine(byte[] b, int n) throws RemoteProtocolError {
        HttpVersion version = parseVersion(b, 0, n);
        if (n < 12 || b[8] != Chars.SP) throw new RemoteProtocolError("invalid status-line");
        int status = 0;
        for (int i = 9; i < 12; i++) {
            if (b[i] < '0' || b[i] > '9') throw new RemoteProtocolError("invalid status-code");
            status = status * 10 + (b[i] - '0');
        }
        if (status < 100) throw new RemoteProtocolError("invalid status-code " + status);
        String reason = "";
        if (n > 12) {
            if (b[12] != Chars.SP) throw new RemoteProtocolError("invalid status-code");
            // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
            for (int i = 13; i < n; i++)
                if (!Chars.isFieldValueOctet(b[i])) throw new RemoteProtocolError("invalid reason-phrase");
            reason = new String(b, 13, n - 13, StandardCharsets.ISO_8859_1);
        }
        return new StartLine(null, null, version, status, reason);
    }

    /** RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive. */
    private static HttpVersion parseVersion(byte[] b, int i, int n) throws RemoteProtocolError {
        if (n - i < 8
                || b[i] != 'H'
                || b[i + 1] != 'T'
                || b[i + 2] != 'T'
                || b[i + 3] != 'P'
                || b[i + 4] != '/'
                || b[i + 6] != '.') throw new RemoteProtocolError("invalid HTTP-version");
        int major = b[i + 5] - '0', minor = b[i + 7] - '0';
        if (major < 0 || major > 9 || minor < 0 || minor > 9) throw new RemoteProtocolError("invalid HTTP-version");
        if (major != 1) throw new RemoteProtocolError("unsupported HTTP major version " + major, 505);
        return minor == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    /** RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. */
    private void parseFieldLine(byte[] b, int n) throws RemoteProtocolError {
        // RFC 9112 §5.2: obs-fold is refused ("MUST either reject the message by sending a 400"); so is whitespace
        // between the start line and the first field (§2.2).
        if (Chars.isOws(b[0])) throw new RemoteProtocolError("obs-fold or whitespace at the start of a field line");
        int i = 0;
        while (i < n && Chars.isTchar(b[i])) i++;
        if (i < n && Chars.isOws(b[i]))
            // RFC 9112 §5.1: "A server MUST reject, with a response status code of 400 (Bad Request), any received
            // request message that contains whitespace between a header field name and colon."
            throw new RemoteProtocolError("whitespace between field name and colon");
        if (i == 0 || i >= n || b[i] != ':') throw new RemoteProtocolError("invalid field name");
        String name = ascii(b, 0, i);
        int a = i + 1, e = n;
        while (a < e && Chars.isOws(b[a])) a++;
        while (e > a && Chars.isOws(b[e - 1])) e--;
        for (int j = a; j < e; j++)
            // RFC 9110 §5.5: NUL, CR, LF and other controls are invalid in a field value.
            if (!Chars.isFieldValueOctet(b[j])) throw new RemoteProtocolError("invalid character in field value");
        String value = new String(b, a, e - a, StandardCharsets.ISO_8859_1);
        if (kind != Kind.TRAILERS) checkFramingField(name, value);
        names.add(name);
        values.add(value);
    }

    /**
     * Refuses a malformed or conflicting Content-Length, and (in requests) Content-Length together with
     * Transfer-Encoding, as soon as the field line arrives (RFC 9112 §6.3 items 3 and 5); {@link Framing} decides the
     * rest once the head is complete.
     */
    private void checkFramingField(String name, String value) throws RemoteProtocolError {
        boolean cl = name.equalsIgnoreCase("Content-Length");
        boolean te = name.equalsIgnoreCase("Transfer-Encoding");
        if (!cl && !te) return;
        if (te) sawTransferEncoding = true;
        if (cl) {
            try {
                long v = Framing.contentLength(new Headers(new String[] {name}, new String[] {value}), Long.MAX_VALUE);
                if (contentLength >= 0 && v != contentLength)
                    throw new RemoteProtocolError("conflicting Content-Length values");
                contentLength = v;
            } catch (LocalProtocolError err) {
                throw new RemoteProtocolError(err.getMessage(), err.statusHint());
            }
        }
        if (kind == Kind.REQUEST_HEAD && sawTransferEncoding && contentLength >= 0)
            throw new RemoteProtocolError("both Transfer-Encoding and Content-Length");
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
