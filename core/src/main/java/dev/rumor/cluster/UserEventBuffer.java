package dev.rumor.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recent user events, for de-duplication and for the push/pull state (serf's {@code eventBuffer}).
 * A ring of {@link #SIZE} slots indexed by {@code LTime mod SIZE}; each slot holds the events of one
 * LTime. Gossip delivers every event many times; only the first copy is delivered and re-broadcast.
 *
 * <p>Acceptance, in serf's order: below {@link #minTime()} → {@link Admission#BEFORE_MIN_TIME}; more than
 * {@code SIZE} behind the event clock → {@link Admission#TOO_OLD}; same name and payload already in the slot
 * for that LTime → {@link Admission#DUPLICATE}; otherwise recorded and {@link Admission#NEW}. Callers witness
 * the LTime on the event clock before offering (serf does too, so an event always moves the clock).
 *
 * <p>Thread contract: not thread-safe; owned by the protocol thread.
 */
public final class UserEventBuffer {
    /** serf's {@code EventBuffer} default; also the length of the {@code Events} array in push/pull. */
    public static final int SIZE = 512;

    /** One event within a slot; the wire form in push/pull is {@code {"Name","Payload"}}. */
    public record Entry(String name, byte[] payload) {
        public Entry {
            payload = payload == null ? null : payload.clone();
        }

        boolean sameAs(String n, byte[] p) {
            // serf's userEvent.Equals: names equal and bytes.Equal (nil equals empty)
            return name.equals(n) && Arrays.equals(orEmpty(payload), orEmpty(p));
        }

        private static byte[] orEmpty(byte[] b) {
            return b == null ? new byte[0] : b;
        }

        @Override
        public byte[] payload() {
            return payload == null ? null : payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.name.equals(name) && Arrays.equals(e.payload, payload);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(payload);
        }
    }

    /** All events of one LTime (the non-nil elements of the push/pull {@code Events} array). */
    public record Slot(long ltime, List<Entry> events) {
        public Slot {
            events = List.copyOf(events);
        }
    }

    private final Slot[] ring;
    private long minTime;

    public UserEventBuffer() {
        this(SIZE);
    }

    /** A ring of {@code size} slots; only tests use a size other than {@link #SIZE}. */
    public UserEventBuffer(int size) {
        ring = new Slot[size];
    }

    /**
     * Events below this LTime are ignored: raised to the cluster's event clock on a join that must not
     * replay history, and to the snapshot's event clock + 1 on restart.
     */
    public long minTime() {
        return minTime;
    }

    public void raiseMinTime(long t) {
        minTime = Math.max(minTime, t);
    }

    /**
     * @param clockNow the event clock after witnessing {@code ltime}
     */
    public Admission offer(long ltime, String name, byte[] payload, long clockNow) {
        if (ltime < minTime) {
            return Admission.BEFORE_MIN_TIME;
        }
        long size = ring.length;
        if (clockNow > size && ltime < clockNow - size) {
            return Admission.TOO_OLD;
        }
        int idx = (int) Long.remainderUnsigned(ltime, size);
        Slot seen = ring[idx];
        List<Entry> events = new ArrayList<>();
        if (seen != null && seen.ltime() == ltime) {
            for (Entry e : seen.events()) {
                if (e.sameAs(name, payload)) {
                    return Admission.DUPLICATE;
                }
            }
            events.addAll(seen.events());
        }
        events.add(new Entry(name, payload));
        ring[idx] = new Slot(ltime, events);
        return Admission.NEW;
    }

    /** The ring in slot order, {@code null} for empty slots: exactly what push/pull sends. */
    public List<Slot> slots() {
        return java.util.Collections.unmodifiableList(Arrays.asList(ring.clone()));
    }
}
