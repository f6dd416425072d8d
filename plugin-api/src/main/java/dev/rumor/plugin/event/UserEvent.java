package dev.rumor.plugin.event;

import java.util.Objects;

/**
 * A user event ({@code serf event NAME PAYLOAD}).
 *
 * @param ltime    the event's Lamport time
 * @param name     event name
 * @param payload  raw payload bytes (never null; may be empty). The array is a copy owned by the handler.
 * @param coalesce whether the sender allowed coalescing
 */
public record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) implements Event {
    public UserEvent {
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public EventType type() {
        return EventType.USER;
    }
}
