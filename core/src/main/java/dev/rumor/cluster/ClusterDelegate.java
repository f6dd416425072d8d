package dev.rumor.cluster;

import dev.rumor.membership.ConflictDelegate;
import dev.rumor.membership.EventDelegate;
import dev.rumor.membership.MessageDelegate;
import dev.rumor.membership.MetaDelegate;
import dev.rumor.membership.Node;
import dev.rumor.membership.PingDelegate;
import dev.rumor.membership.StateDelegate;
import java.time.Duration;
import java.util.List;

/**
 * The only coupling between membership and the serf layer: memberlist's delegate callbacks routed into
 * {@link Cluster} (serf's {@code delegate.go}, {@code event_delegate.go}, {@code conflict_delegate.go},
 * {@code ping_delegate.go}).
 *
 * <p>Thread contract: every callback arrives on the protocol thread (or on the creating thread during
 * {@code Memberlist.create}) and runs without blocking.
 */
final class ClusterDelegate implements MetaDelegate, MessageDelegate, StateDelegate, EventDelegate,
        ConflictDelegate, PingDelegate {
    private final Cluster cluster;

    ClusterDelegate(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public byte[] nodeMeta(int limit) {
        return cluster.nodeMeta(limit);
    }

    @Override
    public void notifyMsg(byte[] msg) {
        cluster.onMessage(msg);
    }

    @Override
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        return cluster.getBroadcasts(overhead, limit);
    }

    @Override
    public byte[] localState(boolean join) {
        return cluster.localState();
    }

    @Override
    public void mergeRemoteState(byte[] state, boolean join) {
        cluster.mergeRemoteState(state, join);
    }

    @Override
    public void notifyJoin(Node node) {
        cluster.nodeJoined(node);
    }

    @Override
    public void notifyLeave(Node node) {
        cluster.nodeLeft(node);
    }

    @Override
    public void notifyUpdate(Node node) {
        cluster.nodeUpdated(node);
    }

    @Override
    public void notifyConflict(Node existing, Node other) {
        cluster.conflict(existing, other);
    }

    @Override
    public byte[] ackPayload() {
        return cluster.ackPayload();
    }

    @Override
    public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
        cluster.pingComplete(other, rtt, payload);
    }
}
