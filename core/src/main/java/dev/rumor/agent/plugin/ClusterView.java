package dev.rumor.agent.plugin;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.QueryEvent;
import java.util.List;

/**
 * What the plugin host needs from the running agent. The agent implements it over its cluster facade,
 * mapping internal node types to plugin-api {@link Member} records.
 *
 * <p>Thread contract: called from the dispatching thread ({@link #self()} when a filter selects by local
 * tags) and from handler worker threads; implementations must be thread-safe and must not block
 * on the protocol thread (return a snapshot).
 */
public interface ClusterView {

    /** The local node as it is now, with its current tags. */
    Member self();

    /** Every member the local node knows, in any status. */
    List<Member> members();

    /**
     * Sends {@code payload} as this node's response to {@code query}.
     *
     * @return false when the deadline passed, the query was already answered, or the payload is too large
     */
    boolean respond(QueryEvent query, byte[] payload);
}
