package dev.rumor.membership;

/**
 * Told when an alive message claims a known, live node name for a different address (a name conflict;
 * serf resolves it with a vote).
 *
 * <p>Thread contract: protocol thread; must not block.
 */
@FunctionalInterface
public interface ConflictDelegate {
    void notifyConflict(Node existing, Node other);
}
