package dev.rumor.rpc;

import java.util.List;
import java.util.Map;

/**
 * What the RPC server needs from the agent. Keeps {@code rpc} free of cluster types: the agent adapts
 * its cluster to these wire-shaped calls. Errors are thrown as {@link RpcException} carrying serf's
 * message text, which the server sends as the response header's {@code Error}.
 *
 * <p>Thread contract: called from RPC connection threads, concurrently; implementations must be
 * thread-safe and may block (join, tags and leave wait for the cluster as serf does).
 */
public interface RpcBackend {

    List<RpcMember> members();

    /** @return the number of nodes contacted; a partial failure throws {@link JoinException} with the count */
    int join(List<String> addresses, boolean replay) throws RpcException;

    /** Graceful leave; the server answers, then calls {@link #shutdownAfterLeave()}. */
    void leave() throws RpcException;

    /** Called after the response to {@code leave} was written: the agent exits (0). */
    void shutdownAfterLeave();

    void forceLeave(String node, boolean prune) throws RpcException;

    void userEvent(String name, byte[] payload, boolean coalesce) throws RpcException;

    void updateTags(Map<String, String> set, List<String> delete) throws RpcException;

    /** Starts a query; the listener gets acks and responses, then exactly one {@code done}. */
    void query(QueryRequest request, QueryListener listener) throws RpcException;

    /** install-key, use-key, remove-key, list-keys. */
    KeyResponse keys(RpcCommand command, String key);

    /** section → key → value, all strings (serf's {@code stats}). */
    Map<String, Map<String, String>> stats();

    /** The {@code Coord} map of a node ({@code Adjustment, Error, Height, Vec}), or null if unknown. */
    Map<String, Object> coordinate(String node);

    /**
     * Subscribes to cluster events matching a serf filter ("*", "member-join,user:deploy").
     *
     * @throws RpcException {@link RpcCommand#ERR_INVALID_FILTER} on a bad filter
     */
    Subscription subscribe(String filter, EventSink sink) throws RpcException;

    /** Subscribes to log lines at {@code level} and above; recent lines are replayed first. */
    Subscription subscribeLogs(String level, java.util.function.Consumer<String> sink) throws RpcException;

    /** Receives query results. */
    interface QueryListener {
        void ack(String from);

        void response(String from, byte[] payload);

        void done();
    }

    /** Receives stream records; queries carry a responder that the server exposes by per-connection id. */
    interface EventSink {
        /** A member or user event, already in its wire form ({@code Event}, {@code Members}...). */
        void event(Map<String, Object> record);

        /** A query; {@code responder} answers it until its deadline. */
        void query(long ltime, String name, byte[] payload, long deadlineMillis, Responder responder);
    }

    @FunctionalInterface
    interface Responder {
        void respond(byte[] payload) throws RpcException;
    }

    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** A join that contacted fewer nodes than asked: serf still returns the count with the error. */
    final class JoinException extends RpcException {
        private static final long serialVersionUID = 1L;
        private final int joined;

        public JoinException(String message, int joined) {
            super(message);
            this.joined = joined;
        }

        public int joined() {
            return joined;
        }
    }
}
