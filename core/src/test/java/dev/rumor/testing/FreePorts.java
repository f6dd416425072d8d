package dev.rumor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Random;

/**
 * Ephemeral loopback ports for processes that need a port number on their command line. The port is found by
 * binding port 0 and releasing it, so another process may take it before ours binds: callers must retry on a
 * bind failure (as {@link SerfAgent} does). {@link #belowEphemeralRange} avoids that race when many processes
 * start at once.
 */
public final class FreePorts {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Next candidate of {@link #belowEphemeralRange}; a random start keeps parallel test JVMs apart. */
    private static int nextLow = 20000 + new Random().nextInt(8000);

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

    /**
     * A port from below Linux's ephemeral range (32768–60999), handed out in order and checked free for TCP
     * (and UDP if {@code udpToo}). A port found by binding port 0 is itself ephemeral, so when a hundred
     * processes open outgoing connections one of them may take it before its owner binds it (the process
     * benchmark lost agents to "address already in use" that way); ports below the range are never handed
     * out for outgoing connections.
     */
    public static synchronized int belowEphemeralRange(boolean udpToo) {
        for (int tries = 0; tries < 4000; tries++) {
            int port = nextLow++;
            if (nextLow >= 32000) {
                nextLow = 20000;
            }
            if (free(port, udpToo)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port below the ephemeral range");
    }

    private static boolean free(int port, boolean udpToo) {
        InetSocketAddress a = new InetSocketAddress(LOOPBACK, port);
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.bind(a);
            if (udpToo) {
                new DatagramSocket(a).close();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
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
