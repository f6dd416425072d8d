package dev.rumor.plugin;

/** A member's status as serf reports it ({@code serf members} shows the lower-case name). */
public enum MemberStatus {
    NONE, ALIVE, LEAVING, LEFT, FAILED;

    /** The serf spelling: "alive", "leaving", "left", "failed", "none". */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
