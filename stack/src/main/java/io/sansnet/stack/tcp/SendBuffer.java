package io.sansnet.stack.tcp;

import java.nio.ByteBuffer;

/**
 * The bounded send queue: octets the user handed to {@code send} that are not yet acknowledged. Offset 0 is the octet at
 * SND.UNA (once the SYN is acknowledged). The ring grows on demand up to {@code capacity}, so an idle connection does
 * not pay for its full buffer.
 */
final class SendBuffer {

    private static final int INITIAL_STORAGE = 4096;

    private final int capacity;
    private byte[] ring = new byte[0];
    private int head;
    private int length;

    SendBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    int length() {
        return length;
    }

    int free() {
        return capacity - length;
    }

    /** Appends as much of {@code src} as fits; returns how many octets were taken. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        ensureStorage(length + n);
        for (int done = 0; done < n; ) {
            int pos = (head + length) % ring.length;
            int chunk = Math.min(n - done, ring.length - pos);
            src.get(ring, pos, chunk);
            length += chunk;
            done += chunk;
        }
        return n;
    }

    /** Copies {@code len} octets starting {@code offset} octets after the front into {@code dst}. */
    void copyOut(int offset, byte[] dst, int dstOff, int len) {
        if (offset < 0 || len < 0 || offset + len > length) {
            throw new IndexOutOfBoundsException("offset " + offset + " len " + len + " of " + length);
        }
        for (int done = 0; done < len; ) {
            int pos = (head + offset + done) % ring.length;
            int chunk = Math.min(len - done, ring.length - pos);
            System.arraycopy(ring, pos, dst, dstOff + done, chunk);
            done += chunk;
        }
    }

    /** Drops {@code n} acknowledged octets from the front. */
    void consume(int n) {
        if (n < 0 || n > length) {
            throw new IndexOutOfBoundsException("consume " + n + " of " + length);
        }
        if (n == 0) {
            return;
        }
        head = (head + n) % ring.length;
        length -= n;
        if (length == 0) {
            head = 0;
        }
    }

    private void ensureStorage(int needed) {
        if (needed <= ring.length) {
            return;
        }
        int size = Math.max(ring.length, Math.min(INITIAL_STORAGE, capacity));
        while (size < needed) {
            size = (int) Math.min((long) size * 2, capacity);
        }
        byte[] bigger = new byte[size];
        if (length > 0) {
            copyOut(0, bigger, 0, length);
        }
        ring = bigger;
        head = 0;
    }
}
