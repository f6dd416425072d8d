package dev.rumor.membership;

import dev.rumor.membership.wire.Message;
import dev.rumor.time.Scheduler;
import dev.rumor.transport.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership in a SWIM + Lifeguard cluster, wire compatible with HashiCorp memberlist
 * 0.2.x (and therefore with serf agents).
 *
 * <p>Threading: the whole protocol runs on the injected {@link Scheduler} (one thread; in tests a
 * {@link dev.rumor.time.VirtualScheduler}); transport handlers only re-dispatch onto it. Public methods
 * may be called from any thread: mutating ones return a {@link CompletableFuture} completed on the
 * protocol thread, read-only ones ({@link #members()}, {@link #localNode()}, {@link #numMembers()},
 * {@link #stats()}) read a published snapshot. Do not block the protocol thread waiting for one of
 * these futures (e.g. inside a delegate callback).
 *
 * <p>Delegate callbacks run on the protocol thread, except those made inside {@link #create}
 * (metadata and our own join), which run on the caller's thread before the instance is visible to
 * anything else.
 */
public final class Memberlist implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Memberlist.class);

    private final MembershipConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Delegates delegates;
    private final WireFormat wire;
    private final MembershipStats stats = new MembershipStats();
    private final Random random;
    private final Awareness awareness;
    private final TransmitLimitedQueue broadcasts;
    private final MembershipState state;
    private final Messenger messenger;
    private final AckHandlers acks;
    private final Prober prober;
    private final Gossiper gossiper;
    private final PushPull pushPull;
    private final Receiver receiver;
    private final Prober.SelfAddress self;
    private final List<Ticker> tickers = new ArrayList<>();
    private volatile boolean shutdown;

    private Memberlist(MembershipConfig config, Transport transport, Scheduler scheduler, Delegates delegates,
                       WireFormat wire, int encryptionOverhead) {
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.delegates = delegates == null ? Delegates.none() : delegates;
        this.wire = wire;
        this.random = config.randomSeed() == null ? new Random(new SecureRandom().nextLong()) : new Random(config.randomSeed());
        this.awareness = new Awareness(config.awarenessMaxMultiplier());
        InetSocketAddress adv = config.advertiseAddress() != null ? config.advertiseAddress() : transport.advertiseAddress();
        byte[] advAddr = adv.getAddress().getAddress();
        this.self = new Prober.SelfAddress(config.name(), advAddr, adv.getPort());
        // The queue needs the state's size and the state needs the queue; the lambda breaks the cycle.
        MembershipState[] holder = new MembershipState[1];
        this.broadcasts = new TransmitLimitedQueue(() -> holder[0].numNodes(), config.retransmitMult(),
                suspectsPerNode(config));
        this.state = new MembershipState(config, scheduler, random, awareness,
                (node, msg, finished) -> {
                    broadcasts.queue(new Broadcast(node,
                            msg instanceof Message.Suspect s ? s.from() : null, wire.encode(msg), finished));
                    if (eager(msg)) {
                        gossipSoon();
                    }
                },
                this.delegates);
        holder[0] = state;
        this.messenger = new Messenger(config, transport, wire, broadcasts, this.delegates.messages(), stats, encryptionOverhead);
        this.acks = new AckHandlers(scheduler);
        this.prober = new Prober(config, state, messenger, transport, acks, awareness, this.delegates.ping(),
                scheduler, stats, self);
        state.lastChance(prober::lastChance);
        this.gossiper = new Gossiper(config, state, messenger);
        this.pushPull = new PushPull(config, state, transport, wire, scheduler, this.delegates, stats);
        this.receiver = new Receiver(config, state, messenger, acks, pushPull, this.delegates, scheduler, stats, self);
    }

    /**
     * Creates and starts a node: applies our own alive (incarnation 1), hooks the transport and starts
     * probing, gossip and push/pull after a random stagger each. Encoding uses the wire codec with the
     * config's compression flag and keyring.
     */
    public static Memberlist create(MembershipConfig config, Transport transport, Scheduler scheduler, Delegates delegates) {
        return create(config, transport, scheduler, delegates, CodecWireFormat.of(config));
    }

    static Memberlist create(MembershipConfig config, Transport transport, Scheduler scheduler, Delegates delegates,
                             WireFormat wire) {
        Memberlist m = new Memberlist(config, transport, scheduler, delegates, wire,
                wire instanceof CodecWireFormat c ? c.encryptionOverhead() : 0);
        m.start();
        return m;
    }

    private void start() {
        byte[] meta = nodeMeta();
        state.aliveNode(new Message.Alive(state.nextIncarnation(), config.name(), self.addr(), self.port(), meta,
                config.vsn()), null, true);
        transport.frameReader(wire.frameReader());
        transport.onPacket(p -> scheduler.execute(() -> {
            if (!shutdown) {
                receiver.onPacket(p);
            }
        }));
        transport.onStream((req, from, reply) -> scheduler.execute(() -> {
            if (shutdown) {
                reply.close();
            } else {
                receiver.onStream(req, from, reply);
            }
        }));
        scheduler.execute(() -> {
            if (!config.probeInterval().isZero()) {
                periodic(config.probeInterval(), prober::tick);
            }
            if (!config.gossipInterval().isZero() && config.gossipNodes() > 0) {
                periodic(config.gossipInterval(), gossiper::tick);
            }
            if (!config.pushPullInterval().isZero()) {
                scheduleScaledPushPull(stagger(config.pushPullInterval()));
            }
        });
    }

    private byte[] nodeMeta() {
        byte[] meta = delegates.meta() == null ? new byte[0] : delegates.meta().nodeMeta(MembershipConfig.META_MAX_SIZE);
        if (meta == null) {
            meta = new byte[0];
        }
        if (meta.length > MembershipConfig.META_MAX_SIZE) {
            throw new IllegalStateException("node metadata is " + meta.length + " bytes, limit " + MembershipConfig.META_MAX_SIZE);
        }
        return meta;
    }

    private Duration stagger(Duration interval) {
        return Duration.ofNanos((long) (random.nextDouble() * interval.toNanos()));
    }

    /**
     * Which of our own state broadcasts go out at once rather than at the next gossip tick (Rumor, beyond
     * memberlist): suspicions (so the accused hears it and refutes sooner, and Lifeguard's confirmations
     * spread), graceful leaves, failures we declare ourselves (their first hop) and our own alive (a
     * refutation, which races the accusation).
     * Alives about others are left to the ticks: a mass join queues thousands of them and eager rounds
     * would only split the same transmissions into more, smaller packets.
     */
    private boolean eager(Message msg) {
        if (msg instanceof Message.Dead d) {
            // A leave, or our own declaration (ours is the only copy). A failure declared elsewhere is relayed
            // at the ticks, as in memberlist: if it was a false one (a lossy node that did not hear its
            // suspicion in time), the victim's refutation can still overtake it on most nodes.
            return d.from().equals(d.node()) || d.from().equals(config.name());
        }
        return msg instanceof Message.Suspect || msg instanceof Message.Alive a && a.node().equals(config.name());
    }

    /** True while an eager gossip round is queued; see {@link #gossipSoon()}. */
    private boolean gossipKickPending;

    /**
     * Runs a gossip round as soon as the protocol thread is free instead of at the next tick (Rumor, beyond
     * memberlist). The application calls it after queueing a new broadcast, so a user event, query or
     * intent travels one hop per network round trip rather than one hop per gossip interval; each node
     * that re-broadcasts it does the same. Transmissions per broadcast are unchanged (the retransmit
     * limit counts sends, not ticks), only their timing. Calls coalesce: at most one extra round is pending,
     * and it runs after whatever else the current packet queued.
     */
    public void gossipSoon() {
        scheduler.execute(() -> {
            if (shutdown || gossipKickPending || config.gossipNodes() == 0) {
                return;
            }
            gossipKickPending = true;
            scheduler.execute(() -> {
                gossipKickPending = false;
                if (!shutdown) {
                    gossiper.tick();
                }
            });
        });
    }

    /** A fixed-rate ticker that starts after a random stagger (so nodes do not synchronise). */
    private void periodic(Duration interval, Runnable task) {
        Ticker t = new Ticker();
        tickers.add(t);
        long[] next = new long[1];
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (shutdown) {
                return;
            }
            task.run();
            next[0] += interval.toNanos();
            long delay = Math.max(0, next[0] - scheduler.clock().nanoTime());
            t.current = scheduler.schedule(Duration.ofNanos(delay), loop[0]);
        };
        Duration first = stagger(interval);
        next[0] = scheduler.clock().nanoTime() + first.toNanos();
        t.current = scheduler.schedule(first, loop[0]);
    }

    /** Push/pull re-evaluates its period each time, as the cluster size changes. */
    private void scheduleScaledPushPull(Duration delay) {
        Ticker t = new Ticker();
        tickers.add(t);
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (shutdown) {
                return;
            }
            pushPull.tick();
            t.current = scheduler.schedule(ProtocolMath.pushPullScale(config.pushPullInterval(), state.numNodes()), loop[0]);
        };
        t.current = scheduler.schedule(delay, loop[0]);
    }

    /** Join sync stops after this many rounds in a row in which we learnt of no new member. */
    private static final int JOIN_SYNC_QUIET_ROUNDS = 3;

    /** True while the join sync rounds of {@link #startJoinSync()} run. */
    private boolean joinSyncing;

    /**
     * After a join, repeats push/pull with a random alive member every {@code joinSyncInterval} while the
     * number of known nodes keeps growing between rounds (Rumor, beyond memberlist). When many nodes join
     * at once, a joiner's first exchange only returns what its seed knew at that instant and gossip alone
     * is bandwidth-bound: every node must relay every alive message ~{@code 4 × log10(n)} times, ~20 per
     * packet, which takes minutes at a few thousand nodes, while push/pull with random peers spreads the
     * whole table epidemically in a few rounds. A lone joiner of a settled cluster learns nothing after its
     * join, so its first round already stops it without sending anything.
     */
    private void startJoinSync() {
        Duration every = config.joinSyncInterval();
        if (every.isZero() || joinSyncing || shutdown) {
            return;
        }
        joinSyncing = true;
        Ticker t = new Ticker();
        tickers.add(t);
        // known members at the last round; rounds in a row that brought nothing new; whether others joined
        int[] known = {state.numNodes()};
        int[] quiet = {0};
        boolean[] massJoin = {false};
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            int now = state.numNodes();
            boolean grew = now > known[0];
            known[0] = now;
            if (grew) {
                massJoin[0] = true;
                quiet[0] = 0;
            } else {
                quiet[0]++;
            }
            // A lone joiner stops at its first quiet round without sending anything; during a mass join, a
            // random peer may know less than we do, so only JOIN_SYNC_QUIET_ROUNDS fruitless rounds in a row stop it.
            if (shutdown || !massJoin[0] || quiet[0] >= JOIN_SYNC_QUIET_ROUNDS) {
                joinSyncing = false;
                tickers.remove(t);
                return;
            }
            stats.joinSyncs.incrementAndGet();
            pushPull.tick();
            t.current = scheduler.schedule(every, loop[0]);
        };
        t.current = scheduler.schedule(every, loop[0]);
    }

    /** The pending task of one periodic activity. */
    private static final class Ticker {
        Scheduler.Cancellable current;
    }

    // ---------------------------------------------------------------------------------------------
    // public API

    /**
     * Joins a cluster through the given existing members (a push/pull with {@code Join = true} with
     * each, concurrently). Completes with the number of successful exchanges, or exceptionally with
     * {@link JoinException} if none succeeded. Addresses must be resolved: name resolution is the
     * caller's business (it blocks).
     */
    public CompletableFuture<Integer> join(Collection<InetSocketAddress> existing) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        List<InetSocketAddress> targets = List.copyOf(existing);
        scheduler.execute(() -> {
            if (targets.isEmpty()) {
                result.completeExceptionally(new JoinException(List.of("no addresses to join")));
                return;
            }
            AtomicInteger pending = new AtomicInteger(targets.size());
            AtomicInteger ok = new AtomicInteger();
            List<String> errors = new ArrayList<>();
            for (InetSocketAddress a : targets) {
                pushPull.exchange(a, true, (success, err) -> {
                    if (success) {
                        ok.incrementAndGet();
                    } else {
                        // memberlist names the IP only: "Failed to join 127.0.0.1: dial tcp ..."
                        errors.add("Failed to join " + a.getAddress().getHostAddress() + ": " + err);
                        LOG.debug("Failed to join {}: {}", a, err);
                    }
                    if (pending.decrementAndGet() == 0) {
                        if (ok.get() > 0) {
                            startJoinSync();
                            result.complete(ok.get());
                        } else {
                            result.completeExceptionally(new JoinException(errors));
                        }
                    }
                });
            }
        });
        return result;
    }

    /**
     * Broadcasts that we are leaving ({@code dead} about ourselves with From = us) and completes when
     * that broadcast has been transmitted its full retransmit budget, or exceptionally with a
     * {@link TimeoutException} after {@code timeout} (zero = no timeout). Completes at once when no
     * other node is alive. The node keeps gossiping until {@link #shutdown()}, so the message actually
     * goes out; calling it again is harmless.
     */
    public CompletableFuture<Void> leave(Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            if (state.leaving()) {
                result.complete(null);
                return;
            }
            Message.Dead leave = state.leave(() -> result.complete(null));
            if (leave == null || !state.anyAlive()) {
                result.complete(null);
                return;
            }
            // Rumor, beyond memberlist: the leave also goes straight to up to directFanout members, as the
            // serf leave intent before it did. Gossip alone misses a node now and then (simulated 50-node
            // leaves: 1 in 100 without loss, 5 in 100 with 20 % packet loss; 0 and 2 with this), and that node
            // then holds the leaver as leaving until its own probes or a push/pull find out, seconds to a
            // minute later.
            sendToRandomMembers(leave);
            if (!timeout.isZero()) {
                scheduler.schedule(timeout, () -> result.completeExceptionally(
                        new TimeoutException("timeout waiting for leave broadcast")));
            }
        });
        return result;
    }

    /**
     * Re-reads our metadata from the {@link MetaDelegate} and broadcasts it with the next incarnation.
     * Completes when the broadcast was fully transmitted (at once if nobody else is alive), or
     * exceptionally after {@code timeout} (zero = no timeout).
     */
    public CompletableFuture<Void> updateNode(Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            byte[] meta;
            try {
                meta = nodeMeta();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            NodeState me = state.get(config.name());
            state.aliveNode(new Message.Alive(state.nextIncarnation(), config.name(), me.addr(), me.port(), meta,
                    config.vsn()), () -> result.complete(null), true);
            if (!state.anyAlive()) {
                result.complete(null);
            } else if (!timeout.isZero()) {
                scheduler.schedule(timeout, () -> result.completeExceptionally(
                        new TimeoutException("timeout waiting for update broadcast")));
            }
        });
        return result;
    }

    /**
     * Sends a message this node originates straight to up to {@code directFanout} random alive members
     * (all of them in smaller clusters), one user datagram each, besides whatever the caller queued for
     * gossip (Rumor, beyond memberlist). A serf peer handles a user datagram exactly like the same message
     * gossiped, and drops duplicates, so the first hop reaches {@code directFanout} nodes instead of
     * {@code gossipNodes}; everything after that is ordinary gossip. Only for messages we originate:
     * relaying would multiply the traffic by the cluster size.
     */
    public void fanOut(byte[] msg) {
        byte[] copy = msg.clone();
        scheduler.execute(() -> {
            if (!shutdown) {
                sendToRandomMembers(new Message.User(copy));
            }
        });
    }

    /**
     * Sends a message in one datagram each to up to {@code directFanout} random alive members; encodes it only
     * when there is someone to send it to.
     */
    private void sendToRandomMembers(Message m) {
        int k = config.directFanout();
        if (k == 0) {
            return;
        }
        List<NodeState> peers = new ArrayList<>();
        for (NodeState n : state.nodes()) {
            if (n.status() == NodeStatus.ALIVE && !n.name.equals(config.name())) {
                peers.add(n);
            }
        }
        if (peers.isEmpty()) {
            return;
        }
        byte[] encoded = wire.encode(m);
        // A partial Fisher-Yates shuffle picks k distinct members uniformly.
        int count = Math.min(k, peers.size());
        for (int i = 0; i < count; i++) {
            Collections.swap(peers, i, i + random.nextInt(peers.size() - i));
            NodeState to = peers.get(i);
            messenger.sendRaw(Node.socketAddress(to.addr(), to.port()), List.of(encoded), to.pmax() >= 5);
        }
    }

    /** Sends a user message to {@code to} in one datagram (no gossip; best effort). */
    public void sendBestEffort(Node to, byte[] msg) {
        byte[] copy = msg.clone();
        scheduler.execute(() -> messenger.sendRaw(to.address(), List.of(wire.encode(new Message.User(copy))), to.pmax() >= 5));
    }

    /** Sends a user message to an address in one datagram, without CRC (memberlist {@code SendToAddress}). */
    public void sendTo(InetSocketAddress to, byte[] msg) {
        byte[] copy = msg.clone();
        scheduler.execute(() -> messenger.sendRaw(to, List.of(wire.encode(new Message.User(copy))), false));
    }

    /** Sends a user message over a stream; completes when the transport delivered it. */
    public CompletableFuture<Void> sendReliable(Node to, byte[] msg) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        byte[] copy = msg.clone();
        scheduler.execute(() -> transport.exchange(to.address(), wire.encodeStream(new Message.User(copy)), false,
                config.tcpTimeout(), (reply, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                    } else {
                        result.complete(null);
                    }
                }));
        return result;
    }

    /** Members that are alive or suspect, sorted by name, ourselves included. */
    public List<Node> members() {
        return state.members();
    }

    /** Every node we know in any state (dead ones until GossipToTheDeadTime reaps them), sorted by name. */
    public List<Node> allNodes() {
        return state.allNodes();
    }

    /** What we know about {@code name}, or null. */
    public Node node(String name) {
        return state.member(name);
    }

    public Node localNode() {
        return state.member(config.name());
    }

    /** Alive or suspect members, ourselves included. */
    public int numMembers() {
        return state.numMembers();
    }

    /** Lifeguard health: 0 is healthy, up to awarenessMaxMultiplier − 1. */
    public int healthScore() {
        return awareness.score();
    }

    public MembershipStats stats() {
        return stats;
    }

    public MembershipConfig config() {
        return config;
    }

    /**
     * Stops all protocol activity and closes the transport, without telling anyone (use
     * {@link #leave} first for a graceful exit). Idempotent.
     */
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        scheduler.execute(() -> {
            for (Ticker t : tickers) {
                if (t.current != null) {
                    t.current.cancel();
                }
            }
            tickers.clear();
            state.cancelAllTimers();
            acks.clear();
            transport.close();
        });
    }

    @Override
    public void close() {
        shutdown();
    }

    boolean isShutdown() {
        return shutdown;
    }

    /** Test access. */
    MembershipState state() {
        return state;
    }

    TransmitLimitedQueue broadcastQueue() {
        return broadcasts;
    }

    /**
     * How many suspects about one node the broadcast queue keeps side by side: the one that started a
     * suspicion plus the {@code k = suspicionMult − 2} confirmations Lifeguard counts (more carry no
     * information), or 1 (memberlist) when independent suspicions are off.
     */
    static int suspectsPerNode(MembershipConfig config) {
        return config.independentSuspicions() ? Math.max(1, config.suspicionMult() - 1) : 1;
    }

    /** Thrown (via the join future) when no address could be joined. */
    public static final class JoinException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> errors;

        JoinException(List<String> errors) {
            super(String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }
}
