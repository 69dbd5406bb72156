package io.sansnet.trace.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * pcapng files (draft-ietf-opsawg-pcapng): a sequence of blocks {@code type:u32 length:u32 body length:u32}, in
 * sections that each start with a section header block fixing the byte order. Reads section header (SHB), interface
 * description (IDB), enhanced (EPB), simple (SPB) and obsolete packet blocks; skips every other block after checking
 * its framing.
 */
final class PcapngDecoder implements FormatDecoder {
    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int OPB = 2;
    static final int SPB = 3;
    static final int EPB = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** Block type, total length and trailing total length. */
    private static final int FRAMING_BYTES = 12;
    /** Framing, byte-order magic, version and section length (§4.1). */
    private static final int MIN_SHB_BYTES = 28;

    static final int OPT_ENDOFOPT = 0;
    static final int IF_NAME = 2;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;
    static final int EPB_FLAGS = 2;

    private final ByteSource src;
    private final ReaderLimits limits;
    /** The section header's type field was read by format detection. */
    private boolean firstTypeConsumed = true;

    private ByteOrder order;
    private final List<InterfaceInfo> interfaces = new ArrayList<>();
    /** Global id of the current section's interface 0 (pcapng numbers interfaces per section). */
    private int sectionFirstInterface;

    private long frames;

    PcapngDecoder(ByteSource src, ReaderLimits limits) {
        this.src = src;
        this.limits = limits;
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAPNG;
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        return Collections.unmodifiableList(interfaces);
    }

    @Override
    public ReadResult next() throws IOException {
        while (true) {
            long offset;
            byte[] typeBytes;
            if (firstTypeConsumed) {
                firstTypeConsumed = false;
                offset = src.position() - 4;
                typeBytes = new byte[] {0x0A, 0x0D, 0x0D, 0x0A};
            } else {
                offset = src.position();
                typeBytes = src.read(4);
                if (typeBytes.length == 0) {
                    return new ReadResult.End(offset);
                }
                if (typeBytes.length < 4) {
                    return truncated(offset, "pcapng block header", 8, typeBytes.length);
                }
            }
            byte[] lengthBytes = src.read(4);
            if (lengthBytes.length < 4) {
                return truncated(offset, "pcapng block header", 8, 4 + lengthBytes.length);
            }
            boolean isShb = ByteBuffer.wrap(typeBytes).getInt() == SHB; // a palindrome: either order
            int consumed = 8;
            if (isShb) {
                byte[] bom = src.read(4);
                if (bom.length < 4) {
                    return truncated(offset, "pcapng section header block", MIN_SHB_BYTES, 8 + bom.length);
                }
                consumed = 12;
                int magic = ByteBuffer.wrap(bom).getInt();
                if (magic == BYTE_ORDER_MAGIC) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    order = ByteOrder.LITTLE_ENDIAN;
                } else {
                    return corrupt(
                            offset,
                            String.format(
                                    "section header byte-order magic 0x%08x is neither 1a2b3c4d nor 4d3c2b1a", magic));
                }
            }
            if (order == null) {
                return corrupt(offset, "pcapng block before the first section header block");
            }
            long type = Integer.toUnsignedLong(
                    ByteBuffer.wrap(typeBytes).order(order).getInt());
            long total = Integer.toUnsignedLong(
                    ByteBuffer.wrap(lengthBytes).order(order).getInt());
            String name = blockName(type);
            int minimum = isShb ? MIN_SHB_BYTES : FRAMING_BYTES;
            if (total < minimum) {
                return corrupt(offset, name + " total length " + total + " is below the minimum " + minimum);
            }
            if (total % 4 != 0) {
                return corrupt(offset, name + " total length " + total + " is not a multiple of 4");
            }
            if (total > limits.maxRecordBytes()) {
                return new ReadResult.Failure(new TraceError.LimitExceeded(
                        offset, name + " total length", total, limits.maxRecordBytes(), "maxRecordBytes"));
            }
            int rest = (int) total - consumed;
            if (!isShb && type != IDB && type != EPB && type != SPB && type != OPB) {
                // Unknown, statistics, name resolution, custom ... blocks: check the framing, keep nothing.
                long skipped = src.skip(rest - 4);
                byte[] trailer = skipped == rest - 4 ? src.read(4) : new byte[0];
                if (trailer.length < 4) {
                    return truncated(offset, name, total, consumed + skipped + trailer.length);
                }
                long trailing = Integer.toUnsignedLong(
                        ByteBuffer.wrap(trailer).order(order).getInt());
                if (trailing != total) {
                    return trailerMismatch(offset, name, total, trailing);
                }
                continue;
            }
            byte[] body = src.read(rest);
            if (body.length < rest) {
                return truncated(offset, name, total, consumed + body.length);
            }
            ByteBuffer b = ByteBuffer.wrap(body).order(order);
            int contentEnd = body.length - 4;
            long trailing = Integer.toUnsignedLong(b.getInt(contentEnd));
            if (trailing != total) {
                return trailerMismatch(offset, name, total, trailing);
            }
            ReadResult result;
            if (isShb) {
                result = sectionHeader(offset, b);
            } else if (type == IDB) {
                result = interfaceDescription(offset, b, contentEnd);
            } else if (type == EPB || type == OPB) {
                result = enhancedPacket(offset, b, contentEnd, type == OPB);
            } else {
                result = simplePacket(offset, b, contentEnd);
            }
            if (result != null) {
                return result;
            }
        }
    }

    /** §4.1. The body here starts after the byte-order magic. */
    private ReadResult sectionHeader(long offset, ByteBuffer b) {
        int major = Short.toUnsignedInt(b.getShort(0));
        int minor = Short.toUnsignedInt(b.getShort(2));
        if (major != 1) {
            return corrupt(offset, "pcapng version " + major + "." + minor + " is not supported (only 1.x)");
        }
        // A new section: its interfaces are numbered from 0 again.
        sectionFirstInterface = interfaces.size();
        return null;
    }

    /** §4.2. */
    private ReadResult interfaceDescription(long offset, ByteBuffer b, int contentEnd) {
        if (contentEnd < 8) {
            return corrupt(offset, "interface description block body is " + contentEnd + " bytes, needs 8");
        }
        if (interfaces.size() >= limits.maxInterfaces()) {
            return new ReadResult.Failure(new TraceError.LimitExceeded(
                    offset, "interface count", interfaces.size() + 1L, limits.maxInterfaces(), "maxInterfaces"));
        }
        int linkType = Short.toUnsignedInt(b.getShort(0));
        long snapLength = Integer.toUnsignedLong(b.getInt(4));
        String[] ifName = {""};
        TimestampResolution[] resolution = {TimestampResolution.MICROSECONDS};
        long[] tsOffset = {0};
        String bad = forEachOption(b, 8, contentEnd, (code, at, len) -> {
            if (code == IF_NAME) {
                ifName[0] = new String(b.array(), at, len, StandardCharsets.UTF_8);
            } else if (code == IF_TSRESOL && len >= 1) {
                resolution[0] = TimestampResolution.fromTsresol(Byte.toUnsignedInt(b.get(at)));
            } else if (code == IF_TSOFFSET && len == 8) {
                tsOffset[0] = b.getLong(at);
            }
        });
        if (bad != null) {
            return corrupt(offset, "interface description block: " + bad);
        }
        interfaces.add(
                new InterfaceInfo(interfaces.size(), linkType, snapLength, ifName[0], resolution[0], tsOffset[0]));
        return null;
    }

    /** §4.3 enhanced packet block; appendix obsolete packet block (16-bit interface id, then a drops count). */
    private ReadResult enhancedPacket(long offset, ByteBuffer b, int contentEnd, boolean obsolete) {
        String name = obsolete ? "packet block" : "enhanced packet block";
        if (contentEnd < 20) {
            return corrupt(offset, name + " body is " + contentEnd + " bytes, needs 20");
        }
        long localId = obsolete ? Short.toUnsignedInt(b.getShort(0)) : Integer.toUnsignedLong(b.getInt(0));
        InterfaceInfo iface = sectionInterface(localId);
        if (iface == null) {
            return corrupt(
                    offset,
                    name + " refers to interface " + localId + ", but the section has "
                            + (interfaces.size() - sectionFirstInterface));
        }
        long units = (Integer.toUnsignedLong(b.getInt(4)) << 32) | Integer.toUnsignedLong(b.getInt(8));
        long capturedLength = Integer.toUnsignedLong(b.getInt(12));
        long originalLength = Integer.toUnsignedLong(b.getInt(16));
        if (capturedLength > contentEnd - 20) {
            return corrupt(
                    offset,
                    name + " captured length " + capturedLength + " exceeds its data area of " + (contentEnd - 20)
                            + " bytes");
        }
        long timestamp = timestamp(iface, units);
        if (timestamp == TimestampResolution.OUT_OF_RANGE) {
            return corrupt(
                    offset,
                    name + " timestamp " + Long.toUnsignedString(units) + " in units of " + iface.resolution()
                            + " does not fit in 64-bit nanoseconds");
        }
        int dataEnd = 20 + (int) capturedLength;
        long[] flags = {0};
        String bad = forEachOption(b, Math.min(contentEnd, pad4(dataEnd)), contentEnd, (code, at, len) -> {
            if (code == EPB_FLAGS && len == 4) {
                flags[0] = Integer.toUnsignedLong(b.getInt(at));
            }
        });
        if (bad != null) {
            return corrupt(offset, name + ": " + bad);
        }
        byte[] data = Arrays.copyOfRange(b.array(), 20, dataEnd);
        return packet(offset, timestamp, iface, originalLength, Direction.fromEpbFlags(flags[0]), data);
    }

    /** §4.4: no interface id (always 0), no timestamp; captured length is min(original length, snap length). */
    private ReadResult simplePacket(long offset, ByteBuffer b, int contentEnd) {
        if (contentEnd < 4) {
            return corrupt(offset, "simple packet block body is " + contentEnd + " bytes, needs 4");
        }
        InterfaceInfo iface = sectionInterface(0);
        if (iface == null) {
            return corrupt(offset, "simple packet block before any interface description block in its section");
        }
        long originalLength = Integer.toUnsignedLong(b.getInt(0));
        long capturedLength = Math.min(originalLength, contentEnd - 4);
        if (iface.snapLength() > 0) {
            capturedLength = Math.min(capturedLength, iface.snapLength());
        }
        byte[] data = Arrays.copyOfRange(b.array(), 4, 4 + (int) capturedLength);
        return packet(offset, CapturedPacket.NO_TIMESTAMP, iface, originalLength, Direction.UNKNOWN, data);
    }

    private ReadResult packet(
            long offset, long timestamp, InterfaceInfo iface, long originalLength, Direction dir, byte[] data) {
        frames++;
        return new ReadResult.Packet(new CapturedPacket(
                frames, offset, timestamp, iface.id(), iface.linkType(), data.length, originalLength, dir, data));
    }

    private InterfaceInfo sectionInterface(long localId) {
        long global = sectionFirstInterface + localId;
        return localId < 0 || global >= interfaces.size() ? null : interfaces.get((int) global);
    }

    /** Units since the epoch to nanoseconds, plus {@code if_tsoffset}; OUT_OF_RANGE when it does not fit. */
    private static long timestamp(InterfaceInfo iface, long units) {
        long nanos = iface.resolution().toNanos(units);
        long offsetSeconds = iface.timestampOffsetSeconds();
        if (nanos == TimestampResolution.OUT_OF_RANGE || offsetSeconds == 0) {
            return nanos;
        }
        if (Math.abs(offsetSeconds) > Long.MAX_VALUE / 1_000_000_000L) {
            return TimestampResolution.OUT_OF_RANGE;
        }
        long sum = nanos + offsetSeconds * 1_000_000_000L;
        // nanos >= 0, so only a positive offset can overflow.
        return sum < nanos && offsetSeconds > 0 ? TimestampResolution.OUT_OF_RANGE : sum;
    }

    @FunctionalInterface
    private interface OptionVisitor {
        void option(int code, int valueOffset, int valueLength);
    }

    /**
     * Walks the options in {@code [from, to)} (§3.5: code:u16 length:u16 value padded to 32 bits, ended by
     * opt_endofopt or the end of the block). Returns null, or what is wrong.
     */
    private static String forEachOption(ByteBuffer b, int from, int to, OptionVisitor visitor) {
        int pos = from;
        while (to - pos >= 4) {
            int code = Short.toUnsignedInt(b.getShort(pos));
            int len = Short.toUnsignedInt(b.getShort(pos + 2));
            if (code == OPT_ENDOFOPT) {
                return null;
            }
            int value = pos + 4;
            if (len > to - value) {
                return "option " + code + " of length " + len + " runs past the end of the block";
            }
            visitor.option(code, value, len);
            pos = value + pad4(len);
        }
        return null;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static String blockName(long type) {
        if (type == SHB) {
            return "pcapng section header block";
        } else if (type == IDB) {
            return "pcapng interface description block";
        } else if (type == EPB) {
            return "pcapng enhanced packet block";
        } else if (type == SPB) {
            return "pcapng simple packet block";
        } else if (type == OPB) {
            return "pcapng packet block";
        }
        return String.format("pcapng block of type 0x%08x", type);
    }

    private static ReadResult truncated(long offset, String what, long expected, long available) {
        return new ReadResult.Failure(new TraceError.Truncated(offset, what, expected, available));
    }

    private static ReadResult corrupt(long offset, String what) {
        return new ReadResult.Failure(new TraceError.Corrupt(offset, what));
    }

    private static ReadResult trailerMismatch(long offset, String name, long total, long trailing) {
        return corrupt(offset, name + " trailing length " + trailing + " differs from its leading length " + total);
    }
}
