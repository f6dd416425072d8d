package dev.rumor.plugins.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

/**
 * One request/response over HAProxy's CLI (stats socket or master socket): connect, send one line,
 * half-close, read to EOF. HAProxy's non-interactive mode answers one line of commands and then closes;
 * the master CLI only answers after the half-close (it otherwise waits for more input).
 *
 * <p>Non-blocking with a selector so a hung HAProxy cannot stall the caller past {@code timeout}
 * (unix-domain channels have no socket-level read timeout). Thread contract: stateless, any thread.
 */
final class CliExchange {
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;

    private CliExchange() {
    }

    static String exchange(RuntimeEndpoint endpoint, String line, Duration timeout) throws IOException {
        SocketAddress address = endpoint.resolved();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                // A TCP connect to an unreachable host would otherwise block for minutes.
                channel.register(selector, SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) {
                    await(selector, deadline, endpoint, line);
                }
            }
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline, endpoint, line);
                channel.write(out);
            }
            channel.shutdownOutput();
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (true) {
                await(selector, deadline, endpoint, line);
                int n = channel.read(in);
                if (n < 0) {
                    break;
                }
                response.write(in.array(), 0, in.position());
                in.clear();
                if (response.size() > MAX_RESPONSE) {
                    throw new IOException(endpoint.text() + ": response to '" + line + "' exceeds "
                            + MAX_RESPONSE + " bytes");
                }
            }
            return response.toString(StandardCharsets.UTF_8);
        } catch (SocketException e) {
            throw explain(endpoint, e);
        }
    }

    private static void await(Selector selector, long deadline, RuntimeEndpoint endpoint, String line)
            throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            // select() returns at once while the flag is set; don't spin until the deadline (handler closing).
            throw new InterruptedIOException(endpoint.text() + ": interrupted during '" + line + "'");
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || selector.select(Math.max(1, remaining / 1_000_000)) == 0
                && System.nanoTime() - deadline >= 0) {
            throw new SocketTimeoutException(endpoint.text() + ": no answer to '" + line + "' in time");
        }
        selector.selectedKeys().clear();
    }

    /** Turns the JDK's terse errno text into something an operator can act on. */
    private static IOException explain(RuntimeEndpoint endpoint, SocketException e) {
        String msg = String.valueOf(e.getMessage());
        if (endpoint.address() instanceof UnixDomainSocketAddress unix) {
            if (!Files.exists(unix.getPath())) {
                return new IOException(endpoint.text() + ": socket does not exist (is HAProxy running, with a "
                        + "'stats socket " + unix.getPath() + " level admin' line?)", e);
            }
            if (msg.contains("Permission denied")) {
                return new IOException(endpoint.text() + ": permission denied (give the agent's user access: "
                        + "socket mode/group, e.g. 'stats socket ... mode 660 group haproxy')", e);
            }
            if (msg.contains("Connection refused")) {
                return new IOException(endpoint.text() + ": connection refused (stale socket; HAProxy not "
                        + "running?)", e);
            }
        }
        return new IOException(endpoint.text() + ": " + msg, e);
    }
}
