package dev.rumor.plugin;

import dev.rumor.plugin.event.QueryEvent;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;

/**
 * What the host gives a handler instance. Thread contract: every method may be called from any thread.
 */
public interface HandlerContext {

    /** The instance name from the agent config (unique per agent). */
    String instanceName();

    /** The local node as it is now (its tags change on reload or {@code rumor tags}). */
    Member self();

    /** Every member the local node knows, in any status, as it is now. */
    List<Member> members();

    /** A logger named after the instance. */
    Logger logger();

    /** A directory owned by this instance (created on first call), for state that survives restarts. */
    Path dataDirectory();

    /**
     * Answers a query. Only the first response per query is sent.
     *
     * @return true if the response was sent; false if the deadline passed, the query was already answered,
     *         or the payload is over the cluster's response size limit
     */
    boolean respond(QueryEvent query, byte[] payload);
}
