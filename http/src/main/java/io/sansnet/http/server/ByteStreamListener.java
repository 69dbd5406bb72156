package io.sansnet.http.server;

import java.nio.ByteBuffer;

/** What a {@link ByteStream}'s transport tells the server, on the owning loop. */
public interface ByteStreamListener {

    /**
     * Bytes arrived. The listener may keep views of {@code data} after returning: then it returns true and the
     * transport must not reuse that buffer (it reads into a fresh one next); false hands the buffer back.
     */
    boolean onData(ByteBuffer data);

    /** The peer closed its sending side (TCP FIN). */
    void onEof();

    /** The transport can take more bytes after a write that was not taken whole. */
    void onWritable();

    /** The connection failed (reset, I/O error) or was closed by the transport; nothing more will be delivered. */
    void onClosed();
}
