package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserEventBufferTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void firstCopyIsNewLaterCopiesAreDuplicates() {
        UserEventBuffer buf = new UserEventBuffer();
        assertEquals(Admission.NEW, buf.offer(3, "deploy", b("v1"), 4));
        assertEquals(Admission.DUPLICATE, buf.offer(3, "deploy", b("v1"), 4));
        assertEquals(Admission.NEW, buf.offer(3, "deploy", b("v2"), 4), "different payload, same LTime");
        assertEquals(Admission.NEW, buf.offer(3, "restart", b("v1"), 4), "different name, same LTime");
        assertEquals(Admission.NEW, buf.offer(4, "deploy", b("v1"), 5), "same event, other LTime");
    }

    @Test
    void nilAndEmptyPayloadAreTheSameEvent() {
        UserEventBuffer buf = new UserEventBuffer();
        assertEquals(Admission.NEW, buf.offer(1, "e", null, 2));
        assertEquals(Admission.DUPLICATE, buf.offer(1, "e", new byte[0], 2));
    }

    @Test
    void eventsOlderThanTheWindowAreDropped() {
        UserEventBuffer buf = new UserEventBuffer();
        long clock = 2000;
        assertEquals(Admission.TOO_OLD, buf.offer(clock - 513, "e", null, clock));
        assertEquals(Admission.NEW, buf.offer(clock - 512, "e", null, clock), "exactly at the window edge is kept");
        assertEquals(Admission.NEW, buf.offer(100, "e", null, 512), "clock not beyond the window size: no age check");
    }

    @Test
    void minTimeFiltersHistory() {
        UserEventBuffer buf = new UserEventBuffer();
        buf.raiseMinTime(10);
        buf.raiseMinTime(5);
        assertEquals(10, buf.minTime());
        assertEquals(Admission.BEFORE_MIN_TIME, buf.offer(9, "e", null, 11));
        assertEquals(Admission.NEW, buf.offer(10, "e", null, 11));
    }

    @Test
    void aNewerLTimeEvictsTheSlot() {
        UserEventBuffer buf = new UserEventBuffer(4);
        assertEquals(Admission.NEW, buf.offer(1, "a", null, 2));
        assertEquals(Admission.NEW, buf.offer(5, "b", null, 6));
        List<UserEventBuffer.Slot> slots = buf.slots();
        assertEquals(4, slots.size());
        assertEquals(new UserEventBuffer.Slot(5, List.of(new UserEventBuffer.Entry("b", null))), slots.get(1));
        assertNull(slots.get(0));
        assertEquals(Admission.NEW, buf.offer(1, "a", null, 5), "evicted, so seen as new again (serf does too)");
    }

    @Test
    void slotsHoldAllEventsOfOneLTimeInArrivalOrder() {
        UserEventBuffer buf = new UserEventBuffer();
        buf.offer(7, "x", b("1"), 8);
        buf.offer(7, "y", b("2"), 8);
        UserEventBuffer.Slot s = buf.slots().get(7);
        assertEquals(7, s.ltime());
        assertEquals(List.of(new UserEventBuffer.Entry("x", b("1")), new UserEventBuffer.Entry("y", b("2"))),
                s.events());
    }

    @Test
    void queryBufferDedupesByLTimeAndId() {
        QueryBuffer q = new QueryBuffer();
        assertEquals(Admission.NEW, q.offer(4, 77, 5));
        assertEquals(Admission.DUPLICATE, q.offer(4, 77, 5));
        assertEquals(Admission.NEW, q.offer(4, 78, 5), "other originator, same LTime");
        assertEquals(Admission.NEW, q.offer(4 + 512, 77, 517), "slot reused by a newer LTime");
        assertEquals(Admission.NEW, q.offer(4, 77, 516), "evicted, at the window edge");
        assertEquals(Admission.TOO_OLD, q.offer(3, 1, 1000));
        q.raiseMinTime(900);
        assertEquals(Admission.BEFORE_MIN_TIME, q.offer(899, 1, 1000));
    }
}
