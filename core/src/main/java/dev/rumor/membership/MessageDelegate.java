package dev.rumor.membership;

import java.util.List;

/**
 * The user-message channel of memberlist (type 8): how the serf layer rides on gossip.
 *
 * <p>Thread contract: both methods are called on the protocol thread and must not block (they delay
 * probes and acks). The buffer passed to {@link #notifyMsg} belongs to the delegate.
 */
public interface MessageDelegate {
    /** A user message arrived (gossiped, sent directly, or over a stream). */
    default void notifyMsg(byte[] msg) {
    }

    /**
     * Messages to piggyback on an outgoing packet. Each returned message costs its length plus
     * {@code overhead} bytes; the total must stay within {@code limit}.
     */
    default List<byte[]> getBroadcasts(int overhead, int limit) {
        return List.of();
    }
}
