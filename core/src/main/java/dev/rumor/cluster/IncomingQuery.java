package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfMessage;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A query delivered to this node (serf {@code Query} event). Answer it at most once with
 * {@link #respond}, before {@link #deadlineMillis()}.
 *
 * <p>Thread contract: thread-safe; {@link #respond} may be called from any thread (event handlers run on
 * their own threads) and does not block.
 */
public final class IncomingQuery {
    private final SerfMessage.Query msg;
    private final long deadlineNanos;
    private final long deadlineMillis;
    private final Queries queries;
    private final AtomicBoolean responded = new AtomicBoolean();

    IncomingQuery(SerfMessage.Query msg, long deadlineNanos, long deadlineMillis, Queries queries) {
        this.msg = msg;
        this.deadlineNanos = deadlineNanos;
        this.deadlineMillis = deadlineMillis;
        this.queries = queries;
    }

    public long ltime() {
        return msg.ltime();
    }

    public String name() {
        return msg.name();
    }

    public byte[] payload() {
        return msg.payload() == null ? null : msg.payload().clone();
    }

    /** The originator's node name. */
    public String sourceNode() {
        return msg.sourceNode();
    }

    /** Wall clock, epoch millis: receive time + the query's timeout. */
    public long deadlineMillis() {
        return deadlineMillis;
    }

    long id() {
        return msg.id();
    }

    SerfMessage.Query message() {
        return msg;
    }

    /**
     * Sends {@code payload} (may be null) directly to the originator, and through relays if it asked for them.
     *
     * @throws IllegalStateException with serf's texts: "failed to respond to key query: response exceeds limit
     *         of 1024 bytes", "... response already sent", "... response is past the deadline"
     */
    public void respond(byte[] payload) {
        byte[] copy = payload == null ? null : Arrays.copyOf(payload, payload.length);
        queries.respond(this, copy, deadlineNanos, responded);
    }

    @Override
    public String toString() {
        return "query: " + msg.name();
    }
}
