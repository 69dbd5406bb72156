package io.sansnet.stack.app;

import io.sansnet.stack.wire.IpAddress;
import java.util.function.Consumer;

/**
 * TCP for application code (RFC 9293 §3.9.1 OPEN, active and passive). A host that offers TCP implements this beside
 * {@link AppHost}; a simulated host and the TUN driver do it by wrapping the same sans-io layer
 * ({@code io.sansnet.stack.tcp.TcpLayerTransport}). Called on the owning loop only; every callback runs there.
 *
 * <p>Failures are values: a refused connection fails with {@link AppError.Kind#REFUSED} (detail starting with
 * {@link #REFUSED}), a reset one with {@link AppError.Kind#RESET} (detail starting with {@link #RESET}); a connect
 * that got no answer fails with {@link AppError.Kind#TIMED_OUT}, one answered by ICMP destination unreachable with
 * {@link AppError.Kind#NO_ROUTE}.
 */
public interface TcpTransport {

    /** The start of the detail of a connect refused by the peer (a RST answered the SYN). */
    String REFUSED = "refused";

    /** The start of the detail of a connection reset or aborted before it was established. */
    String RESET = "reset";

    /**
     * Active OPEN to {@code address}:{@code port} from an ephemeral port: completes with the stream once the
     * handshake completed (RFC 9293 §3.10.1), or fails as the class documentation says.
     */
    AppFuture<TcpStream> connect(IpAddress address, int port);

    /**
     * Passive OPEN on {@code port} (1..65535) with a {@code backlog} of connections not yet established or accepted;
     * {@code acceptHandler} receives each established stream. Fails with {@link AppError.Kind#ADDRESS_IN_USE} or
     * {@link AppError.Kind#INVALID_ARGUMENT}.
     */
    AppResult<TcpServer> listen(int port, int backlog, Consumer<TcpStream> acceptHandler);
}
