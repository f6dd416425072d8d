package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes of each document kind: the README shows these, receivers parse them. */
class EventDocumentTest {
    private static final Instant T = Instant.parse("2026-11-27T09:30:00.123456Z");
    private static final Member SELF = new Member("lb1", "10.0.0.1", 7946, Map.of("role", "lb"), MemberStatus.ALIVE);

    @Test
    void memberEvent() {
        MemberEvent e = new MemberEvent(EventType.MEMBER_JOIN, List.of(
                new Member("web-1", "10.0.0.5", 7946, Map.of("role", "web", "az", "b"), MemberStatus.ALIVE),
                new Member("web-2", "10.0.0.6", 7947, Map.of(), MemberStatus.ALIVE)));
        assertEquals("{\"id\":\"d1\",\"type\":\"member-join\",\"timestamp\":\"2026-11-27T09:30:00.123Z\","
                + "\"node\":{\"name\":\"lb1\",\"tags\":{\"role\":\"lb\"}},"
                + "\"members\":[{\"name\":\"web-1\",\"address\":\"10.0.0.5\",\"port\":7946,\"status\":\"alive\","
                + "\"tags\":{\"az\":\"b\",\"role\":\"web\"}},"
                + "{\"name\":\"web-2\",\"address\":\"10.0.0.6\",\"port\":7947,\"status\":\"alive\",\"tags\":{}}]}",
                EventDocument.render("d1", T, SELF, e));
        MemberEvent failed = new MemberEvent(EventType.MEMBER_FAILED,
                List.of(new Member("web-1", "10.0.0.5", 7946, Map.of(), MemberStatus.FAILED)));
        Map<String, Object> doc = MiniJson.object(EventDocument.render("d2", T, SELF, failed));
        assertEquals("member-failed", doc.get("type"));
        assertEquals("failed", ((Map<?, ?>) ((List<?>) doc.get("members")).get(0)).get("status"));
    }

    @Test
    void userEventWithTextAndBinaryPayload() {
        UserEvent text = new UserEvent(42, "deploy", "v1.2 \"ok\"\n".getBytes(StandardCharsets.UTF_8), true);
        assertEquals("{\"id\":\"d1\",\"type\":\"user\",\"timestamp\":\"2026-11-27T09:30:00.123Z\","
                + "\"node\":{\"name\":\"lb1\",\"tags\":{\"role\":\"lb\"}},"
                + "\"event\":{\"name\":\"deploy\",\"payload\":\"v1.2 \\\"ok\\\"\\n\",\"payload_encoding\":\"utf-8\","
                + "\"ltime\":42,\"coalesce\":true}}",
                EventDocument.render("d1", T, SELF, text));
        UserEvent binary = new UserEvent(43, "blob", new byte[] {(byte) 0xff, 0, 1}, false);
        Map<?, ?> ev = (Map<?, ?>) MiniJson.object(EventDocument.render("d2", T, SELF, binary)).get("event");
        assertEquals("/wAB", ev.get("payload"));
        assertEquals("base64", ev.get("payload_encoding"));
        assertEquals(false, ev.get("coalesce"));
    }

    @Test
    void query() {
        QueryEvent q = new QueryEvent(7, 99, "load", new byte[0], Instant.parse("2026-11-27T09:30:15Z"));
        assertEquals("{\"id\":\"d1\",\"type\":\"query\",\"timestamp\":\"2026-11-27T09:30:00.123Z\","
                + "\"node\":{\"name\":\"lb1\",\"tags\":{\"role\":\"lb\"}},"
                + "\"query\":{\"name\":\"load\",\"payload\":\"\",\"payload_encoding\":\"utf-8\",\"ltime\":7,"
                + "\"id\":99,\"deadline\":\"2026-11-27T09:30:15Z\"}}",
                EventDocument.render("d1", T, SELF, q));
    }
}
