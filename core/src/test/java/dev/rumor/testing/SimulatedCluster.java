package dev.rumor.testing;

import dev.rumor.membership.Delegates;
import dev.rumor.membership.EventDelegate;
import dev.rumor.membership.Memberlist;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.membership.Node;
import dev.rumor.membership.NodeStatus;
import dev.rumor.time.VirtualScheduler;
import dev.rumor.transport.InMemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A seeded N-node membership cluster on an {@link InMemoryNetwork} and a {@link VirtualScheduler}: start,
 * join, kill, inject faults, advance virtual time, and read the event trace every node produced.
 *
 * <p>Everything random derives from the seed (network loss/jitter and every node's protocol RNG), so
 * the same seed and the same script give the same {@link #trace()}.
 *
 * <p>Thread contract: single-threaded; the test thread drives the virtual time.
 */
public final class SimulatedCluster implements AutoCloseable {
    private final long seed;
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final InMemoryNetwork network;
    private final Function<String, MembershipConfig> configFor;
    private final Map<String, Memberlist> nodes = new LinkedHashMap<>();
    private final List<String> trace = new ArrayList<>();
    /** viewer → subject → virtual millis when the viewer first declared the subject DEAD (failed, not left). */
    private final Map<String, Map<String, Long>> deadDeclarations = new HashMap<>();
    /** viewer → subject → virtual millis of the first LEFT. */
    private final Map<String, Map<String, Long>> leftDeclarations = new HashMap<>();

    /** A cluster whose nodes use the LAN profile. */
    public SimulatedCluster(long seed) {
        this(seed, UnaryOperator.identity());
    }

    /** @param tweak changes applied to each node's LAN config (name and seed are set afterwards) */
    public SimulatedCluster(long seed, UnaryOperator<MembershipConfig.Builder> tweak) {
        this.seed = seed;
        this.network = new InMemoryNetwork(scheduler, seed).latency(Duration.ofMillis(1), Duration.ofMillis(4));
        this.configFor = name -> tweak.apply(MembershipConfig.lan(name).toBuilder())
                .name(name)
                .randomSeed(seed * 31 + name.hashCode())
                .build();
    }

    public VirtualScheduler scheduler() {
        return scheduler;
    }

    public InMemoryNetwork network() {
        return network;
    }

    public long nowMillis() {
        return scheduler.nanoTime() / 1_000_000L;
    }

    /** Starts a node (it knows nobody until it joins). */
    public Memberlist start(String name) {
        MembershipConfig config = configFor.apply(name);
        Delegates d = Delegates.none().withEvents(new Recorder(name));
        Memberlist m = Memberlist.create(config, network.transport(name), scheduler, d);
        nodes.put(name, m);
        return m;
    }

    /** Starts {@code count} nodes named prefix0..prefixN-1 and returns their names. */
    public List<String> startAll(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = prefix + i;
            start(n);
            names.add(n);
        }
        return names;
    }

    /** Every node in {@code names} joins through {@code seedNode}; returns the join futures. */
    public List<CompletableFuture<Integer>> joinAll(Collection<String> names, String seedNode) {
        List<CompletableFuture<Integer>> out = new ArrayList<>();
        for (String n : names) {
            if (!n.equals(seedNode)) {
                out.add(nodes.get(n).join(List.of(network.address(seedNode))));
            }
        }
        return out;
    }

    /** Crashes a node: no leave, its transport disappears. */
    public void kill(String name) {
        trace.add(nowMillis() + " " + name + " KILLED");
        nodes.get(name).shutdown();
    }

    public Memberlist node(String name) {
        return nodes.get(name);
    }

    public Collection<String> names() {
        return nodes.keySet();
    }

    public void runFor(Duration d) {
        scheduler.runFor(d);
    }

    /**
     * Advances virtual time in {@code step}s until {@code condition} holds or {@code limit} passed.
     * (Checking after every task would dominate the run time of a 100-node cluster.)
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit, Duration step) {
        long end = scheduler.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (scheduler.nanoTime() >= end) {
                return false;
            }
            scheduler.runFor(step);
        }
        return true;
    }

    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        return runUntil(condition, limit, Duration.ofMillis(100));
    }

    /** Does {@code viewer} see {@code subject} with this status? */
    public boolean sees(String viewer, String subject, NodeStatus status) {
        Node n = nodes.get(viewer).node(subject);
        return n != null && n.status() == status;
    }

    /** Do all of {@code viewers} see exactly {@code expected} alive members? */
    public boolean allSeeAlive(Collection<String> viewers, int expected) {
        for (String v : viewers) {
            int alive = 0;
            for (Node n : nodes.get(v).members()) {
                if (n.status() == NodeStatus.ALIVE) {
                    alive++;
                }
            }
            if (alive != expected) {
                return false;
            }
        }
        return true;
    }

    /** Virtual millis at which {@code viewer} declared {@code subject} failed, or null. */
    public Long deadAt(String viewer, String subject) {
        return deadDeclarations.getOrDefault(viewer, Map.of()).get(subject);
    }

    public Long leftAt(String viewer, String subject) {
        return leftDeclarations.getOrDefault(viewer, Map.of()).get(subject);
    }

    /** Every (viewer → subjects) failure declaration so far. */
    public Map<String, Map<String, Long>> deadDeclarations() {
        return deadDeclarations;
    }

    /** Events in order: "millis viewer event subject status". */
    public List<String> trace() {
        return trace;
    }

    public long seed() {
        return seed;
    }

    @Override
    public void close() {
        for (Memberlist m : nodes.values()) {
            m.shutdown();
        }
        scheduler.runFor(Duration.ofMillis(1));
    }

    private final class Recorder implements EventDelegate {
        private final String viewer;

        Recorder(String viewer) {
            this.viewer = viewer;
        }

        @Override
        public void notifyJoin(Node node) {
            trace.add(nowMillis() + " " + viewer + " join " + node.name() + " " + node.incarnation());
        }

        @Override
        public void notifyLeave(Node node) {
            trace.add(nowMillis() + " " + viewer + " leave " + node.name() + " " + node.status());
            Map<String, Map<String, Long>> target = node.status() == NodeStatus.LEFT ? leftDeclarations : deadDeclarations;
            target.computeIfAbsent(viewer, k -> new HashMap<>()).putIfAbsent(node.name(), nowMillis());
        }

        @Override
        public void notifyUpdate(Node node) {
            trace.add(nowMillis() + " " + viewer + " update " + node.name() + " " + node.incarnation());
        }
    }
}
