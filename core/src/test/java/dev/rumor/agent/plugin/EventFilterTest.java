package dev.rumor.agent.plugin;

import static dev.rumor.agent.plugin.TestEvents.join;
import static dev.rumor.agent.plugin.TestEvents.member;
import static dev.rumor.agent.plugin.TestEvents.query;
import static dev.rumor.agent.plugin.TestEvents.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    private static final Member WEB = member("web1", Map.of("role", "web"));
    private static final Member DB = member("db1", Map.of("role", "db"));

    @Test
    void serfTermsMatchLikeSerf() {
        EventFilter f = EventFilter.parse("member-join,user:deploy,query");
        assertEquals(1, f.deliveries(join(WEB)));
        assertEquals(0, f.deliveries(new MemberEvent(EventType.MEMBER_LEAVE, List.of(WEB))));
        assertEquals(1, f.deliveries(user("deploy")));
        assertEquals(0, f.deliveries(user("deployx")));
        assertEquals(1, f.deliveries(query("anything")));
        assertEquals(1, EventFilter.parse("").deliveries(new MemberEvent(EventType.MEMBER_REAP, List.of(WEB))));
        assertEquals(1, EventFilter.parse("*").deliveries(user("x")));
        assertEquals(1, EventFilter.parse("user:").deliveries(user("x")), "empty name = every user event (serf)");
        assertEquals(0, EventFilter.parse("query:load").deliveries(query("lo")));
        assertEquals(0, EventFilter.parse("user").deliveries(query("x")));
        for (String t : List.of("member-join", "member-leave", "member-failed", "member-update", "member-reap")) {
            assertEquals(1, EventFilter.parse(t).deliveries(new MemberEvent(EventType.fromWireName(t), List.of(DB))));
        }
    }

    @Test
    void serfFilterDeliversOncePerMatchingTerm() {
        assertEquals(2, EventFilter.parseSerf("user,user:deploy").deliveries(user("deploy")));
        assertEquals(1, EventFilter.parseSerf("user,user:deploy").deliveries(user("other")));
        assertEquals(1, EventFilter.parse("user,user:deploy").deliveries(user("deploy")));
    }

    @Test
    void invalidTermIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventFilter.parse("member-join,member-joined"));
        assertTrue(e.getMessage().contains("'member-joined'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventFilter.parse("member-join,"));
        assertThrows(IllegalArgumentException.class, () -> EventFilter.parse("users:x"));
    }

    @Test
    void memberTagsNarrowMemberEventsAndDropEmptyOnes() {
        EventFilter f = EventFilter.parse("*").withMemberTags(Map.of("role", "web"));
        Event both = join(WEB, DB);
        assertEquals(List.of(WEB), ((MemberEvent) f.select(both, null).orElseThrow()).members());
        assertTrue(f.select(join(DB), null).isEmpty());
        Event whole = join(WEB);
        assertSame(whole, f.select(whole, null).orElseThrow());
        Event u = user("deploy");
        assertSame(u, f.select(u, null).orElseThrow(), "user events carry no member; not affected");
        EventFilter prefix = EventFilter.all().withMemberTags(Map.of("role", "w.*"));
        assertEquals(List.of(WEB), ((MemberEvent) prefix.select(both, null).orElseThrow()).members());
    }

    @Test
    void localTagsGateTheInstance() {
        EventFilter f = EventFilter.all().withLocalTags(Map.of("role", "lb"));
        assertTrue(f.select(user("x"), member("me", Map.of("role", "lb"))).isPresent());
        assertTrue(f.select(user("x"), member("me", Map.of("role", "lbx"))).isEmpty());
        assertTrue(f.select(user("x"), member("me", Map.of())).isEmpty());
        assertTrue(f.select(user("x"), null).isEmpty());
    }

    @Test
    void equalityIsBySource() {
        assertEquals(EventFilter.parse("user:a,query"), EventFilter.parse("user:a,query"));
        assertNotEquals(EventFilter.parse("user:a"), EventFilter.parseSerf("user:a"));
        assertNotEquals(EventFilter.all(), EventFilter.all().withLocalTags(Map.of("a", "b")));
        assertEquals("member-join,user:deploy", EventFilter.parse("member-join,user:deploy").events());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventFilter.all().withMemberTags(Map.of("role", "(")));
        assertTrue(e.getMessage().startsWith("member_tags.role:"), e.getMessage());
    }
}
