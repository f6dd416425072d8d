package dev.rumor.transport;

import dev.rumor.time.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link NetTransport}.
 *
 * @param bindAddress       local IP to listen on (UDP and TCP); the wildcard address listens everywhere
 * @param bindPort          gossip port for both UDP and TCP; 0 picks a free port (the same number for both)
 * @param advertiseAddress  IP announced to peers; null derives it from the bind address (a private IP of this
 *                          host when bound to the wildcard, like memberlist's {@code FinalAdvertiseAddr})
 * @param advertisePort     port announced to peers; 0 means the bound port
 * @param tcpTimeout        deadline for one whole inbound stream (read request, answer, write reply);
 *                          memberlist's {@code TCPTimeout}, 10 s in the LAN profile
 * @param maxInboundStreams inbound streams handled concurrently; more are closed at once (memberlist caps
 *                          concurrent push/pulls at 128)
 * @param maxOutboundStreams outbound exchanges running concurrently; more wait in a queue (their timeout runs)
 * @param clock             source of the packet timestamps (RTT measurement)
 */
public record NetTransportConfig(InetAddress bindAddress, int bindPort, InetAddress advertiseAddress, int advertisePort,
                                 Duration tcpTimeout, int maxInboundStreams, int maxOutboundStreams, Clock clock) {

    public static final Duration DEFAULT_TCP_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_INBOUND_STREAMS = 128;
    public static final int DEFAULT_MAX_OUTBOUND_STREAMS = 32;

    public NetTransportConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tcpTimeout, "tcpTimeout");
        Objects.requireNonNull(clock, "clock");
        if (bindPort < 0 || bindPort > 65535 || advertisePort < 0 || advertisePort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (tcpTimeout.isNegative() || tcpTimeout.isZero()) {
            throw new IllegalArgumentException("tcpTimeout must be positive");
        }
        if (maxInboundStreams < 1 || maxOutboundStreams < 1) {
            throw new IllegalArgumentException("stream limits must be positive");
        }
    }

    /** Defaults for everything except where to listen. */
    public static NetTransportConfig bind(InetAddress address, int port) {
        return new NetTransportConfig(address, port, null, 0, DEFAULT_TCP_TIMEOUT, DEFAULT_MAX_INBOUND_STREAMS,
                DEFAULT_MAX_OUTBOUND_STREAMS, Clock.SYSTEM);
    }

    public static NetTransportConfig bind(InetSocketAddress address) {
        return bind(address.getAddress(), address.getPort());
    }

    /** {@code address} null or port 0 keep the derived value. */
    public NetTransportConfig withAdvertise(InetAddress address, int port) {
        return new NetTransportConfig(bindAddress, bindPort, address, port, tcpTimeout, maxInboundStreams,
                maxOutboundStreams, clock);
    }

    public NetTransportConfig withTcpTimeout(Duration timeout) {
        return new NetTransportConfig(bindAddress, bindPort, advertiseAddress, advertisePort, timeout, maxInboundStreams,
                maxOutboundStreams, clock);
    }

    public NetTransportConfig withStreamLimits(int inbound, int outbound) {
        return new NetTransportConfig(bindAddress, bindPort, advertiseAddress, advertisePort, tcpTimeout, inbound,
                outbound, clock);
    }

    public NetTransportConfig withClock(Clock c) {
        return new NetTransportConfig(bindAddress, bindPort, advertiseAddress, advertisePort, tcpTimeout,
                maxInboundStreams, maxOutboundStreams, c);
    }
}
