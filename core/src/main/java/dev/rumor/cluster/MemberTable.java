package dev.rumor.cluster;

import dev.rumor.cluster.ClusterEvent.MemberEvent;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.cluster.wire.SerfMessageType;
import dev.rumor.membership.Node;
import dev.rumor.membership.NodeStatus;
import dev.rumor.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf's member table: memberlist liveness combined with join/leave intents (wire-protocol §7.4). It
 * decides each member's {@link MemberStatus} and emits the member events.
 *
 * <ul>
 *   <li>memberlist join → alive (or leaving, if a leave intent arrived first); {@code member-join}</li>
 *   <li>memberlist dead/left → {@code left} if the member was leaving, else {@code failed}</li>
 *   <li>memberlist update → {@code member-update}</li>
 *   <li>leave intent newer than the member's status time: alive → leaving (no event yet);
 *       failed → left ({@code member-leave}, this is force-leave); with prune → erased ({@code member-reap})</li>
 *   <li>join intent newer than the status time: leaving → alive</li>
 * </ul>
 * Intents about unknown nodes go to {@link RecentIntents}. A leave intent about ourselves while we are
 * alive is not applied: the caller refutes it with a fresh join intent.
 *
 * <p>Thread contract: not thread-safe; protocol thread only. {@link #snapshot()} publishes an immutable
 * view for other threads.
 */
final class MemberTable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberTable.class);

    /** What a leave intent did. */
    enum LeaveResult {
        /** old or unknown-and-not-newer: drop, do not re-broadcast */
        IGNORED,
        /** applied (or recorded as a recent intent): re-broadcast */
        APPLIED,
        /** names us while we are alive: re-broadcast nothing, refute with a join intent */
        REFUTE
    }

    static final class State {
        Member member;
        long statusLTime;
        long leaveNanos;

        State(Member m) {
            member = m;
        }
    }

    private final String self;
    private final LamportClock clock;
    private final Scheduler scheduler;
    private final Consumer<ClusterEvent> sink;
    private final Duration pruneDelay;
    private final Map<String, State> members = new HashMap<>();
    private final List<State> failed = new ArrayList<>();
    private final List<State> left = new ArrayList<>();
    private final RecentIntents intents = new RecentIntents();
    private Consumer<String> onErase = n -> { };
    /** Updated per changed member (O(log n)), never copied whole; replaced, never mutated. */
    private volatile SortedSnapshot<Member> published = SortedSnapshot.empty();

    /**
     * @param pruneDelay how long a leaving member is kept before a prune erases it (serf: broadcast timeout
     *                   + leave propagate delay, so the node can finish its own leave)
     */
    MemberTable(String self, LamportClock clock, Scheduler scheduler, Consumer<ClusterEvent> sink,
                Duration pruneDelay) {
        this.self = self;
        this.clock = clock;
        this.scheduler = scheduler;
        this.sink = sink;
        this.pruneDelay = pruneDelay;
    }

    /** Called with the name of every erased member (coordinate cache cleanup). */
    void onErase(Consumer<String> c) {
        onErase = c;
    }

    private long now() {
        return scheduler.clock().nanoTime();
    }

    // ------------------------------------------------------------------ memberlist notifications

    void nodeJoined(Node n) {
        State st = members.get(n.name());
        MemberStatus old;
        if (st == null) {
            old = MemberStatus.NONE;
            st = new State(fromNode(n, MemberStatus.ALIVE));
            long join = intents.ltimeOf(n.name(), SerfMessageType.JOIN);
            if (join >= 0) {
                st.statusLTime = join;
            }
            long leave = intents.ltimeOf(n.name(), SerfMessageType.LEAVE);
            if (leave >= 0) {
                st.member = st.member.withStatus(MemberStatus.LEAVING);
                st.statusLTime = leave;
            }
            members.put(n.name(), st);
        } else {
            old = st.member.status();
            st.member = fromNode(n, MemberStatus.ALIVE);
            st.leaveNanos = 0;
        }
        if (old == MemberStatus.FAILED || old == MemberStatus.LEFT) {
            failed.remove(st);
            left.remove(st);
        }
        LOG.info("EventMemberJoin: {} {}", n.name(), st.member.address().getAddress().getHostAddress());
        emit(ClusterEvent.Type.MEMBER_JOIN, st.member);
    }

    void nodeLeft(Node n) {
        State st = members.get(n.name());
        if (st == null) {
            return;
        }
        MemberStatus old = st.member.status();
        if (old != MemberStatus.LEAVING && old != MemberStatus.ALIVE) {
            LOG.warn("Bad state when leave: {}", old);
            return;
        }
        // A leaving member has left; an alive one has failed (serf), unless (Rumor, beyond serf) it announced its
        // own departure (memberlist's dead message from the node itself): then it left gracefully even though
        // its leave intent has not reached us. Only a serf leave sends that message, after the intent; gossip can
        // still miss a node, and serf then shows the leaver failed (and tries to reconnect to it) until a
        // push/pull or a late copy of the intent.
        boolean graceful = old == MemberStatus.LEAVING || n.status() == NodeStatus.LEFT;
        st.member = st.member.withStatus(graceful ? MemberStatus.LEFT : MemberStatus.FAILED);
        st.leaveNanos = now();
        (graceful ? left : failed).add(st);
        ClusterEvent.Type type = graceful ? ClusterEvent.Type.MEMBER_LEAVE : ClusterEvent.Type.MEMBER_FAILED;
        LOG.info("{}: {} {}", graceful ? "EventMemberLeave" : "EventMemberFailed",
                n.name(), st.member.address().getAddress().getHostAddress());
        emit(type, st.member);
    }

    void nodeUpdated(Node n) {
        State st = members.get(n.name());
        if (st == null) {
            return;
        }
        st.member = fromNode(n, st.member.status());
        LOG.info("EventMemberUpdate: {}", n.name());
        emit(ClusterEvent.Type.MEMBER_UPDATE, st.member);
    }

    // ------------------------------------------------------------------ intents

    /** @return true to re-broadcast */
    boolean joinIntent(SerfMessage.Join msg) {
        clock.witness(msg.ltime());
        State st = members.get(msg.node());
        if (st == null) {
            return intents.upsert(msg.node(), SerfMessageType.JOIN, msg.ltime(), now());
        }
        if (Long.compareUnsigned(msg.ltime(), st.statusLTime) <= 0) {
            return false;
        }
        st.statusLTime = msg.ltime();
        if (st.member.status() == MemberStatus.LEAVING) {
            st.member = st.member.withStatus(MemberStatus.ALIVE);
            publish(st.member.name());
        }
        return true;
    }

    /**
     * @param selfAlive whether this node is alive (not leaving/left): only then is an intent naming us refuted
     */
    LeaveResult leaveIntent(SerfMessage.Leave msg, boolean selfAlive) {
        clock.witness(msg.ltime());
        State st = members.get(msg.node());
        if (st == null) {
            return intents.upsert(msg.node(), SerfMessageType.LEAVE, msg.ltime(), now())
                    ? LeaveResult.APPLIED : LeaveResult.IGNORED;
        }
        if (Long.compareUnsigned(msg.ltime(), st.statusLTime) <= 0) {
            return LeaveResult.IGNORED;
        }
        if (msg.node().equals(self) && selfAlive) {
            LOG.debug("Refuting an older leave intent");
            return LeaveResult.REFUTE;
        }
        st.statusLTime = msg.ltime();
        switch (st.member.status()) {
            case ALIVE -> {
                st.member = st.member.withStatus(MemberStatus.LEAVING);
                publish(st.member.name());
            }
            case FAILED -> {
                st.member = st.member.withStatus(MemberStatus.LEFT);
                failed.remove(st);
                left.add(st);
                LOG.info("EventMemberLeave (forced): {} {}", st.member.name(),
                        st.member.address().getAddress().getHostAddress());
                emit(ClusterEvent.Type.MEMBER_LEAVE, st.member);
            }
            case LEAVING, LEFT -> {
            }
            default -> {
                return LeaveResult.IGNORED;
            }
        }
        if (msg.prune()) {
            prune(st);
        }
        return LeaveResult.APPLIED;
    }

    private void prune(State st) {
        Runnable erase = () -> {
            if (members.get(st.member.name()) != st) {
                return;
            }
            LOG.info("EventMemberReap (forced): {} {}", st.member.name(),
                    st.member.address().getAddress().getHostAddress());
            left.remove(st);
            failed.remove(st);
            erase(st);
        };
        if (st.member.status() == MemberStatus.LEAVING) {
            scheduler.schedule(pruneDelay, erase);
        } else {
            erase.run();
        }
    }

    private void erase(State st) {
        members.remove(st.member.name());
        onErase.accept(st.member.name());
        emit(ClusterEvent.Type.MEMBER_REAP, st.member);
    }

    // ------------------------------------------------------------------ periodic

    /** Erases failed members older than {@code reconnectTimeout}, left ones older than {@code tombstoneTimeout}. */
    void reap(Duration reconnectTimeout, Duration tombstoneTimeout, Duration intentTimeout) {
        long now = now();
        reapList(failed, now, reconnectTimeout.toNanos());
        reapList(left, now, tombstoneTimeout.toNanos());
        intents.reap(now, intentTimeout.toNanos());
    }

    private void reapList(List<State> list, long now, long timeout) {
        for (State st : List.copyOf(list)) {
            if (now - st.leaveNanos <= timeout) {
                continue;
            }
            list.remove(st);
            LOG.info("EventMemberReap: {}", st.member.name());
            erase(st);
        }
    }

    // ------------------------------------------------------------------ queries

    State state(String name) {
        return members.get(name);
    }

    /** This node's name. */
    String self() {
        return self;
    }

    Member member(String name) {
        State st = members.get(name);
        return st == null ? null : st.member;
    }

    /** Another member is alive (so broadcasting is worth waiting for). */
    boolean hasAliveMembers() {
        for (State st : members.values()) {
            if (!st.member.name().equals(self) && st.member.status() == MemberStatus.ALIVE) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return members.size();
    }

    List<Member> failedMembers() {
        List<Member> out = new ArrayList<>();
        for (State st : failed) {
            out.add(st.member);
        }
        return out;
    }

    int leftCount() {
        return left.size();
    }

    /** Every member's status time (push/pull {@code StatusLTimes}), ourselves included. */
    Map<String, Long> statusLTimes() {
        Map<String, Long> out = new TreeMap<>();
        members.forEach((n, st) -> out.put(n, st.statusLTime));
        return out;
    }

    /** Names of members in status left (push/pull {@code LeftMembers}). */
    List<String> leftMemberNames() {
        List<String> out = new ArrayList<>();
        for (State st : left) {
            out.add(st.member.name());
        }
        return out;
    }

    int recentIntentCount() {
        return intents.size();
    }

    /**
     * An immutable name → member view in name order, safe to read from any thread: the state after the
     * latest member event, never a half-applied one.
     */
    Map<String, Member> snapshot() {
        return published;
    }

    // ------------------------------------------------------------------ helpers

    private void emit(ClusterEvent.Type type, Member m) {
        publish(m.name());
        sink.accept(new MemberEvent(type, List.of(m)));
    }

    /** Republishes the one member that changed (or was erased); every change of {@link #members} calls it. */
    private void publish(String name) {
        State st = members.get(name);
        published = st == null ? published.without(name) : published.with(name, st.member);
    }

    private static Member fromNode(Node n, MemberStatus status) {
        return new Member(n.name(), n.addr().clone(), n.port(), Tags.decode(n.meta()), status,
                n.pmin(), n.pmax(), n.pcur(), n.dmin(), n.dmax(), n.dcur());
    }
}
