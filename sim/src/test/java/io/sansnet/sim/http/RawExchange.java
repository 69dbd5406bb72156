package io.sansnet.sim.http;

import io.sansnet.sim.SimHost;
import io.sansnet.stack.app.AppError;
import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.Promise;
import io.sansnet.stack.app.TcpStream;
import io.sansnet.stack.wire.IpAddress;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP client on a simulated host, for tests: one connection, sends some bytes, reads until the server's FIN,
 * closes. Completes with everything read, or fails when the connection ends otherwise.
 */
final class RawExchange {
    private final TcpStream stream;
    private final ByteBuffer out;
    private final Promise<byte[]> done;
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);

    private RawExchange(TcpStream stream, byte[] request, Promise<byte[]> done) {
        this.stream = stream;
        this.out = ByteBuffer.wrap(request);
        this.done = done;
    }

    /** Connects from {@code client} to {@code server}:{@code port}, sends {@code request}, reads to EOF. */
    static AppFuture<byte[]> exchange(SimHost client, IpAddress server, int port, byte[] request) {
        Promise<byte[]> done = client.newPromise();
        client.connect(server, port).onComplete(r -> {
            if (!r.isOk()) {
                done.fail(r.error());
                return;
            }
            RawExchange x = new RawExchange(r.value(), request, done);
            r.value().onWritable(x::send);
            r.value().onReadable(x::read);
            r.value()
                    .closed()
                    .onComplete(c -> done.fail(new AppError(
                            AppError.Kind.CLOSED,
                            "connection ended (" + c + ") before EOF after " + x.got.size() + " bytes")));
            x.send();
        });
        return done;
    }

    private void send() {
        if (out.hasRemaining()) {
            stream.send(out);
        }
    }

    private void read() {
        while (!done.isDone()) {
            in.clear();
            int n = stream.receive(in);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                done.complete(got.toByteArray());
                stream.close();
                return;
            }
            got.write(in.array(), 0, n);
        }
    }

    /** The status code of the first status line of {@code reply}, or -1. */
    static int status(byte[] reply) {
        String s = new String(reply, StandardCharsets.ISO_8859_1);
        if (!s.startsWith("HTTP/1.1 ") || s.length() < 12) {
            return -1;
        }
        try {
            return Integer.parseInt(s.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
