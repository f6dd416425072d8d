package dev.rumor.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * Broadcasts waiting to be piggybacked on gossip, pings and acks (memberlist {@code queue.go}).
 *
 * <p>Order: fewest transmissions first; within a tier the larger message first; among equal sizes the
 * newest first. Each call to {@link #getBroadcasts} fills the given byte budget greedily in that order
 * and counts one transmission per returned message. After {@code retransmitMult × ceil(log10(n + 1))}
 * transmissions (n = the cluster size as the supplier reports it <em>now</em>) a broadcast is dropped and
 * its {@code finished} callback runs. At most one broadcast per name is queued: a new one replaces
 * (and finishes) the old one, which is how "alive about X at incarnation 5" silently supersedes
 * "suspect X at 4".
 *
 * <p>Thread contract: not thread-safe; membership drives it on the protocol thread. The serf layer uses
 * its own instances on its own thread.
 */
public final class TransmitLimitedQueue {
    private final IntSupplier numNodes;
    private final int retransmitMult;
    private final TreeSet<Item> queue = new TreeSet<>();
    private final Map<String, Item> byName = new HashMap<>();
    private long idGen;

    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult) {
        this.numNodes = numNodes;
        this.retransmitMult = retransmitMult;
    }

    public void queue(Broadcast b) {
        queue(b, 0);
    }

    /** Queues with an initial transmit count (tests exercise the tiers with it). */
    void queue(Broadcast b, int initialTransmits) {
        Item item = new Item(b, initialTransmits, ++idGen);
        if (b.name() != null) {
            Item old = byName.remove(b.name());
            if (old != null) {
                queue.remove(old);
                old.b.finish();
            }
            byName.put(b.name(), item);
        }
        queue.add(item);
    }

    /**
     * Takes as many broadcasts as fit in {@code limit} bytes, charging {@code overhead} bytes per
     * message on top of its length.
     */
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        if (queue.isEmpty()) {
            return List.of();
        }
        int transmitLimit = ProtocolMath.retransmitLimit(retransmitMult, numNodes.getAsInt());
        List<byte[]> out = new ArrayList<>();
        List<Item> reinsert = new ArrayList<>();
        int used = 0;
        Iterator<Item> it = queue.iterator();
        while (it.hasNext()) {
            int free = limit - used - overhead;
            if (free <= 0) {
                break;
            }
            Item cur = it.next();
            if (cur.b.message().length > free) {
                continue;
            }
            it.remove();
            used += overhead + cur.b.message().length;
            out.add(cur.b.message());
            if (cur.transmits + 1 >= transmitLimit) {
                if (cur.b.name() != null) {
                    byName.remove(cur.b.name());
                }
                cur.b.finish();
            } else {
                reinsert.add(new Item(cur.b, cur.transmits + 1, cur.id));
            }
        }
        for (Item i : reinsert) {
            queue.add(i);
            if (i.b.name() != null) {
                byName.put(i.b.name(), i);
            }
        }
        if (queue.isEmpty()) {
            idGen = 0;
        }
        return out;
    }

    /** Keeps the {@code maxRetain} freshest broadcasts, finishing the rest (most transmitted first). */
    public void prune(int maxRetain) {
        while (queue.size() > maxRetain) {
            Item last = queue.pollLast();
            if (last.b.name() != null) {
                byName.remove(last.b.name());
            }
            last.b.finish();
        }
    }

    /** Finishes and drops everything. */
    public void reset() {
        for (Item i : queue) {
            i.b.finish();
        }
        queue.clear();
        byName.clear();
        idGen = 0;
    }

    public int size() {
        return queue.size();
    }

    /** Queued messages in transmit order (for tests and diagnostics). */
    List<Broadcast> orderedView() {
        List<Broadcast> out = new ArrayList<>(queue.size());
        for (Item i : queue) {
            out.add(i.b);
        }
        return out;
    }

    /** Transmit count of the queued broadcast with this name, or -1. */
    int transmits(String name) {
        Item i = byName.get(name);
        return i == null ? -1 : i.transmits;
    }

    private static final class Item implements Comparable<Item> {
        final Broadcast b;
        final int transmits;
        final long id;

        Item(Broadcast b, int transmits, long id) {
            this.b = b;
            this.transmits = transmits;
            this.id = id;
        }

        @Override
        public int compareTo(Item o) {
            if (transmits != o.transmits) {
                return Integer.compare(transmits, o.transmits);
            }
            int len = b.message().length;
            int olen = o.b.message().length;
            if (len != olen) {
                return Integer.compare(olen, len);
            }
            return Long.compare(o.id, id);
        }
    }
}
