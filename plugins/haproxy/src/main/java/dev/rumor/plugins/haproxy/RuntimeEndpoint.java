package dev.rumor.plugins.haproxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where HAProxy's CLI listens: a unix socket path, or {@code tcp:HOST:PORT} for a {@code stats socket ipv4@...}.
 *
 * @param address the socket address to connect to
 * @param text    the setting as written, for log messages
 */
record RuntimeEndpoint(SocketAddress address, String text) {

    static RuntimeEndpoint parse(String key, String value) {
        if (value.startsWith("tcp:")) {
            String hostPort = value.substring(4);
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException(key + ": expected tcp:HOST:PORT, got " + value);
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": invalid port in " + value);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(key + ": invalid port in " + value);
            }
            return new RuntimeEndpoint(InetSocketAddress.createUnresolved(host, port), value);
        }
        String path = value.startsWith("unix:") ? value.substring(5) : value;
        if (path.isBlank()) {
            throw new IllegalArgumentException(key + ": empty socket path");
        }
        return new RuntimeEndpoint(UnixDomainSocketAddress.of(Path.of(path)), value);
    }

    /** Resolves a tcp host at connect time (so DNS changes are seen), leaves unix paths alone. */
    SocketAddress resolved() {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new InetSocketAddress(inet.getHostString(), inet.getPort());
        }
        return address;
    }
}
