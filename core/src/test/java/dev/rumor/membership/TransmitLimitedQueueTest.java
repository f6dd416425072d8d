package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** memberlist queue_test.go. */
class TransmitLimitedQueueTest {
    private final List<String> finished = new ArrayList<>();
    private int nodes = 10;
    private final TransmitLimitedQueue q = new TransmitLimitedQueue(() -> nodes, 1);

    private Broadcast b(String name, String msg) {
        return new Broadcast(name, msg.getBytes(StandardCharsets.UTF_8), () -> finished.add(name + ":" + msg));
    }

    private static List<String> strings(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        for (byte[] b : l) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void orderIsFewestTransmitsThenLargestThenNewest() {
        q.queue(b("a", "1"), 0);
        q.queue(b("b", "22"), 0);
        q.queue(b("c", "3"), 0);
        q.queue(b("d", "4444"), 1);
        q.queue(b("e", "5"), 2);
        List<String> order = new ArrayList<>();
        for (Broadcast x : q.orderedView()) {
            order.add(x.name());
        }
        assertEquals(List.of("b", "c", "a", "d", "e"), order);
    }

    @Test
    void sameNameReplacesAndFinishesTheOldOne() {
        q.queue(b("test", "1"));
        q.queue(b("foo", "2"));
        q.queue(b("test", "3"));
        assertEquals(2, q.size());
        assertEquals(List.of("test:1"), finished);
        assertEquals(List.of("3", "2"), strings(q.getBroadcasts(0, 100)));
    }

    @Test
    void unnamedBroadcastsAreNeverReplaced() {
        q.queue(b(null, "x"));
        q.queue(b(null, "y"));
        assertEquals(2, q.size());
        assertTrue(finished.isEmpty());
    }

    @Test
    void budgetIsFilledLargestFirstWithOverhead() {
        q.queue(b("a", "aaaaaaaaaa"));
        q.queue(b("b", "bbbbb"));
        q.queue(b("c", "ccc"));
        // limit 18: a takes 10+2; 4 bytes remain after the next overhead, so b (5) is skipped and c (3) fits.
        assertEquals(List.of("aaaaaaaaaa", "ccc"), strings(q.getBroadcasts(2, 18)));
        // Now b has 0 transmits, a and c 1: b comes first.
        assertEquals(List.of("bbbbb", "aaaaaaaaaa", "ccc"), strings(q.getBroadcasts(2, 100)));
    }

    @Test
    void retransmitLimitDropsAndFinishes() {
        // mult 1, n = 10 → limit ceil(log10(11)) = 2 transmissions.
        q.queue(b("x", "m"));
        assertEquals(1, q.getBroadcasts(0, 10).size());
        assertEquals(1, q.transmits("x"));
        assertTrue(finished.isEmpty());
        assertEquals(1, q.getBroadcasts(0, 10).size());
        assertEquals(0, q.size());
        assertEquals(List.of("x:m"), finished);
        assertTrue(q.getBroadcasts(0, 10).isEmpty());
    }

    @Test
    void retransmitLimitFollowsClusterSize() {
        nodes = 99;
        TransmitLimitedQueue q3 = new TransmitLimitedQueue(() -> nodes, 3);
        q3.queue(b("x", "m"));
        int sends = 0;
        while (!q3.getBroadcasts(0, 10).isEmpty()) {
            sends++;
        }
        assertEquals(6, sends);
    }

    @Test
    void pruneKeepsTheFreshest() {
        q.queue(b("a", "1"));
        q.queue(b("b", "2"));
        q.queue(b("c", "3"));
        q.queue(b("d", "4"));
        q.prune(2);
        assertEquals(2, q.size());
        assertEquals(List.of("a:1", "b:2"), finished);
        assertArrayEquals(new Object[] {"d", "c"}, q.orderedView().stream().map(Broadcast::name).toArray());
    }

    @Test
    void resetFinishesEverything() {
        q.queue(b("a", "1"));
        q.queue(b("b", "2"));
        q.reset();
        assertEquals(0, q.size());
        assertEquals(2, finished.size());
    }
}
