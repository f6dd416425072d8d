package dev.rumor.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * its {@code finished} callback runs.
 *
 * <p>Invalidation (a replaced broadcast is dropped and finished at once):
 * <ul>
 *   <li>a broadcast without accuser about X (alive, dead; anything of the serf layer) replaces every
 *       queued broadcast about X — which is how "alive about X at incarnation 5" silently supersedes
 *       "suspect X at 4" (and all other suspects of X);</li>
 *   <li>a suspect about X from accuser A replaces the queued broadcast about X without accuser and the
 *       queued suspect of X from A, but not suspects of X from other accusers;</li>
 *   <li>at most {@code suspectsPerName} suspects about one X are queued; a further accuser evicts the one
 *       transmitted most (it has spread furthest already).</li>
 * </ul>
 * With {@code suspectsPerName = 1} this is memberlist's queue exactly: one broadcast per node name.
 *
 * <p>Why more than one: memberlist keys its queue by node name only, so a second accuser's suspect
 * replaces the first one's in every queue it reaches, and the first accuser re-gossiping a confirmation
 * stops spreading its own accusation. Lifeguard's timeout shrinks only with <em>distinct</em> accusers
 * (a suspect from an accuser already counted is ignored), so those replacements throw away exactly the
 * information the timer needs. (In practice each peer's own failed probe of the node is a confirmation
 * too, so timers reach k either way; see the package documentation for the measurements.) A node
 * re-gossips only the suspect that started its timer and at most {@code k = suspicionMult − 2} new
 * confirmations ({@link Suspicion#confirm}), so {@code k + 1} suspects
 * per node is all that can carry information; that is the bound {@link Memberlist} uses when
 * {@link MembershipConfig#independentSuspicions()} is on (off by default; see the package documentation
 * for what it measurably changes). The wire format does not change: peers receive more suspect messages,
 * which their own suspicion logic already counts.
 *
 * <p>Thread contract: not thread-safe; membership drives it on the protocol thread. The serf layer uses
 * its own instances on its own thread.
 */
public final class TransmitLimitedQueue {
    private final IntSupplier numNodes;
    private final int retransmitMult;
    private final int suspectsPerName;
    private final TreeSet<Item> queue = new TreeSet<>();
    private Map<String, Slot> byName = new HashMap<>();
    /** Most names {@link #byName} held since it was last emptied; a HashMap never shrinks its table. */
    private int byNamePeak;
    private long idGen;

    /** A queue with memberlist's rule: one broadcast per name. */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult) {
        this(numNodes, retransmitMult, 1);
    }

    /**
     * @param suspectsPerName how many suspects about one name (from distinct accusers) may be queued
     *                        side by side; 1 = memberlist
     */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult, int suspectsPerName) {
        if (suspectsPerName < 1) {
            throw new IllegalArgumentException("suspectsPerName must be >= 1");
        }
        this.numNodes = numNodes;
        this.retransmitMult = retransmitMult;
        this.suspectsPerName = suspectsPerName;
    }

    public void queue(Broadcast b) {
        queue(b, 0);
    }

    /** Queues with an initial transmit count (tests exercise the tiers with it). */
    void queue(Broadcast b, int initialTransmits) {
        Item item = new Item(b, initialTransmits, ++idGen);
        if (b.name() != null) {
            Slot slot = byName.get(b.name());
            if (b.accuser() == null) {
                if (slot != null) {
                    slot.drop(this);
                }
                slot = new Slot();
                slot.plain = item;
            } else {
                if (slot == null) {
                    slot = new Slot();
                } else {
                    if (slot.plain != null) {
                        drop(slot.plain);
                        slot.plain = null;
                    }
                    Item same = slot.suspects.remove(b.accuser());
                    if (same != null) {
                        drop(same);
                    }
                    if (slot.suspects.size() >= suspectsPerName) {
                        Item worst = null;
                        for (Item i : slot.suspects.values()) {
                            if (worst == null || i.compareTo(worst) > 0) {
                                worst = i;
                            }
                        }
                        slot.suspects.remove(worst.b.accuser());
                        drop(worst);
                    }
                }
                slot.suspects.put(b.accuser(), item);
            }
            byName.put(b.name(), slot);
            byNamePeak = Math.max(byNamePeak, byName.size());
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
            // Out of the tree set, so changing the sort key is safe; the slot keeps the same object.
            cur.transmits++;
            if (cur.transmits >= transmitLimit) {
                detach(cur);
                cur.b.finish();
            } else {
                reinsert.add(cur);
            }
        }
        queue.addAll(reinsert);
        if (queue.isEmpty()) {
            idGen = 0;
            shrink();
        }
        return out;
    }

    /** Keeps the {@code maxRetain} freshest broadcasts, finishing the rest (most transmitted first). */
    public void prune(int maxRetain) {
        while (queue.size() > maxRetain) {
            Item last = queue.pollLast();
            detach(last);
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
        shrink();
    }

    /**
     * Drops the name table once the queue is empty if it ever held many names (a join of N nodes queues N
     * alives): every node keeps one queue, so an idle table sized for N is N² of memory in a simulation.
     */
    private void shrink() {
        if (byNamePeak > 64) {
            byName = new HashMap<>();
        }
        byNamePeak = 0;
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

    /** Transmit count of the queued broadcast about this name without accuser, or -1. */
    int transmits(String name) {
        Slot s = byName.get(name);
        return s == null || s.plain == null ? -1 : s.plain.transmits;
    }

    /** Transmit count of the queued suspect about {@code name} from {@code accuser}, or -1. */
    int transmits(String name, String accuser) {
        Slot s = byName.get(name);
        Item i = s == null ? null : s.suspects.get(accuser);
        return i == null ? -1 : i.transmits;
    }

    /** Removes a queued item and runs its callback (it was replaced). */
    private void drop(Item i) {
        queue.remove(i);
        i.b.finish();
    }

    /** Forgets an item that left the queue from the name index. */
    private void detach(Item i) {
        String name = i.b.name();
        if (name == null) {
            return;
        }
        Slot s = byName.get(name);
        if (s == null) {
            return;
        }
        if (s.plain == i) {
            s.plain = null;
        } else if (i.b.accuser() != null && s.suspects.get(i.b.accuser()) == i) {
            s.suspects.remove(i.b.accuser());
        }
        if (s.plain == null && s.suspects.isEmpty()) {
            byName.remove(name);
        }
    }

    /** What is queued about one name: the broadcast without accuser, or suspects by accuser. */
    private static final class Slot {
        Item plain;
        final Map<String, Item> suspects = new LinkedHashMap<>();

        void drop(TransmitLimitedQueue q) {
            if (plain != null) {
                q.drop(plain);
            }
            for (Item i : suspects.values()) {
                q.drop(i);
            }
        }
    }

    private static final class Item implements Comparable<Item> {
        final Broadcast b;
        /** Mutated only while the item is out of the tree set. */
        int transmits;
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
