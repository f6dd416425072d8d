package dev.rumor.membership;

/**
 * This node's view of one member (memberlist {@code nodeState}). Owned by {@link MembershipState}.
 *
 * <p>What we believe about the member is one immutable {@link Node}, replaced (never mutated) by the
 * protocol thread on every change; the same object is what {@link Memberlist#members()} and the
 * delegates get, so publishing costs nothing and a member costs one {@code Node} per view (its arrays
 * are shared with the message they came from, or with other views through an {@link Interner}).
 *
 * <p>Thread contract: every field is written by the protocol thread only; {@link #node()} and
 * {@link #published()} may be read from any thread (both fields they read are volatile, and a status
 * change writes the node before the generation, which {@code published()} reads first).
 */
final class NodeState {
    final String name;
    private volatile Node node;
    /** Protocol-clock nanos of the last status change; a suspicion timer only fires if this is unchanged. */
    long stateChangeNanos;
    /**
     * Bumped on every status change; virtual time can see two changes in the same nanosecond. Zero until
     * the first accepted alive: a state created for an alive that is then rejected is not published.
     */
    volatile int generation;

    NodeState(Node initial) {
        this.name = initial.name();
        this.node = initial;
    }

    Node node() {
        return node;
    }

    /** Replaces what we believe without a status change (new incarnation, meta, address). */
    void set(Node n) {
        node = n;
    }

    /** Replaces what we believe with a new status: restarts the suspicion clock. */
    void changeStatus(Node n, long nowNanos) {
        stateChangeNanos = nowNanos;
        node = n;
        generation++;
    }

    /** Visible to readers (members(), member()): an alive about it has been accepted. */
    boolean published() {
        return generation != 0;
    }

    NodeStatus status() {
        return node.status();
    }

    long incarnation() {
        return node.incarnation();
    }

    byte[] addr() {
        return node.addr();
    }

    int port() {
        return node.port();
    }

    byte[] meta() {
        return node.meta();
    }

    byte[] vsn() {
        return node.vsn();
    }

    boolean deadOrLeft() {
        return node.status().deadOrLeft();
    }

    int pmax() {
        return node.pmax();
    }
}
