package dev.rumor.cluster;

import dev.rumor.membership.Broadcast;
import dev.rumor.membership.TransmitLimitedQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf's three gossip queues (intents, queries, user events), piggybacked on memberlist packets in
 * that priority order. Every serf broadcast is unique (never replaced by a newer one); the retransmit
 * limit uses the number of serf members in any status.
 *
 * <p>Thread contract: not thread-safe; protocol thread.
 */
final class SerfBroadcasts {
    private static final Logger LOG = LoggerFactory.getLogger(SerfBroadcasts.class);

    final TransmitLimitedQueue intents;
    final TransmitLimitedQueue queries;
    final TransmitLimitedQueue events;

    SerfBroadcasts(IntSupplier numNodes, int retransmitMult) {
        intents = new TransmitLimitedQueue(numNodes, retransmitMult);
        queries = new TransmitLimitedQueue(numNodes, retransmitMult);
        events = new TransmitLimitedQueue(numNodes, retransmitMult);
    }

    /** Memberlist's {@code GetBroadcasts}: intents first, then queries, then events, within {@code limit}. */
    List<byte[]> get(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>(intents.getBroadcasts(overhead, limit));
        int used = used(out, overhead);
        List<byte[]> q = queries.getBroadcasts(overhead, limit - used);
        out.addAll(q);
        used += used(q, overhead);
        out.addAll(events.getBroadcasts(overhead, limit - used));
        return out;
    }

    private static int used(List<byte[]> msgs, int overhead) {
        int n = 0;
        for (byte[] m : msgs) {
            n += m.length + overhead;
        }
        return n;
    }

    static Broadcast unique(byte[] msg, Runnable finished) {
        return new Broadcast(null, msg, finished);
    }

    /** Warns at {@code warning} queued messages and drops the oldest beyond {@code max}. */
    void checkDepth(int warning, int max) {
        check("Intent", intents, warning, max);
        check("Event", events, warning, max);
        check("Query", queries, warning, max);
    }

    private static void check(String name, TransmitLimitedQueue q, int warning, int max) {
        int n = q.size();
        if (n >= warning) {
            LOG.warn("{} queue depth: {}", name, n);
        }
        if (n > max) {
            LOG.warn("{} queue depth ({}) exceeds limit ({}), dropping messages!", name, n, max);
            q.prune(max);
        }
    }
}
