package dev.rumor.membership;

/**
 * memberlist node states. The ordinal order is the wire value in push/pull ({@code State} field):
 * ONLY APPEND.
 */
public enum NodeStatus {
    ALIVE,
    SUSPECT,
    DEAD,
    LEFT;

    public int wireValue() {
        return ordinal();
    }

    /** @return the status for a push/pull {@code State}, or null if unknown */
    public static NodeStatus ofWire(int v) {
        return v >= 0 && v < values().length ? values()[v] : null;
    }

    public boolean deadOrLeft() {
        return this == DEAD || this == LEFT;
    }
}
