package dev.rumor.plugins.webhook;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Renders the JSON document POSTed for one event (the format is documented in the plugin README and is a
 * public contract: only add fields). It mirrors what serf gives a shell handler: the event type, the local
 * node, and either the members or the user event / query with its payload.
 */
final class EventDocument {
    private EventDocument() {
    }

    static String render(String deliveryId, Instant timestamp, Member self, Event event) {
        Json j = new Json().beginObject()
                .field("id", deliveryId)
                .field("type", event.type().wireName())
                .field("timestamp", rfc3339(timestamp));
        j.name("node").beginObject()
                .field("name", self.name())
                .field("tags", self.tags())
                .endObject();
        if (event instanceof MemberEvent m) {
            j.name("members").beginArray();
            for (Member member : m.members()) {
                j.beginObject()
                        .field("name", member.name())
                        .field("address", member.address())
                        .field("port", member.port())
                        .field("status", member.status().wireName())
                        .field("tags", member.tags())
                        .endObject();
            }
            j.endArray();
        } else if (event instanceof UserEvent u) {
            j.name("event").beginObject().field("name", u.name());
            payload(j, u.payload());
            j.field("ltime", u.ltime()).field("coalesce", u.coalesce()).endObject();
        } else if (event instanceof QueryEvent q) {
            j.name("query").beginObject().field("name", q.name());
            payload(j, q.payload());
            j.field("ltime", q.ltime())
                    .field("id", q.id())
                    .field("deadline", rfc3339(q.deadline()))
                    .endObject();
        }
        return j.endObject().toString();
    }

    /** UTC, millisecond precision, e.g. 2026-11-27T09:30:00.123Z (RFC 3339 / ISO 8601). */
    static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Payloads are opaque bytes; most are text (a version, a JSON blob), so valid UTF-8 goes as a string,
     * anything else as base64, and {@code payload_encoding} tells the receiver which.
     */
    private static void payload(Json j, byte[] payload) {
        String text = strictUtf8(payload);
        if (text != null) {
            j.field("payload", text).field("payload_encoding", "utf-8");
        } else {
            j.field("payload", Base64.getEncoder().encodeToString(payload)).field("payload_encoding", "base64");
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
