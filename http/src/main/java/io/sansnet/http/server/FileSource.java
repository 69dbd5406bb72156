package io.sansnet.http.server;

import java.util.List;

/**
 * Where static files come from. The protocol code never touches a file system: a driver or the CLI provides this
 * (the socket driver's directory source, an in-memory map in tests). Paths arrive already percent-decoded and
 * normalised to segments inside the root (no "", ".", ".." segments, no NUL or separators in them); the source must
 * still refuse anything that resolves outside its root (symbolic links).
 */
public interface FileSource {

    /** The outcome of {@link #lookup}. */
    sealed interface Lookup {
        /** A regular file (a directory resolves to its {@code index.html}). */
        record Found(FileEntry file) implements Lookup {}

        record NotFound() implements Lookup {}

        /** Exists but must not be served (it resolves outside the root, or is not readable). */
        record Forbidden(String reason) implements Lookup {}
    }

    /** One file that can be served. */
    interface FileEntry {
        /** The file's name (last segment), for the Content-Type. */
        String name();

        long size();

        /** Last modification, in seconds since the epoch. */
        long lastModifiedEpochSeconds();

        /** A body of {@code length} bytes starting at {@code offset}, read as the connection sends it. */
        BodySource open(long offset, long length) throws Exception;
    }

    Lookup lookup(List<String> segments);
}
