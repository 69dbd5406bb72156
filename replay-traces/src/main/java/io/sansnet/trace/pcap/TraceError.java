package io.sansnet.trace.pcap;

/**
 * Why a capture file could not be read further. Every packet before {@link #offset()} was delivered; nothing after
 * it is trusted. The offset is that of the file header, record or block that could not be read.
 */
public sealed interface TraceError {
    /** Byte offset in the file of the header, record or block at fault. */
    long offset();

    /** One line for a person: what was wrong and where. */
    String message();

    /** The input ended inside a header, record or block. */
    record Truncated(long offset, String what, long expectedBytes, long availableBytes) implements TraceError {
        @Override
        public String message() {
            return "truncated " + what + " at byte offset " + offset + ": needs " + expectedBytes
                    + " bytes, the file has " + availableBytes + " (it ends at byte " + (offset + availableBytes) + ")";
        }
    }

    /** The first bytes are neither a classic pcap magic number nor a pcapng section header block. */
    record UnknownFormat(long offset, long magic) implements TraceError {
        @Override
        public String message() {
            return String.format(
                    "not a pcap or pcapng file: magic 0x%08x at byte offset %d (pcap is a1b2c3d4, a1b23c4d or a1b2cd34,"
                            + " pcapng starts with 0a0d0d0a)",
                    magic, offset);
        }
    }

    /** A field has a value the format does not allow. */
    record Corrupt(long offset, String what) implements TraceError {
        @Override
        public String message() {
            return "corrupt capture at byte offset " + offset + ": " + what;
        }
    }

    /** A length exceeds a configured {@link ReaderLimits} limit: refused rather than allocated. */
    record LimitExceeded(long offset, String what, long value, long limit, String limitName) implements TraceError {
        @Override
        public String message() {
            return what + " at byte offset " + offset + " is " + value + ", over the limit " + limitName + "=" + limit;
        }
    }

    /** The underlying stream failed. */
    record IoFailure(long offset, String cause) implements TraceError {
        @Override
        public String message() {
            return "read error at byte offset " + offset + ": " + cause;
        }
    }
}
