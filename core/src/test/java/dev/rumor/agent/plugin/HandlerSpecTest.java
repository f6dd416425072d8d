package dev.rumor.agent.plugin;

import static dev.rumor.agent.plugin.TestEvents.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerSpecTest {

    @Test
    void serfStringSplitsOnFirstEquals() {
        HandlerSpec s = HandlerSpec.fromSerfEventHandler("h", "member-join,user:deploy=FOO=bar ./x.sh");
        assertEquals("shell-exec", s.type());
        assertEquals(Map.of("script", "FOO=bar ./x.sh"), s.settings());
        assertEquals("member-join,user:deploy", s.filter().events());
        assertEquals(HandlerSpec.DEFAULT_TIMEOUT, s.timeout());
        assertEquals(HandlerSpec.DEFAULT_QUEUE_SIZE, s.queueSize());
        assertEquals(1, s.concurrency());
    }

    @Test
    void noEqualsMeansEverything() {
        HandlerSpec s = HandlerSpec.fromSerfEventHandler("h", "/etc/serf/handler.sh");
        assertEquals("*", s.filter().events());
        assertEquals(Map.of("script", "/etc/serf/handler.sh"), s.settings());
        HandlerSpec empty = HandlerSpec.fromSerfEventHandler("h", "=x.sh");
        assertEquals("*", empty.filter().events());
    }

    @Test
    void serfSemanticsRunOncePerMatchingTerm() {
        HandlerSpec s = HandlerSpec.fromSerfEventHandler("h", "user,user:deploy=x.sh");
        assertEquals(2, s.filter().deliveries(user("deploy")));
    }

    @Test
    void listGetsIndexedNames() {
        List<HandlerSpec> l = HandlerSpec.fromSerfEventHandlers(List.of("a.sh", "user=b.sh"));
        assertEquals("event_handlers[0]", l.get(0).name());
        assertEquals("event_handlers[1]", l.get(1).name());
    }

    @Test
    void invalidStringsAreRejectedLikeSerf() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HandlerSpec.fromSerfEventHandler("event_handlers[3]", "member-joins=x.sh"));
        assertTrue(e.getMessage().startsWith("event_handlers[3]: Invalid event script"), e.getMessage());
        // A script with '=' but no filter: the part before '=' is read as a filter, as in serf.
        assertThrows(IllegalArgumentException.class, () -> HandlerSpec.fromSerfEventHandler("h", "FOO=bar x.sh"));
        assertThrows(IllegalArgumentException.class, () -> HandlerSpec.fromSerfEventHandler("h", "user="));
    }

    @Test
    void settingsAreDeepCopiedAndComparable() {
        Map<String, Object> env = new java.util.HashMap<>(Map.of("A", "1"));
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("script", "x", "env", env));
        HandlerSpec a = HandlerSpec.of("n", "shell-exec", null, settings);
        env.put("B", "2");
        assertEquals(Map.of("script", "x", "env", Map.of("A", "1")), a.settings());
        assertEquals(a, HandlerSpec.of("n", "shell-exec", EventFilter.all(), Map.of("script", "x", "env", Map.of("A", "1"))));
        assertThrows(IllegalArgumentException.class, () -> a.withQueueSize(0));
        assertThrows(IllegalArgumentException.class, () -> a.withTimeout(java.time.Duration.ZERO));
    }

    @Test
    void durationsAreLoggedInGoSpelling() {
        assertEquals("1s", HandlerInstance.text(java.time.Duration.ofSeconds(1)));
        assertEquals("250ms", HandlerInstance.text(java.time.Duration.ofMillis(250)));
        assertEquals("1m30s", HandlerInstance.text(java.time.Duration.ofSeconds(90)));
        assertEquals("1.5s", HandlerInstance.text(java.time.Duration.ofMillis(1500)));
        assertEquals("2h", HandlerInstance.text(java.time.Duration.ofHours(2)));
    }
}
