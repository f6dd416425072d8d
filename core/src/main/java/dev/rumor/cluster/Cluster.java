package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.coordinate.Coordinate;
import dev.rumor.coordinate.CoordinateClient;
import dev.rumor.membership.Delegates;
import dev.rumor.membership.Memberlist;
import dev.rumor.membership.Node;
import dev.rumor.membership.TransmitLimitedQueue;
import dev.rumor.time.Scheduler;
import dev.rumor.transport.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a serf cluster (serf {@code serf.go}): membership with intents and statuses, user events,
 * queries, tags, graceful leave, force-leave, reaping, reconnects, key management and network
 * coordinates, built on {@link Memberlist} through its delegates only. Wire compatible with serf 0.9.
 *
 * <p>Threading: all serf state lives on the injected {@link Scheduler}'s protocol thread (shared with the
 * memberlist). Public mutators may be called from any thread and return a {@link CompletableFuture}
 * completed on the protocol thread (do not block that thread waiting on one). Reads
 * ({@link #members()}, {@link #localMember()}, {@link #tags()}, {@link #state()}) return published
 * snapshots. Events go to the sink given to {@link #create} on the protocol thread; it must not block.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    /** Serf's own lifecycle (serf {@code SerfState}). */
    public enum State { ALIVE, LEAVING, LEFT, SHUTDOWN }

    private final ClusterConfig config;
    private final Scheduler scheduler;
    private final Random random;
    private final LamportClock clock = new LamportClock();
    /**
     * How far ahead of our clock a prune is stamped: a peer's status time for a left member runs ahead by one
     * per push/pull exchange it took part in since the member left, which in a few push/pull rounds is a
     * handful; 16 covers that, and {@link #leftElsewhere} covers the rest.
     */
    static final long PRUNE_LEAD = 16;
    /** Members this node pruned within the recent-intent timeout, each with the token of its latest prune. */
    private final Map<String, Object> prunesSent = new HashMap<>();
    private final MemberTable table;
    private final UserEvents userEvents;
    private final Queries queries;
    private final SerfBroadcasts broadcasts;
    private final CoordinateClient coordClient;
    private final Map<String, Coordinate> coordCache = new ConcurrentHashMap<>();
    private final KeyManager keyManager;
    private final StateExchange exchange;
    private final ConflictResolver conflicts;
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    private volatile Map<String, String> tags;
    private volatile State state = State.ALIVE;
    private volatile Memberlist memberlist;
    /** Joins in flight that must not replay old events (serf's {@code eventJoinIgnore}). */
    private int ignoreOldJoins;
    private volatile Runnable onLeave = () -> { };

    private Cluster(ClusterConfig config, Scheduler scheduler, Consumer<ClusterEvent> events) {
        this.config = config;
        this.scheduler = scheduler;
        this.random = config.randomSeed() == null ? new Random(new SecureRandom().nextLong())
                : new Random(config.randomSeed());
        this.tags = config.tags();
        Consumer<ClusterEvent> sink = events == null ? e -> { } : events;
        MemberTable[] holder = new MemberTable[1];
        Consumer<ClusterEvent> internal = new InternalQueries(config.nodeName(), n -> holder[0].snapshot().get(n),
                config.keyring(), config.keyringFile(), config.queryResponseSizeLimit(), sink);
        this.table = new MemberTable(config.nodeName(), clock, scheduler, internal,
                config.broadcastTimeout().plus(config.leavePropagateDelay()));
        holder[0] = table;
        this.broadcasts = new SerfBroadcasts(table::size, config.membership().retransmitMult());
        this.userEvents = new UserEvents(new LamportClock(), new UserEventBuffer(config.eventBuffer()), internal);
        this.queries = new Queries(config, new LamportClock(), new QueryBuffer(config.queryBuffer()), scheduler, random,
                (to, msg) -> memberlist.sendTo(to, msg), () -> table.snapshot().values(), () -> tags, internal,
                raw -> originate(broadcasts.queries, raw, null));
        this.coordClient = config.coordinates() == null ? null : new CoordinateClient(config.coordinates());
        table.onErase(name -> {
            if (coordClient != null) {
                coordClient.forgetNode(name);
                coordCache.remove(name);
            }
        });
        this.keyManager = new KeyManager(this);
        this.exchange = new StateExchange(clock, table, userEvents, queries.clock(), () -> state == State.ALIVE,
                this::leftElsewhere, () -> broadcastJoin(clock.time()));
        this.conflicts = new ConflictResolver(config.nodeName(), config.enableNameConflictResolution(),
                () -> memberlist.localNode(), payload -> {
                    Node local = memberlist.localNode();
                    return queries.start(InternalQueries.CONFLICT, payload, QueryParams.defaults(),
                            defaultQueryTimeout(), local.addr(), local.port());
                }, () -> scheduler.execute(this::shutdown));
        // serf starts every clock at 1
        clock.increment();
        userEvents.clock().increment();
        queries.clock().increment();
    }

    /**
     * Creates the node and its memberlist (which starts probing and gossiping at once). The node is alone
     * until {@link #join}.
     *
     * @param events where member events, user events and (non-internal) queries go; may be null
     * @throws IllegalArgumentException if the tags exceed 512 bytes encoded
     */
    public static Cluster create(ClusterConfig config, Transport transport, Scheduler scheduler,
                                 Consumer<ClusterEvent> events) {
        if (config.protocolVersion() >= 3) {
            Tags.encode(config.tags());
        }
        Cluster c = new Cluster(config, scheduler, events);
        ClusterDelegate d = new ClusterDelegate(c);
        Delegates delegates = Delegates.none().withMeta(d).withMessages(d).withState(d).withEvents(d)
                .withConflict(d);
        if (c.coordClient != null) {
            delegates = delegates.withPing(d);
        }
        c.memberlist = Memberlist.create(config.membership(), transport, scheduler, delegates);
        scheduler.execute(c::startTimers);
        return c;
    }

    /**
     * Restores clocks from a snapshot (serf does this at creation): witnesses the three clocks and stops
     * old events and queries from being delivered again. Call before {@link #join}.
     */
    public CompletableFuture<Void> restore(SnapshotState snap) {
        return onProtocolThread(() -> {
            clock.witness(snap.lastClock());
            userEvents.clock().witness(snap.lastEventClock());
            queries.clock().witness(snap.lastQueryClock());
            userEvents.buffer().raiseMinTime(snap.lastEventClock() + 1);
            queries.raiseMinTime(snap.lastQueryClock() + 1);
            return null;
        });
    }

    private void startTimers() {
        timers.add(every(config.reapInterval(), () -> table.reap(config.reconnectTimeout(), config.tombstoneTimeout(),
                config.recentIntentTimeout())));
        timers.add(every(config.reconnectInterval(), this::reconnect));
        timers.add(every(config.queueCheckInterval(), () -> broadcasts.checkDepth(config.queueDepthWarning(),
                queueMax())));
    }

    private Scheduler.Cancellable every(Duration interval, Runnable task) {
        Scheduler.Cancellable[] current = new Scheduler.Cancellable[1];
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (state == State.SHUTDOWN) {
                return;
            }
            task.run();
            current[0] = scheduler.schedule(interval, loop[0]);
        };
        current[0] = scheduler.schedule(interval, loop[0]);
        return () -> current[0].cancel();
    }

    private int queueMax() {
        int max = config.maxQueueDepth();
        if (config.minQueueDepth() > 0) {
            max = Math.max(2 * table.size(), config.minQueueDepth());
        }
        return max;
    }

    // ------------------------------------------------------------------ public API

    /**
     * Joins through the given members. With {@code ignoreOld}, user events that happened before the join
     * are not replayed (the agent default). On success a join intent is broadcast.
     *
     * @return the number of members contacted successfully
     */
    public CompletableFuture<Integer> join(Collection<InetSocketAddress> existing, boolean ignoreOld) {
        if (state != State.ALIVE) {
            return CompletableFuture.failedFuture(new IllegalStateException("Serf can't Join after Leave or Shutdown"));
        }
        CompletableFuture<Integer> out = new CompletableFuture<>();
        scheduler.execute(() -> {
            if (ignoreOld) {
                ignoreOldJoins++;
            }
            memberlist.join(existing).whenComplete((n, err) -> scheduler.execute(() -> {
                if (ignoreOld) {
                    ignoreOldJoins--;
                }
                if (err != null) {
                    out.completeExceptionally(err);
                    return;
                }
                if (n > 0) {
                    broadcastJoin(clock.time());
                }
                out.complete(n);
            }));
        });
        return out;
    }

    /**
     * Graceful leave (wire-protocol §7.5): status leaving, leave intent gossiped until fully transmitted,
     * then the memberlist leave, then {@code leavePropagateDelay} so peers' probes still get answers, then
     * status left. Call {@link #shutdown()} afterwards.
     */
    public CompletableFuture<Void> leave() {
        CompletableFuture<Void> out = new CompletableFuture<>();
        scheduler.execute(() -> {
            switch (state) {
                case LEFT -> {
                    out.complete(null);
                    return;
                }
                case LEAVING -> {
                    out.completeExceptionally(new IllegalStateException("Leave already in progress"));
                    return;
                }
                case SHUTDOWN -> {
                    out.completeExceptionally(new IllegalStateException("Leave called after Shutdown"));
                    return;
                }
                default -> {
                }
            }
            state = State.LEAVING;
            onLeave.run();
            SerfMessage.Leave msg = new SerfMessage.Leave(clock.time(), config.nodeName(), false);
            clock.increment();
            table.leaveIntent(msg, false);
            Runnable memberlistLeave = () -> memberlist.leave(config.broadcastTimeout()).whenComplete((v, err) ->
                    scheduler.execute(() -> {
                        if (err != null) {
                            out.completeExceptionally(err);
                            return;
                        }
                        scheduler.schedule(config.leavePropagateDelay(), () -> {
                            if (state != State.SHUTDOWN) {
                                state = State.LEFT;
                            }
                            out.complete(null);
                        });
                    }));
            if (!table.hasAliveMembers()) {
                memberlistLeave.run();
                return;
            }
            broadcastAndWait(msg, "timeout while waiting for graceful leave").whenComplete((v, err) -> {
                if (err != null) {
                    out.completeExceptionally(err);
                } else {
                    memberlistLeave.run();
                }
            });
        });
        return out;
    }

    /**
     * Sends a leave intent on behalf of {@code node} (serf {@code RemoveFailedNode}): a failed member
     * becomes left; with {@code prune} it is also erased everywhere.
     */
    public CompletableFuture<Void> forceLeave(String node, boolean prune) {
        CompletableFuture<Void> out = new CompletableFuture<>();
        scheduler.execute(() -> {
            SerfMessage.Leave msg = forcedLeave(node, prune);
            table.leaveIntent(msg, state == State.ALIVE);
            if (prune) {
                Object token = new Object();
                prunesSent.put(node, token);
                scheduler.schedule(config.recentIntentTimeout(), () -> prunesSent.remove(node, token));
            }
            if (!table.hasAliveMembers()) {
                out.complete(null);
                return;
            }
            broadcastAndWait(msg, "timed out broadcasting node removal").whenComplete((v, err) -> {
                if (err != null) {
                    out.completeExceptionally(err);
                } else {
                    out.complete(null);
                }
            });
        });
        return out;
    }

    /**
     * The leave intent of a forced leave, stamped (beyond serf, which uses its clock as is) later than any
     * status time a peer is likely to hold for the node. Serf's push/pull merge raises a left member's
     * status time by one on every exchange ({@code StatusLTimes[name] + 1}), so peers that synced since the
     * node left hold times we have not seen; a prune stamped at or below them is dropped as stale there
     * and the member stays "left" on those peers for a day. A prune therefore leads our clock by
     * {@link #PRUNE_LEAD}, and {@link #leftElsewhere} re-sends it if a peer still keeps the member.
     */
    private SerfMessage.Leave forcedLeave(String node, boolean prune) {
        Long known = table.statusLTimes().get(node);
        if (known != null) {
            clock.witness(known);
        }
        long ltime = clock.time() + (prune ? PRUNE_LEAD : 0);
        clock.witness(ltime);
        return new SerfMessage.Leave(ltime, node, prune);
    }

    /**
     * A peer's push/pull lists {@code node} as left. If we pruned it recently, that peer dropped our prune
     * (its status time had run ahead of ours): send the prune again, now stamped above that peer's time.
     */
    private void leftElsewhere(String node) {
        if (!prunesSent.containsKey(node) || table.member(node) != null || state != State.ALIVE) {
            return;
        }
        LOG.info("{} is still left at a peer after our prune: pruning again", node);
        originate(broadcasts.intents, SerfCodec.encode(forcedLeave(node, true)), null);
    }

    /** Queues an intent and completes when it was fully transmitted, or fails after the broadcast timeout. */
    private CompletableFuture<Void> broadcastAndWait(SerfMessage msg, String timeoutMessage) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        originate(broadcasts.intents, SerfCodec.encode(msg), () -> f.complete(null));
        Scheduler.Cancellable t = scheduler.schedule(config.broadcastTimeout(),
                () -> f.completeExceptionally(new TimeoutException(timeoutMessage)));
        f.whenComplete((v, e) -> t.cancel());
        return f;
    }

    /**
     * Sends a user event to every member (each receives it once).
     *
     * @throws IllegalArgumentException (through the future) when a size limit is exceeded
     */
    public CompletableFuture<Void> userEvent(String name, byte[] payload, boolean coalesce) {
        byte[] copy = payload == null ? null : payload.clone();
        return onProtocolThread(() -> {
            originate(broadcasts.events, userEvents.send(name, copy, coalesce, config.userEventSizeLimit()), null);
            return null;
        });
    }

    /**
     * Starts a query. The result collects acks and responses until every node that matched the filters
     * answered, or until the timeout.
     */
    public CompletableFuture<QueryResponses> query(String name, byte[] payload, QueryParams params) {
        if (config.protocolVersion() < 4) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("Feature not supported"));
        }
        byte[] copy = payload == null ? null : payload.clone();
        QueryParams p = params == null ? QueryParams.defaults() : params;
        return onProtocolThread(() -> {
            Duration timeout = p.timeout() == null || p.timeout().isZero() ? defaultQueryTimeout() : p.timeout();
            Node local = memberlist.localNode();
            return queries.start(name, copy, p, timeout, local.addr(), local.port());
        });
    }

    /** {@code gossipInterval × queryTimeoutMult × ceil(log10(alive members + 1))}. */
    public Duration defaultQueryTimeout() {
        return ClusterMath.defaultQueryTimeout(config.membership().gossipInterval(), config.queryTimeoutMult(),
                memberlist.numMembers());
    }

    /**
     * Replaces our tags and gossips them (memberlist update with a new incarnation); completes when the
     * update was transmitted.
     */
    public CompletableFuture<Void> setTags(Map<String, String> newTags) {
        Map<String, String> copy = Map.copyOf(newTags);
        if (config.protocolVersion() >= 3) {
            try {
                Tags.encode(copy);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        tags = copy;
        return memberlist.updateNode(config.broadcastTimeout());
    }

    /** The member (intent) Lamport clock now; the snapshot records it. */
    public long memberClockTime() {
        return clock.time();
    }

    /** Every member we know in any status, sorted by name, ourselves included. */
    public List<Member> members() {
        return List.copyOf(table.snapshot().values());
    }

    public Member member(String name) {
        return table.snapshot().get(name);
    }

    public Member localMember() {
        return table.snapshot().get(config.nodeName());
    }

    public Map<String, String> tags() {
        return tags;
    }

    public State state() {
        return state;
    }

    public String nodeName() {
        return config.nodeName();
    }

    public ClusterConfig config() {
        return config;
    }

    public KeyManager keyManager() {
        return keyManager;
    }

    public boolean encryptionEnabled() {
        return config.keyring() != null;
    }

    /** Our Vivaldi coordinate, or null when coordinates are disabled. */
    public Coordinate coordinate() {
        return coordClient == null ? null : coordClient.coordinate();
    }

    /** The last coordinate {@code node} sent us in an ack, or null. */
    public Coordinate cachedCoordinate(String node) {
        if (node.equals(config.nodeName())) {
            return coordinate();
        }
        return coordCache.get(node);
    }

    public Memberlist memberlist() {
        return memberlist;
    }

    /** Called (on the protocol thread) when a graceful leave starts: the snapshot writes its {@code leave} line. */
    public void onLeave(Runnable r) {
        onLeave = r == null ? () -> { } : r;
    }

    /** Operator statistics with serf's keys (agent {@code info}, RPC {@code stats}). */
    public Map<String, String> stats() {
        Map<String, String> s = new LinkedHashMap<>();
        Collection<Member> all = table.snapshot().values();
        s.put("members", Integer.toString(all.size()));
        s.put("failed", Long.toString(all.stream().filter(m -> m.status() == MemberStatus.FAILED).count()));
        s.put("left", Long.toString(all.stream().filter(m -> m.status() == MemberStatus.LEFT).count()));
        s.put("health_score", Integer.toString(memberlist.healthScore()));
        s.put("member_time", Long.toUnsignedString(clock.time()));
        s.put("event_time", Long.toUnsignedString(userEvents.clock().time()));
        s.put("query_time", Long.toUnsignedString(queries.clock().time()));
        s.put("intent_queue", Integer.toString(broadcasts.intents.size()));
        s.put("event_queue", Integer.toString(broadcasts.events.size()));
        s.put("query_queue", Integer.toString(broadcasts.queries.size()));
        s.put("encrypted", Boolean.toString(encryptionEnabled()));
        if (coordClient != null) {
            s.put("coordinate_resets", Integer.toString(coordClient.resets()));
        }
        return s;
    }

    /** Stops everything without telling anyone (call {@link #leave()} first for a graceful exit). */
    public void shutdown() {
        if (state == State.SHUTDOWN) {
            return;
        }
        if (state != State.LEFT) {
            LOG.warn("Shutdown without a Leave");
        }
        state = State.SHUTDOWN;
        scheduler.execute(() -> {
            timers.forEach(Scheduler.Cancellable::cancel);
            timers.clear();
            queries.closeAll();
        });
        memberlist.shutdown();
    }

    @Override
    public void close() {
        shutdown();
    }

    private <T> CompletableFuture<T> onProtocolThread(java.util.function.Supplier<T> action) {
        CompletableFuture<T> out = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                out.complete(action.get());
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ protocol-thread internals

    private void broadcastJoin(long ltime) {
        SerfMessage.Join msg = new SerfMessage.Join(ltime, config.nodeName());
        clock.witness(ltime);
        table.joinIntent(msg);
        originate(broadcasts.intents, SerfCodec.encode(msg), null);
    }

    /**
     * A message this node originates: queued for gossip, gossiped at once, and also sent straight to up to
     * {@code directFanout} members ({@link Memberlist#fanOut}). Relayed messages are only queued and gossiped.
     */
    private void originate(TransmitLimitedQueue queue, byte[] raw, Runnable finished) {
        queue.queue(SerfBroadcasts.unique(raw, finished));
        memberlist.gossipSoon();
        memberlist.fanOut(raw);
    }

    private void reconnect() {
        List<Member> failed = table.failedMembers();
        if (failed.isEmpty()) {
            return;
        }
        float numAlive = table.size() - failed.size() - table.leftCount();
        if (numAlive == 0) {
            numAlive = 1;
        }
        float prob = failed.size() / numAlive;
        if (random.nextFloat() > prob) {
            LOG.debug("forgoing reconnect for random throttling");
            return;
        }
        Member m = failed.get(random.nextInt(failed.size()));
        LOG.info("attempting reconnect to {} {}", m.name(), m.address());
        memberlist.join(List.of(m.address()));
    }

    /** memberlist user message (gossiped or direct). Malformed input is logged and dropped. */
    void onMessage(byte[] buf) {
        if (buf.length == 0) {
            return;
        }
        SerfMessage m;
        try {
            m = SerfCodec.decode(buf);
        } catch (dev.rumor.msgpack.MsgpackException e) {
            LOG.error("Error decoding serf message type {}: {}", buf[0] & 0xff, e.getMessage());
            return;
        }
        if (m == null) {
            LOG.warn("Received message of unknown type: {}", buf[0] & 0xff);
            return;
        }
        if (m instanceof SerfMessage.Leave l) {
            MemberTable.LeaveResult r = table.leaveIntent(l, state == State.ALIVE);
            if (r == MemberTable.LeaveResult.REFUTE) {
                broadcastJoin(clock.time());
            } else if (r == MemberTable.LeaveResult.APPLIED) {
                broadcasts.intents.queue(SerfBroadcasts.unique(buf.clone(), null));
                memberlist.gossipSoon();
            }
        } else if (m instanceof SerfMessage.Join j) {
            if (table.joinIntent(j)) {
                broadcasts.intents.queue(SerfBroadcasts.unique(buf.clone(), null));
                memberlist.gossipSoon();
            }
        } else if (m instanceof SerfMessage.UserEvent e) {
            if (userEvents.receive(e)) {
                broadcasts.events.queue(SerfBroadcasts.unique(buf.clone(), null));
                memberlist.gossipSoon();
            }
        } else if (m instanceof SerfMessage.Query q) {
            if (queries.receive(q)) {
                broadcasts.queries.queue(SerfBroadcasts.unique(buf.clone(), null));
                memberlist.gossipSoon();
            }
        } else if (m instanceof SerfMessage.QueryResponse r) {
            queries.receiveResponse(r);
        } else if (m instanceof SerfMessage.Relay r) {
            InetSocketAddress dest = Queries.address(r.destAddr(), r.destPort());
            if (dest != null) {
                LOG.debug("Relaying response to addr: {}", dest);
                memberlist.sendTo(dest, r.message());
            }
        } else {
            LOG.warn("Received unexpected serf message type: {}", m.type());
        }
    }

    List<byte[]> getBroadcasts(int overhead, int limit) {
        return broadcasts.get(overhead, limit);
    }

    byte[] nodeMeta(int limit) {
        byte[] b = config.protocolVersion() < 3 ? Tags.encodeLegacy(tags) : Tags.encode(tags);
        if (b.length > limit) {
            throw new IllegalStateException("Node tags '" + tags + "' exceeds length limit of " + limit + " bytes");
        }
        return b;
    }

    byte[] localState() {
        return exchange.localState();
    }

    void mergeRemoteState(byte[] buf, boolean join) {
        exchange.merge(buf, join, ignoreOldJoins > 0);
    }

    void nodeJoined(Node n) {
        table.nodeJoined(n);
    }

    void nodeLeft(Node n) {
        table.nodeLeft(n);
    }

    void nodeUpdated(Node n) {
        table.nodeUpdated(n);
    }

    void conflict(Node existing, Node other) {
        conflicts.conflict(existing, other);
    }

    byte[] ackPayload() {
        return dev.rumor.coordinate.PingPayload.encode(coordClient.coordinate());
    }

    void pingComplete(Node other, Duration rtt, byte[] payload) {
        if (payload == null || payload.length == 0) {
            return;
        }
        try {
            Coordinate c = dev.rumor.coordinate.PingPayload.decode(payload);
            if (c == null) {
                return;
            }
            coordClient.update(other.name(), c, rtt);
            coordCache.put(other.name(), c);
        } catch (dev.rumor.msgpack.MsgpackException | IllegalArgumentException e) {
            LOG.error("Rejected coordinate from {}: {}", other.name(), e.getMessage());
        }
    }
}
