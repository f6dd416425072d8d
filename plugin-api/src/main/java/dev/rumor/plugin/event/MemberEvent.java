package dev.rumor.plugin.event;

import dev.rumor.plugin.Member;
import java.util.List;
import java.util.Objects;

/** A (possibly coalesced) membership change: one type, one or more members. */
public record MemberEvent(EventType type, List<Member> members) implements Event {
    public MemberEvent {
        Objects.requireNonNull(type, "type");
        if (type == EventType.USER || type == EventType.QUERY) {
            throw new IllegalArgumentException("not a member event type: " + type);
        }
        members = List.copyOf(members);
    }
}
