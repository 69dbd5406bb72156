/**
 * Wire codecs of the sans-io core: immutable records for IPv4, IPv6 (with extension headers), ICMP, ICMPv6, UDP and
 * TCP, each with {@code parse} (never throws on any bytes: a value or a typed {@link io.sansnet.stack.wire.ParseError})
 * and {@code encode}/{@code encodeInto}, plus the Internet checksum with both pseudo-headers.
 *
 * <p>Every {@code parse(byte[] buf, int off, int len, ...)} requires {@code buf[off, off+len)} to lie within {@code buf}
 * (an {@link java.lang.IndexOutOfBoundsException} otherwise: a caller bug); the bytes in that slice may be anything.
 *
 * <p>Ownership: parsers copy what they keep into {@link io.sansnet.stack.wire.Bytes}, so the caller may reuse its
 * buffer at once; {@code parse(Bytes, ...)} overloads read without copying the input first. Checksum fields in the
 * records hold what was received; encoders compute the correct checksum.
 */
package io.sansnet.stack.wire;
