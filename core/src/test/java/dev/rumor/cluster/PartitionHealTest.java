package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partition far longer than the suspicion timeout (and than GossipToTheDeadTime, after which memberlist
 * stops gossiping to the dead) heals by itself once the network is back: each side sees the other failed,
 * and the serf layer's reconnect attempts to failed members rejoin the halves with no operator. serf's
 * default timings (LAN, 30 s reconnect interval).
 */
class PartitionHealTest {
    private SimulatedCluster sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private boolean sideSeesOther(List<String> side, List<String> other, MemberStatus status) {
        return side.stream().allMatch(a -> other.stream()
                .allMatch(b -> sim.nodes.get(a).member(b) != null && sim.nodes.get(a).member(b).status() == status));
    }

    private void partitionLongerThanSuspicionHealsByItself(int sizeA, int sizeB, long seed) {
        sim = new SimulatedCluster(seed);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < sizeA + sizeB; i++) {
            String name = "n" + i;
            sim.add(name, Map.of(), c -> c);
            (i < sizeA ? a : b).add(name);
        }
        sim.joinAll();
        int n = sizeA + sizeB;
        assertTrue(sim.runUntil(() -> sim.allSeeAlive(n), Duration.ofSeconds(60)), "converged");

        sim.network.partition(a, b);
        // A node that hears no acks stretches its suspicion timeouts by its Lifeguard health score (up to 8 ×):
        // a lone node takes up to 8 × 24 s to fail the others, while the seven on the other side stay healthy.
        assertTrue(sim.runUntil(() -> sideSeesOther(b, a, MemberStatus.FAILED), Duration.ofMinutes(1)),
                "side b declares side a failed");
        assertTrue(sim.runUntil(() -> sideSeesOther(a, b, MemberStatus.FAILED) && sideSeesOther(b, a, MemberStatus.FAILED),
                Duration.ofMinutes(4)), "each side declares the other failed");
        sim.time.runFor(Duration.ofMinutes(3)); // far past suspicion and GossipToTheDeadTime: no gossip crosses any more
        assertTrue(sideSeesOther(a, b, MemberStatus.FAILED) && sideSeesOther(b, a, MemberStatus.FAILED),
                "still failed while partitioned");

        sim.network.heal();
        assertTrue(sim.runUntil(() -> sim.allSeeAlive(n), Duration.ofMinutes(3)),
                "healed without an operator: " + sim.nodes.get(a.get(0)).members());
    }

    @Test
    void evenPartitionHeals() {
        partitionLongerThanSuspicionHealsByItself(5, 5, 3);
    }

    @Test
    void loneNodeCutOffFromEveryoneHeals() {
        // One side is a single node that sees everyone else failed, and everyone else sees it failed.
        partitionLongerThanSuspicionHealsByItself(1, 7, 4);
    }
}
