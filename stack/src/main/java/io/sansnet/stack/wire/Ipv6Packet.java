package io.sansnet.stack.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv6 packet: the fixed header, its chain of extension headers, the upper-layer protocol and the upper-layer
 * bytes.
 *
 * <p>The walk stops at a Fragment header (RFC 8200 §4.5): what follows it is fragment data, not headers, so
 * {@code protocol} is then the Fragment header's Next Header and {@code payload} the fragment data. After reassembly,
 * {@link #reassemble} parses the rebuilt packet and walks the rest of the chain. ESP and unknown next-header values end
 * the walk as upper-layer protocols.
 *
 * @param header the fixed header; its next header and payload length match the chain
 * @param extensionHeaders in wire order; Hop-by-Hop only first, a Fragment header only last
 * @param protocol the upper-layer protocol (or the Fragment header's next header)
 * @param payload the upper-layer bytes (or the fragment data)
 */
public record Ipv6Packet(Ipv6Header header, List<Ipv6ExtensionHeader> extensionHeaders, int protocol, Bytes payload)
        implements IpPacket {

    /**
     * Default bound on the extension headers walked in one packet. Note: RFC 8200 sets no number; Linux bounds the
     * walk by the packet length only. Sixteen is well above any real chain (RFC 8200 §4.1 recommends each header at
     * most once, Destination Options twice).
     */
    public static final int DEFAULT_MAX_EXTENSION_HEADERS = 16;

    public Ipv6Packet {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        extensionHeaders = List.copyOf(extensionHeaders);
        Wire.checkRange("protocol", protocol, 0, 255);
        int extLength = 0;
        boolean fragmented = false;
        for (int i = 0; i < extensionHeaders.size(); i++) {
            Ipv6ExtensionHeader e = extensionHeaders.get(i);
            if (e.type() == IpProtocol.HOPOPT && i != 0) {
                throw new IllegalArgumentException("RFC 8200 §4.1: Hop-by-Hop Options only first");
            }
            if (fragmented) {
                throw new IllegalArgumentException("headers after a Fragment header are fragment data");
            }
            fragmented = e instanceof Ipv6ExtensionHeader.Fragment;
            extLength += e.length();
        }
        if (!fragmented && IpProtocol.isIpv6ExtensionHeader(protocol)) {
            throw new IllegalArgumentException("protocol " + protocol + " is an extension header");
        }
        int first =
                extensionHeaders.isEmpty() ? protocol : extensionHeaders.get(0).type();
        if (header.nextHeader() != first) {
            throw new IllegalArgumentException("header next header " + header.nextHeader() + " != " + first);
        }
        if (header.payloadLength() != extLength + payload.length()) {
            throw new IllegalArgumentException(
                    "payload length " + header.payloadLength() + " != " + extLength + " + " + payload.length());
        }
    }

    /** A packet whose header's next header and payload length are set to fit the chain and the payload. */
    public static Ipv6Packet of(
            Ipv6Header header, List<Ipv6ExtensionHeader> extensionHeaders, int protocol, Bytes payload) {
        int extLength = 0;
        for (Ipv6ExtensionHeader e : extensionHeaders) {
            extLength += e.length();
        }
        int first =
                extensionHeaders.isEmpty() ? protocol : extensionHeaders.get(0).type();
        return new Ipv6Packet(
                header.withNextHeader(first).withPayloadLength(extLength + payload.length()),
                extensionHeaders,
                protocol,
                payload);
    }

    /** A packet without extension headers. */
    public static Ipv6Packet of(Ipv6Header header, int protocol, Bytes payload) {
        return of(header, List.of(), protocol, payload);
    }

    /** Parses with {@link #DEFAULT_MAX_EXTENSION_HEADERS}. */
    public static Parsed<Ipv6Packet> parse(byte[] buf, int off, int len) {
        Wire.checkSlice(buf, off, len);
        return parse(buf, off, len, DEFAULT_MAX_EXTENSION_HEADERS);
    }

    public static Parsed<Ipv6Packet> parse(Bytes b) {
        return parse(b.array(), b.offset(), b.length());
    }

    /**
     * Parses a packet at {@code buf[off..off+len)} and walks its extension headers, at most
     * {@code maxExtensionHeaders} of them. Bytes beyond the payload length are ignored; a payload length beyond
     * {@code len} is {@link ParseError.Kind#BAD_LENGTH}. Copies what it keeps.
     */
    public static Parsed<Ipv6Packet> parse(byte[] buf, int off, int len, int maxExtensionHeaders) {
        Wire.checkSlice(buf, off, len);
        Parsed<Ipv6Header> h = Ipv6Header.parse(buf, off, len);
        if (!(h instanceof Parsed.Ok<Ipv6Header> ok)) {
            return Parsed.err(h.error());
        }
        Ipv6Header header = ok.value();
        int end = Ipv6Header.LENGTH + header.payloadLength();
        if (end > len) {
            return Parsed.err(
                    "ipv6.payload_length",
                    ParseError.Kind.BAD_LENGTH,
                    4,
                    "payload length " + header.payloadLength() + " > " + (len - Ipv6Header.LENGTH) + " bytes received");
        }
        List<Ipv6ExtensionHeader> exts = new ArrayList<>();
        int next = header.nextHeader();
        int nextAt = 6; // where the byte naming `next` sits, for error offsets
        int pos = Ipv6Header.LENGTH;
        while (IpProtocol.isIpv6ExtensionHeader(next)) {
            if (next == IpProtocol.HOPOPT && !exts.isEmpty()) {
                // RFC 8200 §4.1: Hop-by-Hop Options only immediately after the IPv6 header.
                return Parsed.err(
                        "ipv6.next_header", ParseError.Kind.BAD_VALUE, nextAt, "Hop-by-Hop Options not first");
            }
            if (exts.size() >= maxExtensionHeaders) {
                return Parsed.err(
                        "ipv6.extension_header",
                        ParseError.Kind.LIMIT_EXCEEDED,
                        pos,
                        "more than " + maxExtensionHeaders + " extension headers");
            }
            int remaining = end - pos;
            if (next == IpProtocol.IPV6_FRAG) {
                if (remaining < Ipv6ExtensionHeader.Fragment.LENGTH) {
                    return Wire.truncated("ipv6.fragment", pos, Ipv6ExtensionHeader.Fragment.LENGTH, remaining);
                }
                int offsetFlags = Wire.u16(buf, off + pos + 2);
                exts.add(new Ipv6ExtensionHeader.Fragment(
                        offsetFlags >>> 3, (offsetFlags & 1) != 0, Wire.i32(buf, off + pos + 4)));
                next = Wire.u8(buf, off + pos);
                pos += Ipv6ExtensionHeader.Fragment.LENGTH;
                break; // RFC 8200 §4.5: the rest is fragment data
            }
            if (remaining < 2) {
                return Wire.truncated("ipv6.extension_header", pos, 2, remaining);
            }
            int lengthByte = Wire.u8(buf, off + pos + 1);
            int extLen = next == IpProtocol.AH ? (lengthByte + 2) * 4 : (lengthByte + 1) * 8;
            if (extLen > remaining) {
                return Parsed.err(
                        "ipv6.extension_header.length",
                        ParseError.Kind.BAD_LENGTH,
                        pos + 1,
                        "header of " + extLen + " octets, " + remaining + " left");
            }
            exts.add(new Ipv6ExtensionHeader.Generic(next, Bytes.copyOf(buf, off + pos + 2, extLen - 2)));
            next = Wire.u8(buf, off + pos);
            nextAt = pos;
            pos += extLen;
        }
        return Parsed.ok(new Ipv6Packet(header, exts, next, Bytes.copyOf(buf, off + pos, end - pos)));
    }

    /**
     * The packet rebuilt from a first fragment and the reassembled data (RFC 8200 §4.5 "Reassembly"): the fixed
     * header and the headers before the Fragment header, then the data, with the chain walked further.
     */
    public static Parsed<Ipv6Packet> reassemble(Ipv6Packet firstFragment, Bytes data) {
        List<Ipv6ExtensionHeader> unfragmentable = new ArrayList<>();
        for (Ipv6ExtensionHeader e : firstFragment.extensionHeaders()) {
            if (!(e instanceof Ipv6ExtensionHeader.Fragment)) {
                unfragmentable.add(e);
            }
        }
        int extLength = 0;
        for (Ipv6ExtensionHeader e : unfragmentable) {
            extLength += e.length();
        }
        long payloadLength = (long) extLength + data.length();
        if (payloadLength > 0xFFFF) {
            return Parsed.err(
                    "ipv6.payload_length",
                    ParseError.Kind.BAD_LENGTH,
                    4,
                    "reassembled payload of " + payloadLength + " octets exceeds 65535");
        }
        int first = unfragmentable.isEmpty()
                ? firstFragment.protocol()
                : unfragmentable.get(0).type();
        Ipv6Header h = firstFragment.header().withNextHeader(first).withPayloadLength((int) payloadLength);
        byte[] b = new byte[Ipv6Header.LENGTH + (int) payloadLength];
        int pos = h.encodeInto(b, 0);
        for (int i = 0; i < unfragmentable.size(); i++) {
            int next = i + 1 < unfragmentable.size() ? unfragmentable.get(i + 1).type() : firstFragment.protocol();
            pos += unfragmentable.get(i).encodeInto(b, pos, next);
        }
        data.copyTo(b, pos);
        return parse(b, 0, b.length);
    }

    /** The Fragment header, when this packet is a fragment. */
    public Optional<Ipv6ExtensionHeader.Fragment> fragment() {
        if (!extensionHeaders.isEmpty()
                && extensionHeaders.get(extensionHeaders.size() - 1) instanceof Ipv6ExtensionHeader.Fragment f) {
            return Optional.of(f);
        }
        return Optional.empty();
    }

    /** Offset of {@link #payload()} from the start of the packet. */
    public int payloadOffset() {
        return length() - payload.length();
    }

    @Override
    public int version() {
        return 6;
    }

    @Override
    public Ipv6Address src() {
        return header.src();
    }

    @Override
    public Ipv6Address dst() {
        return header.dst();
    }

    @Override
    public int hopLimit() {
        return header.hopLimit();
    }

    @Override
    public boolean isFragment() {
        return fragment().isPresent();
    }

    @Override
    public int length() {
        return Ipv6Header.LENGTH + header.payloadLength();
    }

    @Override
    public int encodeInto(byte[] dst, int off) {
        int pos = off + header.encodeInto(dst, off);
        for (int i = 0; i < extensionHeaders.size(); i++) {
            int next = i + 1 < extensionHeaders.size()
                    ? extensionHeaders.get(i + 1).type()
                    : protocol;
            pos += extensionHeaders.get(i).encodeInto(dst, pos, next);
        }
        payload.copyTo(dst, pos);
        return length();
    }
}
