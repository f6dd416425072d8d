package dev.rumor.cluster;

import dev.rumor.membership.MembershipConfig;
import dev.rumor.time.VirtualScheduler;
import dev.rumor.transport.InMemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A seeded N-node serf cluster on one {@link VirtualScheduler} and {@link InMemoryNetwork}, with every
 * node's events recorded. Fixture for the simulation tests.
 */
final class SimulatedCluster implements AutoCloseable {
    final VirtualScheduler time = new VirtualScheduler();
    final InMemoryNetwork network;
    final Map<String, Cluster> nodes = new LinkedHashMap<>();
    final Map<String, List<ClusterEvent>> events = new LinkedHashMap<>();
    private final long seed;
    /** Called for every event on the protocol thread, e.g. to answer queries. */
    BiConsumer<String, ClusterEvent> onEvent = (n, e) -> { };

    SimulatedCluster(long seed) {
        this.seed = seed;
        this.network = new InMemoryNetwork(time, seed);
    }

    Cluster add(String name, Map<String, String> tags) {
        return add(name, tags, Function.identity());
    }

    Cluster add(String name, Map<String, String> tags, Function<ClusterConfig, ClusterConfig> tweak) {
        MembershipConfig m = MembershipConfig.lan(name).toBuilder().randomSeed(seed * 1000 + nodes.size()).build();
        ClusterConfig c = tweak.apply(
                ClusterConfig.defaults(m).withTags(tags).withRandomSeed(seed * 7919 + nodes.size()));
        List<ClusterEvent> log = new ArrayList<>();
        events.put(name, log);
        Cluster cl = Cluster.create(c, network.transport(name), time, e -> {
            log.add(e);
            onEvent.accept(name, e);
        });
        nodes.put(name, cl);
        return cl;
    }

    /** Everyone joins through the first node, one after the other. */
    void joinAll() {
        String seedNode = nodes.keySet().iterator().next();
        for (Cluster c : nodes.values()) {
            if (!c.nodeName().equals(seedNode)) {
                CompletableFuture<Integer> f = c.join(List.of(network.address(seedNode)), true);
                await(f, Duration.ofSeconds(10));
            }
        }
    }

    <T> T await(CompletableFuture<T> f, Duration limit) {
        if (!time.runUntil(f::isDone, limit)) {
            throw new AssertionError("not done within " + limit + " of virtual time");
        }
        return f.join();
    }

    boolean runUntil(BooleanSupplier cond, Duration limit) {
        return time.runUntil(cond, limit);
    }

    boolean allSeeAlive(int n) {
        for (Cluster c : nodes.values()) {
            if (c.state() == Cluster.State.SHUTDOWN) {
                continue;
            }
            long alive = c.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count();
            if (alive != n) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        nodes.values().forEach(Cluster::shutdown);
        time.runFor(Duration.ofSeconds(1));
    }
}
