package dev.rumor.agent;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * serf's address flags: {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address. Names
 * are resolved here, once, at startup (resolution may block).
 */
final class HostPort {
    private HostPort() {
    }

    static InetSocketAddress parse(String text, int defaultPort) {
        String s = text.trim();
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Invalid address: " + text);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), text);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("Invalid address: " + text);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(s.substring(s.indexOf(':') + 1), text);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Invalid address: " + text);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Cannot resolve " + host + ": " + e.getMessage());
        }
    }

    private static int port(String p, String text) {
        try {
            int port = Integer.parseInt(p);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid port in address: " + text);
        }
    }

    /** {@code ip:port}, with brackets for IPv6, as serf prints addresses. */
    static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip == null ? a.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** serf's default node name (os.Hostname). */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "rumor";
        }
    }
}
