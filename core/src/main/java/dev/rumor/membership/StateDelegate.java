package dev.rumor.membership;

/**
 * Application state exchanged in every push/pull (serf: clocks, intents, recent events).
 *
 * <p>Thread contract: called on the protocol thread; must not block. {@code join} is true for the
 * exchange of a join (ours or a peer's), false for periodic anti-entropy.
 */
public interface StateDelegate {
    /** Bytes appended to our push/pull; null or empty for none. */
    default byte[] localState(boolean join) {
        return new byte[0];
    }

    /** The peer's bytes from its push/pull, after the membership part was merged. */
    default void mergeRemoteState(byte[] state, boolean join) {
    }
}
