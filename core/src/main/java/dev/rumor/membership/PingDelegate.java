package dev.rumor.membership;

import java.time.Duration;

/**
 * Adds a payload to our acks and observes round-trip times of our direct probes (serf: Vivaldi network
 * coordinates). Indirect and TCP-fallback probes are not reported: their RTT says nothing about the
 * direct path.
 *
 * <p>Thread contract: protocol thread; must not block. The payload array passed in is owned by the
 * delegate.
 */
public interface PingDelegate {
    /** Bytes to put in the {@code Payload} of every ack we send; null for none. */
    default byte[] ackPayload() {
        return null;
    }

    default void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
    }
}
