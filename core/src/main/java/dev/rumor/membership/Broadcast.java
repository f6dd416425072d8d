package dev.rumor.membership;

/**
 * One message waiting in a {@link TransmitLimitedQueue}. {@code name} identifies what the message is
 * about (memberlist: the node name); a newer broadcast with the same name replaces the queued one.
 * A null name makes the broadcast unique (never replaced, never replacing).
 *
 * <p>{@code accuser} is set only on a suspect message (its {@code From}). Such a broadcast replaces
 * only the queued suspect about the same node <em>from the same accuser</em> (and a queued broadcast
 * about that node without accuser, as memberlist does), so independent suspicions of one node travel
 * side by side and Lifeguard's confirmations reach the other nodes; a broadcast without accuser about
 * the node (alive, dead) replaces all of them. See {@link TransmitLimitedQueue}.
 *
 * @param accuser  who suspects {@code name}, for a suspect message; null for everything else
 * @param message  the encoded message (type byte + body), handed out as is
 * @param finished called once when the broadcast leaves the queue, either replaced or after its last
 *                 transmission; may be null. Called on the thread that drives the queue.
 */
public record Broadcast(String name, String accuser, byte[] message, Runnable finished) {

    /** A broadcast keyed by {@code name} alone (everything except suspect messages). */
    public Broadcast(String name, byte[] message, Runnable finished) {
        this(name, null, message, finished);
    }

    void finish() {
        if (finished != null) {
            finished.run();
        }
    }
}
