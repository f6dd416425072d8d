package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.MembershipConfig;
import dev.rumor.time.VirtualScheduler;
import dev.rumor.transport.InMemoryNetwork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * New user events travel one hop per network round trip, not one hop per gossip tick: every node that
 * learns a new event gossips it at once ({@code Memberlist.gossipSoon}). With 1–5 ms links and serf's
 * 200 ms gossip interval, tick-driven dissemination in 30 nodes takes several ticks; eager gossip reaches
 * every node within a few hops' latency.
 */
class EagerGossipTest {

    @Test
    void userEventReachesEveryNodeLongBeforeTheNextGossipTicks() {
        long slowestMillis = slowestDelivery(0);
        // Tick-driven gossip needs ~log3(30) ≈ 3+ rounds of 200 ms; eager gossip needs a few 1–5 ms hops.
        assertTrue(slowestMillis < 150, "slowest node got the event after " + slowestMillis + " ms");
    }

    /**
     * With a direct fan-out at least as large as the cluster the originator sends the event to every member
     * itself: one hop (links are 1–5 ms). Without it, eager gossip needs several hops.
     */
    @Test
    void directFanOutDeliversInOneHop() {
        long direct = slowestDelivery(32);
        long gossipOnly = slowestDelivery(0);
        assertTrue(direct <= 5, "one hop takes at most 5 ms; slowest node: " + direct + " ms");
        assertTrue(gossipOnly > direct, "gossip alone: " + gossipOnly + " ms, direct: " + direct + " ms");
    }

    /** Milliseconds until the last of 30 nodes got a user event from n0. */
    private static long slowestDelivery(int directFanout) {
        VirtualScheduler s = new VirtualScheduler();
        InMemoryNetwork net = new InMemoryNetwork(s, 42).latency(Duration.ofMillis(1), Duration.ofMillis(4));
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        List<Cluster> nodes = new ArrayList<>();
        int n = 30;
        for (int i = 0; i < n; i++) {
            String name = "n" + i;
            MembershipConfig m = MembershipConfig.lan(name).toBuilder().randomSeed(42L + i)
                    .directFanout(directFanout).build();
            ClusterConfig c = ClusterConfig.defaults(m).withRandomSeed(7L + i);
            nodes.add(Cluster.create(c, net.transport(name), s, e -> {
                if (e instanceof ClusterEvent.UserEvent u && u.name().equals("deploy")) {
                    receivedAt.putIfAbsent(name, s.nanoTime());
                }
            }));
        }
        for (int i = 1; i < n; i++) {
            nodes.get(i).join(List.of(net.address("n0")), false);
        }
        s.runUntil(() -> nodes.stream().allMatch(c -> c.members().size() == n), Duration.ofSeconds(60));
        s.runFor(Duration.ofSeconds(5)); // let join intents settle

        long sent = s.nanoTime();
        nodes.get(0).userEvent("deploy", "v1".getBytes(StandardCharsets.UTF_8), false);
        s.runUntil(() -> receivedAt.size() == n, Duration.ofSeconds(10));
        assertTrue(receivedAt.size() == n, "only " + receivedAt.size() + " of " + n + " nodes got the event");
        return receivedAt.values().stream().mapToLong(t -> (t - sent) / 1_000_000L).max().orElseThrow();
    }
}
