package dev.rumor.membership;

/**
 * Membership changes as this node sees them (memberlist {@code EventDelegate}).
 *
 * <p>Thread contract: called on the protocol thread, synchronously inside the state transition; must
 * not block and must not call back into {@link Memberlist} synchronously (hand work to another thread
 * or to {@code scheduler.execute}).
 */
public interface EventDelegate {
    /** A node became alive: new, or was dead/left. Also fired for ourselves at startup. */
    default void notifyJoin(Node node) {
    }

    /** A node was declared dead or left; {@link Node#status()} tells which. */
    default void notifyLeave(Node node) {
    }

    /** An alive node's metadata changed. */
    default void notifyUpdate(Node node) {
    }
}
