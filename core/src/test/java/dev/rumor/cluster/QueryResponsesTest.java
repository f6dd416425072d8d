package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryResponsesTest {

    private static QueryResponses collector(boolean ack, Set<String> expected) {
        return new QueryResponses("q", 3, 9, 1000, 1000, ack, expected);
    }

    @Test
    void finishesEarlyWhenEveryExpectedNodeAnsweredAndAcked() {
        QueryResponses q = collector(true, Set.of("a", "b"));
        List<String> seen = new ArrayList<>();
        q.subscribe(a -> seen.add("ack " + a), r -> seen.add("resp " + r.from()), () -> seen.add("end"));
        assertTrue(q.addResponse(new NodeResponse("a", null)));
        assertTrue(q.addAck("a"));
        assertTrue(q.addResponse(new NodeResponse("b", new byte[] {1})));
        assertFalse(q.isFinished(), "b has not acked yet");
        assertTrue(q.addAck("b"));
        assertTrue(q.isFinished());
        assertTrue(q.done().isDone());
        assertEquals(List.of("resp a", "ack a", "resp b", "ack b", "end"), seen);
        assertFalse(q.addResponse(new NodeResponse("c", null)), "closed");
    }

    @Test
    void anEarlyFinishDuringASubscribersReplayIsDeliveredAfterTheReplay() throws Exception {
        // a answered before the RPC client subscribed; b completes the query while a is being replayed.
        QueryResponses q = collector(false, Set.of("a", "b"));
        assertTrue(q.addResponse(new NodeResponse("a", null)));
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch replaying = new java.util.concurrent.CountDownLatch(1);
        Thread protocol = new Thread(() -> {
            try {
                replaying.await();
            } catch (InterruptedException e) {
                return;
            }
            q.addResponse(new NodeResponse("b", null)); // finishes the query early
        });
        protocol.start();
        q.subscribe(a -> seen.add("ack " + a), r -> {
            if (r.from().equals("a")) {
                replaying.countDown();
                try {
                    Thread.sleep(200); // give the other thread every chance to overtake the replay
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            seen.add("resp " + r.from());
        }, () -> seen.add("end"));
        protocol.join(5000);
        assertEquals(List.of("resp a", "resp b", "end"), seen, "done must not overtake a replayed response");
    }

    @Test
    void deduplicatesPerNodeAndIgnoresUnrequestedAcks() {
        QueryResponses q = collector(false, Set.of("a", "b"));
        assertTrue(q.addResponse(new NodeResponse("a", new byte[] {1})));
        assertFalse(q.addResponse(new NodeResponse("a", new byte[] {2})));
        assertFalse(q.addAck("a"));
        assertEquals(1, q.responses().size());
        assertEquals(Set.of(), q.acks());
        assertEquals(2, q.expected());
    }

    @Test
    void unexpectedRespondersAreCollectedButDoNotFinishIt() {
        QueryResponses q = collector(false, Set.of("a"));
        q.addResponse(new NodeResponse("z", null));
        assertFalse(q.isFinished());
        q.addResponse(new NodeResponse("a", null));
        assertTrue(q.isFinished());
        assertEquals(2, q.responses().size());
    }

    @Test
    void noMatchingNodeMeansWaitingForTheDeadlineAndLateSubscribersGetEverything() {
        QueryResponses q = collector(false, Set.of());
        q.addResponse(new NodeResponse("x", null));
        assertFalse(q.isFinished());
        q.close();
        assertTrue(q.done().isDone());
        List<String> seen = new ArrayList<>();
        q.subscribe(a -> seen.add(a), r -> seen.add(r.from()), () -> seen.add("end"));
        assertEquals(List.of("x", "end"), seen);
    }
}
