package dev.rumor.membership;

import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.PushNodeState;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership state machine: what this node believes about every member, and the alive / suspect /
 * dead / refute transitions of SWIM with incarnation numbers (memberlist {@code state.go}
 * {@code aliveNode}, {@code suspectNode}, {@code deadNode}, {@code mergeState}, {@code refute}).
 *
 * <p>Ordering rules (wire-protocol §6.2): an alive needs a <em>strictly higher</em> incarnation than
 * known (except about ourselves, where an equal one with different meta/vsn makes us refute); suspect
 * and dead need an incarnation ≥ the known one. A dead whose {@code From} equals its {@code Node} is a
 * voluntary leave. Every accepted transition is re-broadcast; accusations about ourselves are refuted
 * with a higher incarnation instead.
 *
 * <p>Memory: every node keeps every member, so a simulation of N nodes in one JVM holds N² member
 * states. A member costs one {@link NodeState}, one map entry and one immutable {@link Node} per view:
 * the node is both the protocol thread's state and what readers get (no published copy), its arrays are
 * the ones it arrived with (an unchanged value keeps the array already stored), and the
 * {@link MembershipConfig#interner()} can share names, arrays and whole nodes between views.
 *
 * <p>Thread contract: protocol thread only, except {@link #members()}, {@link #allNodes()},
 * {@link #member} and {@link #numMembers()}, which read the concurrent node map and the volatile
 * {@link NodeState#node()} and are safe from any thread.
 */
final class MembershipState {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipState.class);
    /** A zero-length array cannot be modified, so one serves every absent meta. */
    private static final byte[] EMPTY = new byte[0];

    private final MembershipConfig config;
    private final Scheduler scheduler;
    private final Random random;
    private final Awareness awareness;
    private final Broadcaster broadcaster;
    private final Delegates delegates;
    private final String localName;
    private final Interner interner;

    /** Every known node by name; written by the protocol thread, read by any (see the class comment). */
    private final Map<String, NodeState> nodeMap = new ConcurrentHashMap<>();
    /** Probe order: shuffled, new nodes inserted at a random position. */
    private final List<NodeState> nodes = new ArrayList<>();
    private final Map<String, Suspicion> timers = new HashMap<>();
    private long incarnation;
    private volatile boolean leaving;
    private Runnable leaveFinished;

    MembershipState(MembershipConfig config, Scheduler scheduler, Random random, Awareness awareness,
                    Broadcaster broadcaster, Delegates delegates) {
        this.config = config;
        this.scheduler = scheduler;
        this.random = random;
        this.awareness = awareness;
        this.broadcaster = broadcaster;
        this.delegates = delegates;
        this.localName = config.name();
        this.interner = config.interner();
    }

    String localName() {
        return localName;
    }

    /** Number of nodes known in any state (memberlist {@code estNumNodes}); scales every formula. */
    int numNodes() {
        return nodes.size();
    }

    boolean leaving() {
        return leaving;
    }

    NodeState get(String name) {
        return nodeMap.get(name);
    }

    /** The probe list, in probe order. Callers must not modify it. */
    List<NodeState> nodes() {
        return nodes;
    }

    long nextIncarnation() {
        return ++incarnation;
    }

    // ---------------------------------------------------------------------------------------------
    // alive

    /**
     * Applies an alive message.
     *
     * @param notify    run when the resulting broadcast has been fully transmitted (updateNode waits on it)
     * @param bootstrap true for our own startup / metadata update, which must not be "refuted"
     */
    void aliveNode(Alive a, Runnable notify, boolean bootstrap) {
        boolean isLocal = a.node().equals(localName);
        if (leaving && isLocal) {
            return;
        }
        byte[] vsn = a.vsn() == null ? EMPTY : a.vsn();
        if (vsn.length >= 3) {
            int pmin = vsn[0] & 0xff;
            int pmax = vsn[1] & 0xff;
            if (pmin == 0 || pmax == 0 || pmin > pmax) {
                LOG.warn("Ignoring alive for {}: bad protocol versions {}", a.node(), Arrays.toString(vsn));
                return;
            }
        }
        if (a.addr() == null || (a.addr().length != 4 && a.addr().length != 16)) {
            LOG.warn("Ignoring alive for {}: bad address length", a.node());
            return;
        }
        byte[] meta = a.meta() == null ? EMPTY : a.meta();
        if (delegates.alive() != null) {
            if (vsn.length < 6) {
                LOG.warn("Ignoring alive for {}: no version vector", a.node());
                return;
            }
            String veto = delegates.alive().notifyAlive(
                    new Node(a.node(), a.addr(), a.port(), meta, NodeStatus.ALIVE, a.incarnation(), vsn));
            if (veto != null) {
                LOG.warn("Ignoring alive for {}: {}", a.node(), veto);
                return;
            }
        }

        NodeState state = nodeMap.get(a.node());
        boolean updatesNode = false;
        if (state == null) {
            // Unknown: insert as dead at incarnation 0 so the checks below accept it, at a random
            // position of the probe list (appending would make the failure detection bound of new nodes
            // up to a whole round longer).
            byte[] initialVsn = vsn.length == 6 ? vsn : vsn.length > 6 ? vsn6(vsn) : new byte[6];
            state = new NodeState(interner.node(new Node(interner.name(a.node()), interner.bytes(a.addr()), a.port(),
                    interner.bytes(meta), NodeStatus.DEAD, 0, interner.bytes(initialVsn))));
            nodeMap.put(state.name, state);
            int n = nodes.size();
            int offset = n == 0 ? 0 : random.nextInt(n);
            nodes.add(state);
            Collections.swap(nodes, offset, n);
        } else if (!Arrays.equals(state.addr(), a.addr()) || state.port() != a.port()) {
            boolean canReclaim = !config.deadNodeReclaimTime().isZero()
                    && sinceChange(state).compareTo(config.deadNodeReclaimTime()) > 0;
            if (state.status() == NodeStatus.LEFT || (state.status() == NodeStatus.DEAD && canReclaim)) {
                LOG.info("Updating address for left or failed node {}", state.name);
                updatesNode = true;
            } else {
                LOG.error("Conflicting address for {}: mine {} theirs {} state {}", state.name,
                        hostPort(state.addr(), state.port()), hostPort(a.addr(), a.port()), state.status());
                if (delegates.conflict() != null) {
                    delegates.conflict().notifyConflict(state.node(),
                            new Node(a.node(), a.addr(), a.port(), meta, NodeStatus.ALIVE, a.incarnation(), vsn6(vsn)));
                }
                return;
            }
        }

        if (a.incarnation() <= state.incarnation() && !isLocal && !updatesNode) {
            return;
        }
        if (a.incarnation() < state.incarnation() && isLocal) {
            return;
        }

        cancelSuspicion(a.node());

        Node old = state.node();
        NodeStatus oldStatus = old.status();

        if (!bootstrap && isLocal) {
            // Same incarnation with the same content is just our own alive gossiped back. Anything else
            // (e.g. we restarted with new tags and peers still hold the old alive at this incarnation)
            // must be refuted so the cluster converges on our current metadata.
            if (a.incarnation() == old.incarnation() && Arrays.equals(meta, old.meta())
                    && Arrays.equals(vsn, old.vsn())) {
                return;
            }
            refute(state, a.incarnation());
            LOG.warn("Refuting an alive message for {}", a.node());
        } else {
            broadcaster.broadcast(a.node(), a, notify);
            // Keep the arrays already stored when their content is unchanged (most alives only raise
            // the incarnation), so a view retains nothing new for them.
            byte[] newVsn = vsn.length == 0 ? old.vsn() : keep(old.vsn(), vsn.length == 6 ? vsn : vsn6(vsn));
            Node updated = interner.node(new Node(state.name, keep(old.addr(), a.addr()), a.port(),
                    keep(old.meta(), meta), NodeStatus.ALIVE, a.incarnation(), newVsn));
            if (isLocal) {
                incarnation = Math.max(incarnation, a.incarnation());
            }
            if (oldStatus != NodeStatus.ALIVE) {
                state.changeStatus(updated, now());
            } else {
                state.set(updated);
            }
        }

        if (delegates.events() != null) {
            if (oldStatus.deadOrLeft()) {
                delegates.events().notifyJoin(state.node());
            } else if (!Arrays.equals(old.meta(), state.meta())) {
                delegates.events().notifyUpdate(state.node());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // suspect

    void suspectNode(Suspect s) {
        NodeState state = nodeMap.get(s.node());
        if (state == null || s.incarnation() < state.incarnation()) {
            return;
        }
        Suspicion timer = timers.get(s.node());
        if (timer != null) {
            if (s.incarnation() == state.incarnation()) {
                // Lifeguard: an independent confirmation shortens the timer; re-gossip only new information.
                if (timer.confirm(s.from())) {
                    broadcaster.broadcast(s.node(), s, null);
                }
                return;
            }
            // Rumor, beyond memberlist: a suspicion at a higher incarnation means the node refuted ours (we
            // missed its alive; peers that suspect it again gossip the suspect in its place) and was suspected
            // anew. memberlist counts it as a confirmation of the old suspicion and fails the node at the
            // incarnation it already refuted, a failure only this viewer then holds. We start the new
            // suspicion instead, with its own timeout.
            cancelSuspicion(s.node());
        } else if (state.status() != NodeStatus.ALIVE) {
            return;
        }
        if (state.name.equals(localName)) {
            refute(state, s.incarnation());
            LOG.warn("Refuting a suspect message from {}", s.from());
            return;
        }
        broadcaster.broadcast(s.node(), s, null);

        state.changeStatus(with(state.node(), NodeStatus.SUSPECT, s.incarnation()), now());
        int generation = state.generation;

        // We expect k independent confirmations, so that the nominal (min) timeout is reached two probe
        // intervals short of what suspicionMult suggests. Without enough other nodes (n minus us and the
        // suspect) none can come, so start at the minimum.
        int k = config.suspicionMult() - 2;
        int n = numNodes();
        if (n - 2 < k) {
            k = 0;
        }
        startSuspicionTimer(s.node(), s.from(), k, generation);
    }

    private void startSuspicionTimer(String name, String from, int k, int generation) {
        int n = numNodes();
        // Rumor, beyond memberlist: the timeout stretches with our own Lifeguard health score, as the probe
        // interval does. A node that keeps missing acks also misses the suspect's refutation and the answer to
        // its last-chance ping, so it would otherwise fail healthy nodes alone; a healthy node (score 0) keeps
        // the nominal timeout, and a real failure still reaches the slow node as the others' dead message.
        Duration min = awareness.scaleTimeout(
                ProtocolMath.suspicionTimeout(config.suspicionMult(), n, config.probeInterval()));
        Duration max = min.multipliedBy(config.suspicionMaxTimeoutMult());
        timers.put(name, new Suspicion(from, k, min, max, scheduler, confirmations -> {
            NodeState st = stillSuspected(name, generation);
            if (st == null) {
                return;
            }
            lastChance.check(st, () -> {
                NodeState now = stillSuspected(name, generation);
                if (now != null) {
                    LOG.info("Marking {} as failed, suspect timeout reached ({} peer confirmations)", name, confirmations);
                    deadNode(new Dead(now.incarnation(), name, localName));
                }
            }, () -> {
                if (stillSuspected(name, generation) != null) {
                    // It answered: we missed its refutation, or it has not heard the suspicion yet (our ping carried
                    // it). Keep it suspect and give it another whole timeout to refute.
                    LOG.info("Suspect {} answered a last ping before being marked failed; suspecting it again", name);
                    startSuspicionTimer(name, localName, k, generation);
                }
            });
        }));
    }

    /** The node's state if it is still in the suspicion that began at {@code generation}, else null. */
    private NodeState stillSuspected(String name, int generation) {
        NodeState st = nodeMap.get(name);
        return st != null && st.status() == NodeStatus.SUSPECT && st.generation == generation ? st : null;
    }

    /**
     * Asked when a suspicion times out, before the node is declared dead (Rumor, beyond memberlist): one more
     * direct ping. A healthy node whose refutation this node missed answers it, and is not declared dead on
     * a view that is simply behind.
     */
    interface LastChance {
        /** Runs {@code silent} if the node does not answer, {@code answered} if it does; on the protocol thread. */
        void check(NodeState node, Runnable silent, Runnable answered);
    }

    private LastChance lastChance = (node, silent, answered) -> silent.run();

    void lastChance(LastChance c) {
        lastChance = c;
    }

    // ---------------------------------------------------------------------------------------------
    // dead

    void deadNode(Dead d) {
        NodeState state = nodeMap.get(d.node());
        if (state == null || d.incarnation() < state.incarnation()) {
            return;
        }
        cancelSuspicion(d.node());
        if (state.deadOrLeft()) {
            return;
        }
        if (state.name.equals(localName)) {
            if (!leaving) {
                refute(state, d.incarnation());
                LOG.warn("Refuting a dead message from {}", d.from());
                return;
            }
            // Our own leave: broadcast it and tell leave() when it has been fully transmitted.
            broadcaster.broadcast(d.node(), d, leaveFinished);
        } else {
            broadcaster.broadcast(d.node(), d, null);
        }
        state.changeStatus(with(state.node(), d.node().equals(d.from()) ? NodeStatus.LEFT : NodeStatus.DEAD,
                d.incarnation()), now());
        if (delegates.events() != null) {
            delegates.events().notifyLeave(state.node());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // refute, leave

    /**
     * Re-asserts ourselves with an incarnation above {@code accusedInc} and a broadcast alive. Being
     * accused means we were slow to answer: Lifeguard lowers our health.
     *
     * <p>memberlist keys this broadcast by our IP address instead of our name, so it does not replace
     * a queued suspect/dead about us; we key it by name, which drops the now obsolete accusation from
     * our own queue (peers still get the alive, which overrides it everywhere).
     */
    private void refute(NodeState me, long accusedInc) {
        long inc = nextIncarnation();
        if (accusedInc >= inc) {
            inc = accusedInc + 1;
            incarnation = inc;
        }
        Node n = with(me.node(), me.status(), inc);
        me.set(n);
        awareness.applyDelta(1);
        broadcaster.broadcast(me.name, new Alive(inc, me.name, n.addr(), n.port(), n.meta(), n.vsn()), null);
    }

    /**
     * Starts a graceful leave: marks us leaving and applies a dead about ourselves with From == us.
     *
     * @param finished run when that broadcast has been transmitted retransmitLimit times
     * @return the dead message applied and broadcast; null if we are not in our own node map (never started)
     */
    Dead leave(Runnable finished) {
        leaving = true;
        NodeState me = nodeMap.get(localName);
        if (me == null) {
            return null;
        }
        leaveFinished = finished;
        Dead d = new Dead(me.incarnation(), localName, localName);
        deadNode(d);
        return d;
    }

    // ---------------------------------------------------------------------------------------------
    // push/pull

    /**
     * Memberlist's version compatibility check over a remote push/pull and our alive nodes (§5).
     *
     * @return null if compatible, else the reason
     */
    String verifyProtocol(List<PushNodeState> remote) {
        int maxpmin = 0;
        int minpmax = 255;
        int maxdmin = 0;
        int mindmax = 255;
        for (PushNodeState rn : remote) {
            if (rn.state() != NodeStatus.ALIVE.wireValue() || rn.vsn() == null || rn.vsn().length < 6) {
                continue;
            }
            maxpmin = Math.max(maxpmin, rn.vsn()[0] & 0xff);
            minpmax = Math.min(minpmax, rn.vsn()[1] & 0xff);
            maxdmin = Math.max(maxdmin, rn.vsn()[3] & 0xff);
            mindmax = Math.min(mindmax, rn.vsn()[4] & 0xff);
        }
        for (NodeState ns : nodes) {
            Node n = ns.node();
            if (n.status() != NodeStatus.ALIVE) {
                continue;
            }
            maxpmin = Math.max(maxpmin, n.pmin());
            minpmax = Math.min(minpmax, n.pmax());
            maxdmin = Math.max(maxdmin, n.dmin());
            mindmax = Math.min(mindmax, n.dmax());
        }
        for (PushNodeState rn : remote) {
            int pcur = rn.vsn() != null && rn.vsn().length >= 6 ? rn.vsn()[2] & 0xff : 0;
            int dcur = rn.vsn() != null && rn.vsn().length >= 6 ? rn.vsn()[5] & 0xff : 0;
            String err = checkVersions(rn.name(), pcur, dcur, maxpmin, minpmax, maxdmin, mindmax);
            if (err != null) {
                return err;
            }
        }
        for (NodeState ns : nodes) {
            Node n = ns.node();
            String err = checkVersions(n.name(), n.pcur(), n.dcur(), maxpmin, minpmax, maxdmin, mindmax);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    private static String checkVersions(String name, int pcur, int dcur, int maxpmin, int minpmax, int maxdmin, int mindmax) {
        if (pcur < maxpmin || pcur > minpmax) {
            return "Node '" + name + "' protocol version (" + pcur + ") is incompatible: [" + maxpmin + ", " + minpmax + "]";
        }
        if (dcur < maxdmin || dcur > mindmax) {
            return "Node '" + name + "' delegate protocol version (" + dcur + ") is incompatible: [" + maxdmin + ", " + mindmax + "]";
        }
        return null;
    }

    /**
     * Merges a peer's full state (§6.5). A remote "dead" is only a suspicion here: the peer may simply
     * not have heard the refutation yet, and a suspicion gives the node time to refute.
     */
    void mergeState(List<PushNodeState> remote) {
        for (PushNodeState r : remote) {
            NodeStatus st = NodeStatus.ofWire(r.state());
            if (st == null || r.name() == null) {
                continue;
            }
            switch (st) {
                case ALIVE -> aliveNode(new Alive(r.incarnation(), r.name(), r.addr(), r.port(), r.meta(), r.vsn()), null, false);
                case LEFT -> deadNode(new Dead(r.incarnation(), r.name(), r.name()));
                default -> suspectNode(new Suspect(r.incarnation(), r.name(), localName));
            }
        }
    }

    /** Our full state for a push/pull: every node in any state, ourselves included. */
    List<PushNodeState> localState() {
        List<PushNodeState> out = new ArrayList<>(nodes.size());
        for (NodeState ns : nodes) {
            Node n = ns.node();
            out.add(new PushNodeState(n.name(), n.addr(), n.port(), n.meta(), n.incarnation(), n.status().wireValue(), n.vsn()));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // probe list maintenance and random choice

    /**
     * Called when the probe round wraps: forgets nodes dead for longer than GossipToTheDeadTime and
     * reshuffles. (As in memberlist 0.2.2, left nodes stay in the list.)
     */
    void resetNodes() {
        Duration keep = config.gossipToTheDeadTime();
        List<NodeState> reaped = new ArrayList<>();
        nodes.removeIf(n -> {
            boolean reap = n.status() == NodeStatus.DEAD && sinceChange(n).compareTo(keep) > 0;
            if (reap) {
                reaped.add(n);
            }
            return reap;
        });
        for (NodeState n : reaped) {
            nodeMap.remove(n.name);
        }
        Collections.shuffle(nodes, random);
    }

    /**
     * Up to {@code k} distinct random nodes not excluded by {@code exclude}; tries 3n random picks
     * (memberlist {@code kRandomNodes}), so small clusters are searched exhaustively in practice.
     */
    List<NodeState> randomNodes(int k, Predicate<NodeState> exclude) {
        int n = nodes.size();
        List<NodeState> out = new ArrayList<>(k);
        for (int i = 0; i < 3 * n && out.size() < k; i++) {
            NodeState node = nodes.get(random.nextInt(n));
            if (exclude.test(node) || out.contains(node)) {
                continue;
            }
            out.add(node);
        }
        return out;
    }

    /** Any alive node other than us? (leave/updateNode only wait for a broadcast if someone can hear it.) */
    boolean anyAlive() {
        for (NodeState n : nodes) {
            if (!n.deadOrLeft() && !n.name.equals(localName)) {
                return true;
            }
        }
        return false;
    }

    Duration sinceChange(NodeState n) {
        return Duration.ofNanos(now() - n.stateChangeNanos);
    }

    // ---------------------------------------------------------------------------------------------
    // published view (any thread): members whose alive was accepted at least once

    List<Node> members() {
        List<Node> out = new ArrayList<>();
        for (NodeState s : nodeMap.values()) {
            Node n = s.published() ? s.node() : null;
            if (n != null && !n.status().deadOrLeft()) {
                out.add(n);
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** Every known node in any state, sorted by name. */
    List<Node> allNodes() {
        List<Node> out = new ArrayList<>();
        for (NodeState s : nodeMap.values()) {
            if (s.published()) {
                out.add(s.node());
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    Node member(String name) {
        NodeState s = nodeMap.get(name);
        return s != null && s.published() ? s.node() : null;
    }

    int numMembers() {
        int alive = 0;
        for (NodeState s : nodeMap.values()) {
            if (s.published() && !s.node().status().deadOrLeft()) {
                alive++;
            }
        }
        return alive;
    }

    /** Stops every suspicion timer (shutdown). */
    void cancelAllTimers() {
        for (Suspicion s : timers.values()) {
            s.cancel();
        }
        timers.clear();
    }

    private void cancelSuspicion(String name) {
        Suspicion s = timers.remove(name);
        if (s != null) {
            s.cancel();
        }
    }

    private long now() {
        return scheduler.clock().nanoTime();
    }

    private static byte[] vsn6(byte[] vsn) {
        return Arrays.copyOf(vsn, 6);
    }

    /** The stored array if {@code received} has the same content, else the interned received one. */
    private byte[] keep(byte[] stored, byte[] received) {
        return Arrays.equals(stored, received) ? stored : interner.bytes(received);
    }

    private Node with(Node n, NodeStatus status, long incarnation) {
        return interner.node(new Node(n.name(), n.addr(), n.port(), n.meta(), status, incarnation, n.vsn()));
    }

    /** For tests: the suspicion timer running for a node, or null. */
    Suspicion suspicion(String name) {
        return timers.get(name);
    }

    /** "ip:port" as serf logs addresses (not a byte array). */
    private static String hostPort(byte[] ip, int port) {
        try {
            return java.net.InetAddress.getByAddress(ip).getHostAddress() + ":" + port;
        } catch (java.net.UnknownHostException e) {
            return java.util.Arrays.toString(ip) + ":" + port;
        }
    }
}
