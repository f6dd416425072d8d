package dev.rumor.plugin.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A query ({@code serf query NAME PAYLOAD}). A handler answers it with
 * {@link dev.rumor.plugin.HandlerContext#respond(QueryEvent, byte[])} before {@code deadline}.
 *
 * @param ltime    the query's Lamport time
 * @param id       the query id (with ltime, identifies the query)
 * @param name     query name
 * @param payload  raw payload bytes (never null; a copy owned by the handler)
 * @param deadline after this instant a response is no longer accepted
 */
public record QueryEvent(long ltime, long id, String name, byte[] payload, Instant deadline) implements Event {
    public QueryEvent {
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload.clone();
        Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public EventType type() {
        return EventType.QUERY;
    }
}
