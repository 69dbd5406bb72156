package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * The invoking packet quoted in an ICMP (RFC 792) or ICMPv6 (RFC 4443 §2.4 (c)) error, read as far as it goes: its
 * addresses, its upper-layer protocol and the leading octets of its transport header, enough to find the flow (RFC 5927
 * §4: ports, and the TCP sequence number to check it is in flight). The quote is usually truncated, so no length or
 * checksum beyond the IP header is checked; the inner IPv4 header checksum is not verified either.
 *
 * @param src the quoted packet's source (normally this host)
 * @param dst the quoted packet's destination
 * @param protocol its upper-layer protocol, after any IPv6 extension headers present in the quote
 * @param transport the quoted upper-layer octets (possibly fewer than a full header; empty for a non-first fragment)
 */
public record IcmpQuote(IpAddress src, IpAddress dst, int protocol, Bytes transport) {

    /** Bound on IPv6 extension headers walked in a quote, as {@link Ipv6Packet#DEFAULT_MAX_EXTENSION_HEADERS}. */
    public static final int MAX_EXTENSION_HEADERS = Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS;

    public IcmpQuote {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(transport, "transport");
    }

    /** Parses the data of an ICMP or ICMPv6 error message (what follows its 8-octet header). */
    public static Parsed<IcmpQuote> parse(Bytes quoted) {
        byte[] b = quoted.array();
        int off = quoted.offset();
        int len = quoted.length();
        if (len < 1) {
            return Wire.truncated("icmp.quote", 0, 1, len);
        }
        int version = Wire.u8(b, off) >>> 4;
        if (version == 4) {
            Parsed<Ipv4Header> h = Ipv4Header.parseUnverified(b, off, len);
            if (!(h instanceof Parsed.Ok<Ipv4Header> ok)) {
                return Parsed.err(h.error());
            }
            Ipv4Header ip = ok.value();
            // RFC 791: a non-first fragment carries no transport header.
            int hl = ip.length();
            int n = ip.fragmentOffset() != 0 ? 0 : Math.min(len, ip.totalLength()) - hl;
            return Parsed.ok(new IcmpQuote(ip.src(), ip.dst(), ip.protocol(), quoted.slice(hl, Math.max(n, 0))));
        }
        if (version != 6) {
            return Parsed.err("icmp.quote.version", ParseError.Kind.BAD_VERSION, 0, "version " + version);
        }
        Parsed<Ipv6Header> h = Ipv6Header.parse(b, off, len);
        if (!(h instanceof Parsed.Ok<Ipv6Header> ok6)) {
            return Parsed.err(h.error());
        }
        Ipv6Header ip = ok6.value();
        int end = Math.min(len, Ipv6Header.LENGTH + ip.payloadLength());
        int next = ip.nextHeader();
        int pos = Ipv6Header.LENGTH;
        int walked = 0;
        while (IpProtocol.isIpv6ExtensionHeader(next)) {
            if (walked++ >= MAX_EXTENSION_HEADERS) {
                return Parsed.err(
                        "icmp.quote.extension_header", ParseError.Kind.LIMIT_EXCEEDED, pos, "too many headers");
            }
            if (end - pos < 8) {
                return Wire.truncated("icmp.quote.extension_header", pos, 8, end - pos);
            }
            int extLen;
            if (next == IpProtocol.IPV6_FRAG) {
                int offsetFlags = Wire.u16(b, off + pos + 2);
                next = Wire.u8(b, off + pos);
                pos += Ipv6ExtensionHeader.Fragment.LENGTH;
                if ((offsetFlags >>> 3) != 0) {
                    return Parsed.ok(new IcmpQuote(ip.src(), ip.dst(), next, Bytes.EMPTY));
                }
                continue;
            }
            int lengthByte = Wire.u8(b, off + pos + 1);
            extLen = next == IpProtocol.AH ? (lengthByte + 2) * 4 : (lengthByte + 1) * 8;
            if (extLen > end - pos) {
                return Wire.truncated("icmp.quote.extension_header", pos, extLen, end - pos);
            }
            next = Wire.u8(b, off + pos);
            pos += extLen;
        }
        return Parsed.ok(new IcmpQuote(ip.src(), ip.dst(), next, quoted.slice(pos, end - pos)));
    }

    /** The quoted source port (UDP, TCP, or any protocol that starts with two ports), or -1 if not quoted. */
    public int srcPort() {
        return transport.length() >= 2 ? transport.getUnsigned(0) << 8 | transport.getUnsigned(1) : -1;
    }

    /** The quoted destination port, or -1 if not quoted. */
    public int dstPort() {
        return transport.length() >= 4 ? transport.getUnsigned(2) << 8 | transport.getUnsigned(3) : -1;
    }

    /** True when the first 8 octets of the transport header are quoted (RFC 792's minimum). */
    public boolean hasTcpSequenceNumber() {
        return transport.length() >= 8;
    }

    /** The quoted TCP SEG.SEQ; call only when {@link #hasTcpSequenceNumber()}. */
    public int tcpSequenceNumber() {
        if (!hasTcpSequenceNumber()) {
            throw new IllegalStateException("only " + transport.length() + " transport octets quoted");
        }
        return transport.getUnsigned(4) << 24
                | transport.getUnsigned(5) << 16
                | transport.getUnsigned(6) << 8
                | transport.getUnsigned(7);
    }
}
