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

    // Independent suspicions: suspects keyed by node + accuser, invalidated by alive/dead about the node.

    private final TransmitLimitedQueue sq = new TransmitLimitedQueue(() -> nodes, 1, 3);

    private Broadcast suspect(String node, String accuser, String msg) {
        return new Broadcast(node, accuser, msg.getBytes(StandardCharsets.UTF_8),
                () -> finished.add(node + "/" + accuser + ":" + msg));
    }

    private List<String> queued(TransmitLimitedQueue queue) {
        List<String> out = new ArrayList<>();
        for (Broadcast x : queue.orderedView()) {
            out.add(new String(x.message(), StandardCharsets.UTF_8));
        }
        out.sort(null);
        return out;
    }

    @Test
    void suspectsOfOneNodeFromDifferentAccusersCoexist() {
        sq.queue(suspect("x", "a", "sa"));
        sq.queue(suspect("x", "b", "sb"));
        sq.queue(suspect("y", "a", "ya"));
        assertEquals(List.of("sa", "sb", "ya"), queued(sq));
        assertTrue(finished.isEmpty());
        assertEquals(0, sq.transmits("x", "a"));
        assertEquals(0, sq.transmits("x", "b"));
        assertEquals(-1, sq.transmits("x"));
    }

    @Test
    void aNewerSuspectFromTheSameAccuserReplacesOnlyItsOwn() {
        sq.queue(suspect("x", "a", "sa1"));
        sq.queue(suspect("x", "b", "sb"));
        sq.getBroadcasts(0, 100);
        sq.queue(suspect("x", "a", "sa2"));
        assertEquals(List.of("sa2", "sb"), queued(sq));
        assertEquals(List.of("x/a:sa1"), finished);
        assertEquals(0, sq.transmits("x", "a"), "the replacement starts its own retransmissions");
        assertEquals(1, sq.transmits("x", "b"));
    }

    @Test
    void aliveOrDeadAboutANodeInvalidatesEverySuspectOfItAndNothingElse() {
        sq.queue(suspect("x", "a", "sa"));
        sq.queue(suspect("x", "b", "sb"));
        sq.queue(suspect("y", "a", "ya"));
        sq.queue(b("x", "alive"));
        assertEquals(List.of("alive", "ya"), queued(sq));
        assertEquals(List.of("x/a:sa", "x/b:sb"), finished);

        finished.clear();
        sq.queue(suspect("y", "c", "yc"));
        sq.queue(b("y", "dead"));
        assertEquals(List.of("alive", "dead"), queued(sq));
        assertEquals(List.of("y/a:ya", "y/c:yc"), finished);
        // Nothing about x or y is left behind in the index: new suspects queue normally.
        sq.queue(suspect("y", "a", "ya2"));
        assertEquals(0, sq.transmits("y", "a"));
        assertEquals(-1, sq.transmits("y"), "the suspect replaced the dead (memberlist: newest about y wins)");
    }

    @Test
    void aSuspectReplacesTheQueuedBroadcastWithoutAccuser() {
        sq.queue(b("x", "alive"));
        sq.queue(b("y", "alive-y"));
        sq.queue(suspect("x", "a", "sa"));
        assertEquals(List.of("alive-y", "sa"), queued(sq));
        assertEquals(List.of("x:alive"), finished);
    }

    @Test
    void theBoundEvictsTheMostTransmittedSuspect() {
        sq.queue(suspect("x", "a", "sa"));
        sq.getBroadcasts(0, 100);
        sq.queue(suspect("x", "b", "sb"));
        sq.queue(suspect("x", "c", "sc"));
        assertEquals(3, sq.size());
        sq.queue(suspect("x", "d", "sd"));
        assertEquals(List.of("sb", "sc", "sd"), queued(sq));
        assertEquals(List.of("x/a:sa"), finished);
        assertEquals(-1, sq.transmits("x", "a"));
    }

    @Test
    void withOneSuspectPerNameItIsMemberlistsQueue() {
        // The default constructor (and suspectsPerName = 1): a second accuser replaces the first.
        q.queue(suspect("x", "a", "sa"));
        q.queue(suspect("x", "b", "sb"));
        assertEquals(List.of("sb"), queued(q));
        assertEquals(List.of("x/a:sa"), finished);
        q.queue(b("x", "alive"));
        assertEquals(List.of("alive"), queued(q));
    }

    @Test
    void suspectsLeaveTheIndexAfterTheirLastTransmission() {
        // mult 1, n = 10 → 2 transmissions each.
        sq.queue(suspect("x", "a", "sa"));
        sq.queue(suspect("x", "b", "sb"));
        sq.getBroadcasts(0, 100);
        sq.getBroadcasts(0, 100);
        assertEquals(0, sq.size());
        assertEquals(List.of("x/a:sa", "x/b:sb"), finished.stream().sorted().toList());
        assertEquals(-1, sq.transmits("x", "a"));
        // A later alive about x finds nothing to invalidate (no double finish).
        finished.clear();
        sq.queue(b("x", "alive"));
        assertTrue(finished.isEmpty());
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
