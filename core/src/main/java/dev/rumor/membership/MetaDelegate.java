package dev.rumor.membership;

/**
 * Supplies this node's metadata (serf: its encoded tags), sent in every alive message about us.
 *
 * <p>Thread contract: called on the protocol thread at startup and on {@link Memberlist#updateNode};
 * must not block. The result must not exceed {@code limit} bytes ({@link MembershipConfig#META_MAX_SIZE}).
 */
@FunctionalInterface
public interface MetaDelegate {
    byte[] nodeMeta(int limit);
}
