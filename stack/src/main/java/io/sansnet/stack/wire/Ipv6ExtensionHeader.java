package io.sansnet.stack.wire;

import java.util.Objects;

/**
 * An IPv6 extension header (RFC 8200 §4). The Next Header byte of each is implied by its position in
 * {@link Ipv6Packet#extensionHeaders()}, so it is not stored here.
 */
public sealed interface Ipv6ExtensionHeader {

    /** The next-header number that identifies this header ({@link IpProtocol}). */
    int type();

    /** Encoded length in octets. */
    int length();

    /** Writes the header with {@code nextHeader} in its first byte; returns {@link #length()}. */
    int encodeInto(byte[] dst, int off, int nextHeader);

    /**
     * An extension header in the common "next header, length" layout (RFC 6564): Hop-by-Hop Options, Routing,
     * Destination Options, Mobility, HIP, Shim6 and the experimental numbers, whose length byte counts 8-octet units
     * beyond the first; or AH (RFC 4302 §2.2), whose length byte counts 4-octet units minus 2. The contents are kept
     * opaque: options are not interpreted (the host does not act on any), they are carried through.
     *
     * @param type the header's next-header number
     * @param body the octets after the two-octet prefix
     */
    record Generic(int type, Bytes body) implements Ipv6ExtensionHeader {
        public Generic {
            Objects.requireNonNull(body, "body");
            if (!IpProtocol.isIpv6ExtensionHeader(type) || type == IpProtocol.IPV6_FRAG) {
                throw new IllegalArgumentException("not a generic extension header type: " + type);
            }
            int total = body.length() + 2;
            if (type == IpProtocol.AH) {
                if (total % 4 != 0 || total < 8 || total > (255 + 2) * 4) {
                    throw new IllegalArgumentException("AH length " + total);
                }
            } else if (total % 8 != 0 || total > 256 * 8) {
                throw new IllegalArgumentException("extension header length " + total);
            }
        }

        @Override
        public int length() {
            return body.length() + 2;
        }

        @Override
        public int encodeInto(byte[] dst, int off, int nextHeader) {
            int total = length();
            Wire.put8(dst, off, nextHeader);
            Wire.put8(dst, off + 1, type == IpProtocol.AH ? total / 4 - 2 : total / 8 - 1);
            body.copyTo(dst, off + 2);
            return total;
        }
    }

    /**
     * The Fragment header (RFC 8200 §4.5), 8 octets. The two reserved fields are ignored on parse and sent as zero.
     *
     * @param fragmentOffset offset of the data in 8-octet units, 0..8191
     * @param moreFragments the M flag
     * @param identification the 32-bit identification (compare as unsigned)
     */
    record Fragment(int fragmentOffset, boolean moreFragments, int identification) implements Ipv6ExtensionHeader {
        public static final int LENGTH = 8;

        public Fragment {
            Wire.checkRange("fragmentOffset", fragmentOffset, 0, 0x1FFF);
        }

        @Override
        public int type() {
            return IpProtocol.IPV6_FRAG;
        }

        @Override
        public int length() {
            return LENGTH;
        }

        /** Offset in octets. */
        public int fragmentOffsetBytes() {
            return fragmentOffset * 8;
        }

        /** RFC 6946: a Fragment header with offset 0 and M clear is an atomic fragment, a whole packet. */
        public boolean isAtomic() {
            return fragmentOffset == 0 && !moreFragments;
        }

        @Override
        public int encodeInto(byte[] dst, int off, int nextHeader) {
            Wire.put8(dst, off, nextHeader);
            Wire.put8(dst, off + 1, 0);
            Wire.put16(dst, off + 2, fragmentOffset << 3 | (moreFragments ? 1 : 0));
            Wire.put32(dst, off + 4, identification);
            return LENGTH;
        }
    }
}
