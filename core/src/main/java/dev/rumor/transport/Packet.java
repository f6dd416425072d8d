package dev.rumor.transport;

import java.net.InetSocketAddress;

/**
 * One datagram as received. {@code receivedNanos} is taken on the {@link dev.rumor.time.Clock} of the
 * transport as close to receipt as possible, because RTT measurement (Vivaldi coordinates) uses it.
 * The buffer belongs to the receiver; the transport never reuses it.
 */
public record Packet(byte[] buf, InetSocketAddress from, long receivedNanos) {
}
