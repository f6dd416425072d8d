package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private static final MemberEvent JOIN = new MemberEvent(EventType.MEMBER_JOIN, List.of());
    private static final MemberEvent LEAVE = new MemberEvent(EventType.MEMBER_LEAVE, List.of());
    private static final UserEvent DEPLOY = new UserEvent(1, "deploy", null, false);
    private static final UserEvent OTHER = new UserEvent(2, "other", null, false);
    private static final QueryEvent LOAD = new QueryEvent(1, 1, "load", null, Instant.EPOCH);

    @Test
    void serfSyntax() {
        EventFilter f = EventFilter.parse("member-join, user:deploy");
        assertTrue(f.matches(JOIN));
        assertFalse(f.matches(LEAVE));
        assertTrue(f.matches(DEPLOY));
        assertFalse(f.matches(OTHER));
        assertFalse(f.matches(LOAD));

        EventFilter all = EventFilter.parse("*");
        assertTrue(all.matches(JOIN) && all.matches(OTHER) && all.matches(LOAD));
        assertTrue(EventFilter.ALL.matches(LOAD));

        EventFilter users = EventFilter.parse("user");
        assertTrue(users.matches(DEPLOY) && users.matches(OTHER) && !users.matches(JOIN));
        assertTrue(EventFilter.parse("user:").matches(OTHER), "serf reads user: as user");

        EventFilter q = EventFilter.parse("query:load");
        assertTrue(q.matches(LOAD));
        assertFalse(q.matches(new QueryEvent(1, 2, "other", null, Instant.EPOCH)));
        assertFalse(q.matches(new UserEvent(1, "load", null, false)));
    }

    @Test
    void refusesUnknownTypes() {
        assertEquals("unknown event type 'member-joined'",
                assertThrows(IllegalArgumentException.class, () -> EventFilter.parse("member-joined")).getMessage());
        assertEquals("empty event type in 'user,'",
                assertThrows(IllegalArgumentException.class, () -> EventFilter.parse("user,")).getMessage());
        assertEquals("only user and query events take a name, not 'member-join:x'",
                assertThrows(IllegalArgumentException.class, () -> EventFilter.parse("member-join:x")).getMessage());
    }
}
