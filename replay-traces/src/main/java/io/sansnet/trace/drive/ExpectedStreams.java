package io.sansnet.trace.drive;

/**
 * The byte streams a connection is expected to carry, when known from elsewhere than the capture being replayed (the
 * {@code replay --extract} files of a known-good capture, or the file that was sent). With them the replayed
 * endpoint's application writes {@code replaced} stream bytes, sansnet's delivery is compared with the peer's stream,
 * and every captured payload of the replaced endpoint is compared with its stream: a capture whose payload was
 * altered (and its checksum fixed) then diverges at the altered packet, which a capture compared only with itself
 * cannot show.
 *
 * @param client the bytes the client (the first SYN's sender) sent
 * @param server the bytes the server sent
 */
public record ExpectedStreams(byte[] client, byte[] server) {
    public ExpectedStreams {
        if (client == null || server == null) {
            throw new IllegalArgumentException("both streams are needed");
        }
    }
}
