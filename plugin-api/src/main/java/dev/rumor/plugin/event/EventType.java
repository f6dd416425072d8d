package dev.rumor.plugin.event;

/** Event types, named as serf names them in {@code SERF_EVENT} and in handler filters. */
public enum EventType {
    MEMBER_JOIN("member-join"),
    MEMBER_LEAVE("member-leave"),
    MEMBER_FAILED("member-failed"),
    MEMBER_UPDATE("member-update"),
    MEMBER_REAP("member-reap"),
    USER("user"),
    QUERY("query");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** "member-join", "user", "query", ... */
    public String wireName() {
        return wireName;
    }

    /** @return the type for a serf name, or null if there is none */
    public static EventType fromWireName(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
