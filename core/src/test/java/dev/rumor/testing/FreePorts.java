package dev.rumor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ephemeral loopback ports for processes that need a port number on their command line. The port is found by
 * binding port 0 and releasing it, so another process may take it before ours binds: callers must retry on a
 * bind failure (as {@link SerfAgent} does).
 */
public final class FreePorts {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FreePorts() {
    }

    /** A port currently free for both TCP and UDP, as a gossip port needs. */
    public static int gossipPort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(LOOPBACK, 0));
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                }
            } catch (IOException e) {
                // UDP half taken: try another port
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on loopback");
    }

    /** A port currently free for TCP. */
    public static int tcpPort() {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(LOOPBACK, 0));
            return tcp.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
