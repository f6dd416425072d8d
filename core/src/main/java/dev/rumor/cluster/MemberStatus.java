package dev.rumor.cluster;

/**
 * Serf's view of a member (serf {@code MemberStatus}). The ordinal is the wire value used in conflict
 * responses and by the agent RPC: ONLY APPEND.
 */
public enum MemberStatus {
    NONE("none"),
    ALIVE("alive"),
    LEAVING("leaving"),
    LEFT("left"),
    FAILED("failed");

    private final String wireName;

    MemberStatus(String wireName) {
        this.wireName = wireName;
    }

    public int wireValue() {
        return ordinal();
    }

    /** The spelling of the RPC protocol and the CLI ({@code alive}, {@code left}, ...). */
    public String wireName() {
        return wireName;
    }
}
