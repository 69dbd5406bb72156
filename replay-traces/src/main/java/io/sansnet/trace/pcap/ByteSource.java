package io.sansnet.trace.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** An input stream that counts the bytes read, so errors can name their offset. Allocates only what arrives. */
final class ByteSource {
    /** Reads up to this many bytes into one exact-size array; larger reads grow with the data actually present. */
    private static final int DIRECT_READ_BYTES = 64 * 1024;

    private final InputStream in;
    private final byte[] scratch = new byte[8192];
    private long position;

    ByteSource(InputStream in) {
        this.in = in;
    }

    /** Bytes consumed so far: the offset of the next byte. */
    long position() {
        return position;
    }

    /** Reads {@code n} bytes, or fewer only when the input ends first. */
    byte[] read(int n) throws IOException {
        byte[] b;
        if (n <= DIRECT_READ_BYTES) {
            b = new byte[n];
            int got = in.readNBytes(b, 0, n);
            if (got < n) {
                b = Arrays.copyOf(b, got);
            }
        } else {
            // InputStream.readNBytes(int) accumulates in small chunks: a length field that lies costs nothing.
            b = in.readNBytes(n);
        }
        position += b.length;
        return b;
    }

    /** Discards {@code n} bytes; returns how many were there. */
    long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int chunk = (int) Math.min(scratch.length, n - done);
            int got = in.readNBytes(scratch, 0, chunk);
            done += got;
            position += got;
            if (got < chunk) {
                break;
            }
        }
        return done;
    }
}
