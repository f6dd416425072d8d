package dev.rumor.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The originator's collector of one query's acks and responses (serf {@code QueryResponse}).
 *
 * <p>Beyond serf: at send time the originator counts the alive members that match the filters
 * ({@link #expected()}); the query finishes early once every one of them has responded (and acked, if
 * acks were requested) instead of always waiting for the deadline. Members that join later may still
 * answer until then. {@link #done()} completes when the query finishes either way.
 *
 * <p>Acks and responses are de-duplicated per node, as in serf. Late or duplicate answers are ignored.
 *
 * <p>Thread contract: thread-safe. Answers arrive on the protocol thread; listeners registered with
 * {@link #subscribe} are called there (first with what already arrived, on the caller's thread) and must
 * not block.
 */
public final class QueryResponses {
    /** Receives acks and responses as they arrive, then {@link #finished} once. */
    public interface Listener {
        default void ack(String from) {
        }

        default void response(NodeResponse r) {
        }

        default void finished() {
        }
    }

    private final String name;
    private final long ltime;
    private final long id;
    private final long deadlineNanos;
    private final long deadlineMillis;
    private final boolean ackRequested;
    private final Set<String> expected;
    private final Set<String> acks = new LinkedHashSet<>();
    private final List<NodeResponse> responses = new ArrayList<>();
    private final Set<String> responders = new LinkedHashSet<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final CompletableFuture<QueryResponses> done = new CompletableFuture<>();
    private boolean closed;

    QueryResponses(String name, long ltime, long id, long deadlineNanos, long deadlineMillis, boolean ackRequested,
                   Set<String> expected) {
        this.name = name;
        this.ltime = ltime;
        this.id = id;
        this.deadlineNanos = deadlineNanos;
        this.deadlineMillis = deadlineMillis;
        this.ackRequested = ackRequested;
        this.expected = Set.copyOf(expected);
    }

    public String name() {
        return name;
    }

    public long ltime() {
        return ltime;
    }

    long id() {
        return id;
    }

    /** Wall-clock deadline, epoch millis. */
    public long deadlineMillis() {
        return deadlineMillis;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    public boolean ackRequested() {
        return ackRequested;
    }

    /** How many nodes matched the filters when the query was sent (ourselves included if we match). */
    public int expected() {
        return expected.size();
    }

    public Set<String> expectedNodes() {
        return expected;
    }

    public synchronized Set<String> acks() {
        return Set.copyOf(acks);
    }

    public synchronized List<NodeResponse> responses() {
        return List.copyOf(responses);
    }

    public synchronized boolean isFinished() {
        return closed;
    }

    /** Completes (with this object) when the query finishes: early, at the deadline, or on shutdown. */
    public CompletableFuture<QueryResponses> done() {
        return done;
    }

    /**
     * Replays what already arrived, then streams the rest; {@code finished} is called once, last.
     *
     * <p>The replay happens while holding the lock: the protocol thread may finish the query at any moment
     * (early, once every expected node answered), and {@link #close()} must not reach this listener's
     * {@code finished} before its replayed acks and responses, or an RPC client would see {@code done}
     * first and drop them. Listeners only hand records on, so holding the lock for the replay is cheap.
     */
    public void subscribe(Listener l) {
        boolean wasClosed;
        synchronized (this) {
            acks.forEach(l::ack);
            responses.forEach(l::response);
            wasClosed = closed;
            if (!closed) {
                listeners.add(l);
            }
        }
        if (wasClosed) {
            l.finished();
        }
    }

    /** Convenience: a listener from lambdas. */
    public void subscribe(Consumer<String> onAck, Consumer<NodeResponse> onResponse, Runnable onFinished) {
        subscribe(new Listener() {
            @Override
            public void ack(String from) {
                onAck.accept(from);
            }

            @Override
            public void response(NodeResponse r) {
                onResponse.accept(r);
            }

            @Override
            public void finished() {
                onFinished.run();
            }
        });
    }

    /** @return false if ignored (closed, not requested, or a duplicate) */
    boolean addAck(String from) {
        List<Listener> ls;
        synchronized (this) {
            if (closed || !ackRequested || !acks.add(from)) {
                return false;
            }
            ls = List.copyOf(listeners);
        }
        ls.forEach(l -> l.ack(from));
        closeIfComplete();
        return true;
    }

    boolean addResponse(NodeResponse r) {
        List<Listener> ls;
        synchronized (this) {
            if (closed || !responders.add(r.from())) {
                return false;
            }
            responses.add(r);
            ls = List.copyOf(listeners);
        }
        ls.forEach(l -> l.response(r));
        closeIfComplete();
        return true;
    }

    private void closeIfComplete() {
        boolean complete;
        synchronized (this) {
            complete = !expected.isEmpty() && responders.containsAll(expected)
                    && (!ackRequested || acks.containsAll(expected));
        }
        if (complete) {
            close();
        }
    }

    void close() {
        List<Listener> ls;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ls = List.copyOf(listeners);
            listeners.clear();
        }
        ls.forEach(Listener::finished);
        done.complete(this);
    }
}
