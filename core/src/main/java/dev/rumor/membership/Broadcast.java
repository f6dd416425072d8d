package dev.rumor.membership;

/**
 * One message waiting in a {@link TransmitLimitedQueue}. {@code name} identifies what the message is
 * about (memberlist: the node name); a newer broadcast with the same name replaces the queued one.
 * A null name makes the broadcast unique (never replaced, never replacing).
 *
 * @param message  the encoded message (type byte + body), handed out as is
 * @param finished called once when the broadcast leaves the queue, either replaced or after its last
 *                 transmission; may be null. Called on the thread that drives the queue.
 */
public record Broadcast(String name, byte[] message, Runnable finished) {
    void finish() {
        if (finished != null) {
            finished.run();
        }
    }
}
