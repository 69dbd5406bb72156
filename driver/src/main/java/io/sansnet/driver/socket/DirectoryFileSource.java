package io.sansnet.driver.socket;

import io.sansnet.http.server.BodySource;
import io.sansnet.http.server.FileSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Static files from a directory (the {@code --root} of {@code sansnet serve}). The server hands over normalised
 * segments; this class resolves them, follows symbolic links and refuses any file whose real path is outside the
 * root's real path. Reads are plain blocking {@link FileChannel} reads on the loop thread, in pieces as the connection
 * sends them: fine for local disks and the page cache, not for network file systems.
 */
public final class DirectoryFileSource implements FileSource {

    /** Served for a directory. */
    public static final String INDEX = "index.html";

    private final Path root;

    /** @throws IOException if {@code root} is not an existing directory */
    public DirectoryFileSource(Path root) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) throw new IOException("not a directory: " + root);
        this.root = real;
    }

    public Path root() {
        return root;
    }

    @Override
    public Lookup lookup(List<String> segments) {
        Path p = root;
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\0') >= 0)
                return new Lookup.Forbidden("bad segment");
            p = p.resolve(s);
        }
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return new Lookup.NotFound();
            Path real = p.toRealPath();
            if (!real.startsWith(root)) return new Lookup.Forbidden("outside the root");
            if (Files.isDirectory(real)) {
                Path index = real.resolve(INDEX);
                if (!Files.exists(index, LinkOption.NOFOLLOW_LINKS)) return new Lookup.NotFound();
                real = index.toRealPath();
                if (!real.startsWith(root)) return new Lookup.Forbidden("outside the root");
            }
            if (!Files.isRegularFile(real)) return new Lookup.Forbidden("not a regular file");
            if (!Files.isReadable(real)) return new Lookup.Forbidden("not readable");
            return new Lookup.Found(new Entry(
                    real, Files.size(real), Files.getLastModifiedTime(real).toMillis() / 1000));
        } catch (IOException | SecurityException e) {
            return new Lookup.NotFound();
        }
    }

    private record Entry(Path path, long size, long lastModifiedEpochSeconds) implements FileEntry {
        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public BodySource open(long offset, long length) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            return new BodySource() {
                private long pos = offset;
                private final long end = offset + length;

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    if (pos >= end) return END;
                    if (dst.remaining() > end - pos) dst.limit(dst.position() + (int) (end - pos));
                    int n = ch.read(dst, pos);
                    // The file shrank under us: fail, so the connection closes instead of sending a short body.
                    if (n < 0) throw new IOException("file ended early: " + path);
                    pos += n;
                    return n;
                }

                @Override
                public void close() {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // read-only file
                    }
                }
            };
        }
    }
}
