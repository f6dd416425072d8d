package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SerfBroadcastsTest {

    @Test
    void intentsGoFirstThenQueriesThenEventsWithinTheLimit() {
        SerfBroadcasts b = new SerfBroadcasts(() -> 10, 4);
        b.events.queue(SerfBroadcasts.unique(new byte[] {3, 0, 0}, null));
        b.queries.queue(SerfBroadcasts.unique(new byte[] {4, 0}, null));
        b.intents.queue(SerfBroadcasts.unique(new byte[] {1}, null));
        List<byte[]> all = b.get(2, 100);
        assertEquals(List.of(1, 4, 3), all.stream().map(m -> (int) m[0]).toList());
        // room for the intent (1+2) and the query (2+2) only
        SerfBroadcasts small = new SerfBroadcasts(() -> 10, 4);
        small.events.queue(SerfBroadcasts.unique(new byte[] {3, 0, 0}, null));
        small.queries.queue(SerfBroadcasts.unique(new byte[] {4, 0}, null));
        small.intents.queue(SerfBroadcasts.unique(new byte[] {1}, null));
        assertEquals(List.of(1, 4), small.get(2, 8).stream().map(m -> (int) m[0]).toList());
    }

    @Test
    void uniqueBroadcastsAreNeverReplacedAndDeepQueuesArePruned() {
        SerfBroadcasts b = new SerfBroadcasts(() -> 10, 4);
        for (int i = 0; i < 10; i++) {
            b.events.queue(SerfBroadcasts.unique(new byte[] {3, (byte) i}, null));
        }
        assertEquals(10, b.events.size());
        b.checkDepth(5, 6);
        assertEquals(6, b.events.size());
    }
}
