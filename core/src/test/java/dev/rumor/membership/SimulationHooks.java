package dev.rumor.membership;

import dev.rumor.membership.wire.Message.PushNodeState;
import java.util.List;

/**
 * Test-only access for the simulation benchmark ({@code dev.rumor.bench.SimBench}), which lives in
 * another package. It is in the test sources so the production API does not grow for it.
 */
public final class SimulationHooks {
    private SimulationHooks() {
    }

    /**
     * Warm start for sizes too large to bootstrap by gossip in wall time: applies {@code remote} to
     * {@code m} through {@link MembershipState#mergeState}, exactly what a push/pull from a peer holding
     * {@code remote} applies (alive/suspect/dead transitions, join events, probe-list insertion), then
     * drops the re-broadcasts that merge queued. Every node is given the same full state, so those
     * broadcasts would tell nobody anything new, and 10,000 queues of 10,000 alives could not be held at
     * once. Call it on the protocol thread (with a {@code VirtualScheduler}: inside a task, or while it
     * is not running).
     */
    public static void mergeAsPushPull(Memberlist m, List<PushNodeState> remote) {
        m.state().mergeState(remote);
        m.broadcastQueue().reset();
    }

    /** Broadcasts still waiting in {@code m}'s gossip queue (retransmissions of a join, for instance). */
    public static int queuedBroadcasts(Memberlist m) {
        return m.broadcastQueue().size();
    }

    /** Alive states in push/pull form, as a peer that knows all of {@code nodes} would send them. */
    public static List<PushNodeState> pushPullState(List<Node> nodes) {
        return nodes.stream().map(n -> new PushNodeState(n.name(), n.addr(), n.port(), n.meta(), n.incarnation(),
                n.status().wireValue(), n.vsn())).toList();
    }
}
