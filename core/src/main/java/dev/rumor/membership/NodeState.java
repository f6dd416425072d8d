package dev.rumor.membership;

/**
 * This node's mutable view of one member (memberlist {@code nodeState}). Owned by
 * {@link MembershipState}; only the protocol thread touches it.
 */
final class NodeState {
    final String name;
    byte[] addr;
    int port;
    byte[] meta;
    byte[] vsn = new byte[6];
    long incarnation;
    NodeStatus status;
    /** Protocol-clock nanos of the last status change; a suspicion timer only fires if this is unchanged. */
    long stateChangeNanos;
    /** Bumped on every status change; virtual time can see two changes in the same nanosecond. */
    long generation;

    NodeState(String name, byte[] addr, int port, byte[] meta, NodeStatus status) {
        this.name = name;
        this.addr = addr;
        this.port = port;
        this.meta = meta == null ? new byte[0] : meta;
        this.status = status;
    }

    void changeStatus(NodeStatus s, long nowNanos) {
        status = s;
        stateChangeNanos = nowNanos;
        generation++;
    }

    boolean deadOrLeft() {
        return status.deadOrLeft();
    }

    int pmax() {
        return vsn[1] & 0xff;
    }

    Node snapshot() {
        return new Node(name, addr.clone(), port, meta.clone(), status, incarnation, vsn.clone());
    }
}
