package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfMessageType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Intents about nodes we do not know yet (serf {@code recentIntents}). Gossip may deliver a node's join
 * or leave intent before memberlist tells us the node exists; the newest intent per node is kept for a
 * while and applied when the node shows up, so its status and status time start right.
 *
 * <p>Thread contract: not thread-safe; protocol thread.
 */
final class RecentIntents {
    private record Intent(SerfMessageType type, long ltime, long wallNanos) {
    }

    private final Map<String, Intent> intents = new HashMap<>();

    /**
     * Records the intent if it is the first for {@code node} or newer than the stored one.
     *
     * @return true if recorded (so it is news worth re-broadcasting)
     */
    boolean upsert(String node, SerfMessageType type, long ltime, long nowNanos) {
        Intent old = intents.get(node);
        if (old == null || Long.compareUnsigned(ltime, old.ltime) > 0) {
            intents.put(node, new Intent(type, ltime, nowNanos));
            return true;
        }
        return false;
    }

    /** The LTime of the stored intent of this type, or -1 if the latest intent is of another type or absent. */
    long ltimeOf(String node, SerfMessageType type) {
        Intent i = intents.get(node);
        return i != null && i.type == type ? i.ltime : -1;
    }

    void reap(long nowNanos, long timeoutNanos) {
        for (Iterator<Intent> it = intents.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().wallNanos > timeoutNanos) {
                it.remove();
            }
        }
    }

    int size() {
        return intents.size();
    }
}
