package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tail of a graceful leave at 50 nodes, as the agent does it (leave, then shut down). Gossip alone
 * misses an observer now and then. Before the leave was also sent straight to random members, and before
 * a node's own leave counted as a leave without its intent, each of these seeds had one observer that did
 * not show the leaver {@code left} within a second: with 64 it held it {@code leaving} for 2.8 s, with 80
 * and 92 it showed it {@code failed} first. Of 100 seeds of this scenario, 3 had such an observer then and
 * none has now.
 */
class LeaveTailTest {

    @ParameterizedTest
    @ValueSource(longs = {64, 80, 92})
    void everyObserverShowsTheLeaverLeftWithinASecondAndNoneShowsItFailed(long seed) {
        int n = 50;
        try (SimulatedCluster sim = new SimulatedCluster(seed)) {
            for (int i = 0; i < n; i++) {
                sim.add("n" + i, Map.of());
            }
            sim.joinAll();
            assertTrue(sim.runUntil(() -> sim.allSeeAlive(n), Duration.ofSeconds(120)), "converged");
            sim.time.runFor(Duration.ofSeconds(5));

            String name = "n" + (n - 1);
            Cluster leaver = sim.nodes.get(name);
            leaver.leave().whenComplete((v, e) -> leaver.shutdown());
            sim.time.runFor(Duration.ofSeconds(1));

            List<String> notLeft = new ArrayList<>();
            List<String> sawFailed = new ArrayList<>();
            for (Map.Entry<String, Cluster> e : sim.nodes.entrySet()) {
                if (e.getValue() == leaver) {
                    continue;
                }
                Member m = e.getValue().member(name);
                if (m == null || m.status() != MemberStatus.LEFT) {
                    notLeft.add(e.getKey() + "=" + (m == null ? null : m.status()));
                }
                boolean failed = sim.events.get(e.getKey()).stream().anyMatch(ev -> ev instanceof ClusterEvent.MemberEvent me
                        && me.type() == ClusterEvent.Type.MEMBER_FAILED && me.members().get(0).name().equals(name));
                if (failed) {
                    sawFailed.add(e.getKey());
                }
            }
            assertEquals(List.of(), notLeft, "observers not showing " + name + " left 1 s after its leave");
            assertEquals(List.of(), sawFailed, "observers that saw " + name + " fail");
        }
    }
}
