package dev.rumor.plugin.event;

/** Something that happened in the cluster, delivered to handlers. Immutable. */
public sealed interface Event permits MemberEvent, UserEvent, QueryEvent {
    EventType type();
}
